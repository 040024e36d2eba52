/**
 * Explicit heading ids written after a heading's text, as Docusaurus, VitePress, Pandoc, kramdown
 * and MkDocs (attr_list) let authors pin an anchor: `## Options {#options}`, `## Options {: #opts }`,
 * `## Options {#opts .wide}`. The id is the heading's anchor and is not part of its text (its
 * breadcrumb, its words for search, what a citation shows).
 *
 * In MDX, `{…}` is a JavaScript expression and `{#options}` does not parse, so
 * {@link escapeMdxHeadingIds} escapes the braces first (as Docusaurus does) and the id reaches the
 * tree as text, like in plain markdown.
 */

/** A trailing `{#id}` / `{: #id .class}` on a heading's text; group 1 is the id. */
const TRAILING_ID = /\s*\\?\{:?\s*#([A-Za-z0-9_][\w.:-]*)(?:\s+[^{}]*)?\\?\}\s*$/;

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

/** An ATX heading line ending in an explicit id: the id's braces are groups 2 and 4. */
const MDX_HEADING_ID_LINE = /^( {0,3}#{1,6}[ \t].*?)(\{)(:?\s*#[A-Za-z0-9_][\w.:-]*(?:\s+[^{}]*)?)(\})([ \t]*#*[ \t]*)$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * MDX source with the braces of explicit heading ids escaped (`## Options \{#options\}`), so that
 * MDX reads them as text. Lines inside fenced code are left as they are; line count and the
 * offsets of every other line's start are unchanged but for the added backslashes.
 */
export function escapeMdxHeadingIds(source: string): string {
  if (!source.includes('{')) return source;
  let fence: string | undefined;
  return source
    .split('\n')
    .map((line) => {
      const opening = FENCE.exec(line)?.[1];
      if (fence) {
        if (opening && opening[0] === fence[0] && opening.length >= fence.length && line.trim() === opening) fence = undefined;
        return line;
      }
      if (opening) {
        fence = opening;
        return line;
      }
      return line.replace(MDX_HEADING_ID_LINE, '$1\\$2$3\\$4$5');
    })
    .join('\n');
}
