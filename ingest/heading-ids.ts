/**
 * Explicit heading ids written after a heading's text, as Docusaurus, VitePress, Pandoc, kramdown
 * and MkDocs (attr_list) let authors pin an anchor: `## Options {#options}`, `## Options {: #opts }`,
 * `## Options {#opts .wide}`. The id is the heading's anchor and is not part of its text (its
 * breadcrumb, its words for search, what a citation shows).
 *
 * In MDX, `{…}` is a JavaScript expression and `{#options}` does not parse, so the braces are
 * escaped first ({@link escapeHeadingIdLine}, from `mdx-source.ts`, as Docusaurus does) and the id
 * reaches the tree as text, like in plain markdown.
 */

/** The inside of an explicit id's braces: `#id`, `: #id`, `#id .class key=value`; group 1 is the id. */
const ID_BODY = String.raw`:?\s*#([A-Za-z0-9_][\w.:-]*)(?:\s+[^{}]*)?`;

/** A trailing `{#id}` / `{: #id .class}` on a heading's text (braces escaped or not). */
const TRAILING_ID = new RegExp(String.raw`\s*\\?\{${ID_BODY}\\?\}\s*$`);

/** A heading's text without its explicit id, and the id (undefined when it has none). */
export function splitHeadingId(text: string): { text: string; id: string | undefined } {
  const match = TRAILING_ID.exec(text);
  if (!match || match.index === 0) return { text, id: undefined };
  return { text: text.slice(0, match.index), id: match[1] };
}

/** `text` without a trailing explicit id (for the last text node of a heading that has one). */
export function withoutHeadingId(text: string): string {
  return text.replace(TRAILING_ID, '');
}

/** An ATX heading line ending in an explicit id: $1 the line up to its `{`, $2 the braces' inside ($3 the id), $4 the rest. */
const MDX_HEADING_ID_LINE = new RegExp(String.raw`^( {0,3}#{1,6}[ \t].*?)\{(${ID_BODY})\}([ \t]*#*[ \t]*)$`);

/** An ATX heading line ending in an id written as an MDX comment (Docusaurus 3: `## Options {/* #options *\/}`). */
const MDX_COMMENT_HEADING_ID_LINE = new RegExp(String.raw`^( {0,3}#{1,6}[ \t].*?)\{\s*\/\*\s*(${ID_BODY})\s*\*\/\s*\}([ \t]*#*[ \t]*)$`);

/**
 * A line of MDX with the braces of an explicit heading id escaped (`## Options \{#options\}`), so
 * MDX reads them as text. An id written as an MDX comment (`{/* #options *\/}`, which MDX 2+
 * parses, for Docusaurus to read) is written the same way, so it is read as the same id.
 */
export function escapeHeadingIdLine(line: string): string {
  return line.replace(MDX_HEADING_ID_LINE, '$1\\{$2\\}$4').replace(MDX_COMMENT_HEADING_ID_LINE, '$1\\{$2\\}$4');
}
