/**
 * MDX source made readable by MDX 2+ where it follows other conventions, before it is parsed, by
 * ingest and by the docs site alike (`site/astro.config.mjs`), so both read a page the same way:
 *
 * - explicit heading ids (`## Options {#options}`, `heading-ids.ts`) get their braces escaped;
 * - HTML comments (`<!-- … -->`, which MDX 1 and Docusaurus 2 accepted) become MDX comments
 *   (`{/* … *\/}`);
 * - `<br>` becomes `<br />` (JSX needs the slash);
 * - then, where MDX 2 still stops or reads prose as JavaScript, the page is repaired at that place
 *   and parsed again (`mdx-repair.ts`: autolinks, `<5`, `Promise<void>`, `<img …>` left open,
 *   `{` in text), a bounded number of times.
 *
 * Fenced code and inline code are left as they are. The line count does not change. A page that
 * parses (after the first three conversions) and reads no prose as JavaScript is not repaired.
 */
import type { Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { fencedLines } from './fences';
import { escapeHeadingIdLine } from './heading-ids';
import { proseExpressions, repairAt } from './mdx-repair';

/** How ingest parses `.mdx`: markdown, YAML or TOML frontmatter, GFM and MDX (as the docs site compiles it). */
const mdxProcessor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml', 'toml']).use(remarkGfm).use(remarkMdx);

/** Repairs tried on one page at most: each costs a parse. */
const MAX_REPAIRS = 50;

/** A page's MDX made readable (`text`), and its tree, or the parser's error when it still does not parse. */
export type MdxReading = { text: string; tree: Root; error?: undefined } | { text: string; tree?: undefined; error: unknown };

/** `source` (an `.mdx` file's text, line endings normalised) made readable by MDX 2+, and parsed. */
export function readMdxSource(source: string): MdxReading {
  let text = convertSource(source);
  for (let repairs = 0; ; repairs++) {
    let tree: Root;
    try {
      tree = mdxProcessor.parse(text);
    } catch (error) {
      const repaired = repairs < MAX_REPAIRS ? repairAt(text, error) : undefined;
      if (repaired === undefined) return { text, error };
      text = repaired;
      continue;
    }
    const prose = repairs < MAX_REPAIRS ? proseExpressions(tree, text) : [];
    if (prose.length === 0) return { text, tree };
    // Escape from the end, so the earlier offsets stay right.
    for (const at of prose.sort((a, b) => b - a)) text = `${text.slice(0, at)}\\${text.slice(at)}`;
  }
}

/** A fence line: $1 its fence characters, $2 the rest (the info string). */
const FENCE = /^[ \t]*(`{3,}|~{3,})(.*)$/;

/**
 * `source` (an `.mdx` file's text) with the fences of its `mdx-code-block` blocks blanked, so
 * their content is read as the MDX it is. Docusaurus renders such a block's content as part of
 * the page (it is how its docs keep `import Tabs from '@theme/Tabs'` or `<APITable>` out of
 * other markdown tools' way); read as code, it would show the imports on the page and index them.
 * One shown inside other code stays as written. The line count does not change. For ingest and
 * the docs site, before anything else reads the MDX.
 */
export function unwrapMdxCodeBlocks(source: string): string {
  if (!source.includes('mdx-code-block')) return source;
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open || (open[1]![0] === '`' && open[2]!.includes('`'))) continue;
    const fence = open[1]!;
    const close = new RegExp(`^[ \\t]*${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`);
    const end = lines.findIndex((line, j) => j > i && close.test(line));
    if (end === -1) break; // never closed: code to the end, as written
    if (open[2]!.trim() === 'mdx-code-block') {
      lines[i] = '';
      lines[end] = '';
      continue; // its content is MDX, which may hold fences of its own
    }
    i = end; // other code: left as written
  }
  return lines.join('\n');
}

/**
 * `source` made readable by MDX 2+ (what {@link readMdxSource} parses), for the docs site's MDX
 * compiler. A page MDX still cannot read is given as text ({@link mdxAsText}), so one page does not
 * stop the whole site from building; `onFallback` gets the MDX error, to report it.
 */
export function prepareMdxSource(source: string, options: { onFallback?: (error: unknown) => void } = {}): string {
  const reading = readMdxSource(source);
  if (reading.tree) return reading.text;
  options.onFallback?.(reading.error);
  return mdxAsText(source);
}

/**
 * `source` (an `.mdx` file's text) as MDX that reads as text: what ingest indexes when MDX cannot
 * read a page ({@link mdxAsMarkdown}), with component tags (`<Tabs>`, `</Tabs>`, `<Note … />`)
 * dropped, their content kept, and every other `<`, `{` and `}` outside code escaped. The page
 * loses its components and HTML, not its text. Frontmatter and code are left as written, and the
 * line count does not change.
 */
export function mdxAsText(source: string): string {
  const frontmatter = /^(---|\+\+\+)\n[\s\S]*?\n\1[ \t]*(?:\n|$)/.exec(source)?.[0] ?? '';
  const body = mapProse(mdxAsMarkdown(source.slice(frontmatter.length)), (prose) =>
    prose.replace(COMPONENT_TAG, (tag) => tag.replace(/[^\n]/g, '')).replace(CODE_OR_SYNTAX, (m) => (m.length > 1 ? m : `\\${m}`)),
  );
  return frontmatter + body;
}

/**
 * `source` (an `.mdx` file's text) for a markdown parser, when MDX cannot read it even after the
 * repairs: `import`/`export` blocks and `{/* comments *\/}` become blank (so they are not indexed as
 * text); components are left for the markdown parser, which reads their tags as HTML. Code is left
 * as written, and the line count does not change.
 */
export function mdxAsMarkdown(source: string): string {
  return mapProse(source, (prose) => blankComments(blankEsm(prose)));
}

/**
 * Whether a `.md` page (its text, line endings normalised, other generators' syntax made markdown)
 * is written as MDX: Docusaurus 3 reads every `.md` page as MDX by default, and such a page opens,
 * after its frontmatter and any headings, HTML comments or blank lines, with a paragraph of
 * `import`/`export` statements (`import Tabs from '@theme/Tabs';`) that MDX reads as valid
 * JavaScript. Read as markdown, those lines were shown and indexed as text. A paragraph that starts
 * with the word "import" but is not JavaScript (`import the module first`) is prose: the page is markdown.
 */
export function isMarkdownWrittenAsMdx(source: string): boolean {
  if (!MAY_OPEN_WITH_ESM.test(source)) return false;
  const frontmatter = /^(---|\+\+\+)\n[\s\S]*?\n\1[ \t]*(?:\n|$)/.exec(source)?.[0] ?? '';
  const lines = source.slice(frontmatter.length).split('\n');
  let esm = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || /^ {0,3}#{1,6}(?:[ \t]|$)/.test(line) || /^ {0,3}<!--.*-->[ \t]*$/.test(line)) continue;
    if (!ESM.test(line)) break;
    let end = i;
    while (end + 1 < lines.length && lines[end + 1]!.trim() !== '') end++;
    if (!isEsmOnly(lines.slice(i, end + 1).join('\n'))) return false;
    esm = true;
    i = end;
  }
  return esm;
}

/** A line starting with `import` or `export` somewhere in the text (a cheap test first). */
const MAY_OPEN_WITH_ESM = /^(?:import|export)[\s{*]/m;

/** Whether `text` (one paragraph) is only `import`/`export` statements MDX reads as valid JavaScript. */
function isEsmOnly(text: string): boolean {
  try {
    const tree = mdxProcessor.parse(text);
    return tree.children.length > 0 && tree.children.every((node) => node.type === 'mdxjsEsm');
  } catch {
    return false;
  }
}

/**
 * A pattern matching an inline code span (group 1 is its backticks; it never crosses a blank
 * line), which callers leave alone, or `pattern`, which they convert.
 */
export function codeSpanOr(pattern: string, flags: string): RegExp {
  return new RegExp('(`+)(?:(?!\\n[ \\t]*\\n)[\\s\\S])*?\\1|' + pattern, flags);
}
/** An inline code span (left alone), an HTML comment, or a `<br>` without its slash. */
const INLINE = codeSpanOr(String.raw`<!--([\s\S]*?)-->|<br\s*>`, 'gi');
/** An inline code span (left alone), or an MDX comment. */
const MDX_COMMENT = codeSpanOr(String.raw`\{[ \t]*\/\*[\s\S]*?\*\/[ \t]*\}`, 'g');
/** A JSX tag of a component (a capitalised or dotted name): `<Tabs>`, `</Tabs.Item>`, `<Note title="x" />`. */
const COMPONENT_TAG = /<\/?[A-Z][\w.:-]*(?:\s(?:[^<>"'{}]|"[^"]*"|'[^']*'|\{[^{}]*\})*)?\/?>/g;
/** An inline code span (left alone), or a character MDX reads as syntax. */
const CODE_OR_SYNTAX = codeSpanOr('[<{}]', 'g');
/** The first line of an MDX `import`/`export` block. */
const ESM = /^(?:import|export)(?=[\s{*])/;

/** The conversions made before the first parse: heading ids, HTML comments, `<br>`. */
function convertSource(source: string): string {
  if (!/[{<]/.test(source)) return source;
  return mapProse(source, (prose) => convertInline(prose.split('\n').map(escapeHeadingIdLine).join('\n')));
}

/** `source` with each run of lines outside fenced code passed through `convert` (which keeps their count). */
function mapProse(source: string, convert: (prose: string) => string): string {
  const lines = source.split('\n');
  const fenced = fencedLines(lines);
  const out: string[] = [];
  let prose: string[] = [];
  const flush = () => {
    if (prose.length) out.push(convert(prose.join('\n')));
    prose = [];
  };
  lines.forEach((line, i) => {
    if (!fenced[i]) return void prose.push(line);
    flush();
    out.push(line);
  });
  flush();
  return out.join('\n');
}

function convertInline(text: string): string {
  return text.replace(INLINE, (match, ticks: string | undefined, comment: string | undefined) => {
    if (ticks) return match;
    if (comment !== undefined) return `{/*${comment.replace(/\*\//g, '* /')}*/}`;
    return '<br />';
  });
}

/** Blank lines for each `import`/`export` block (up to the next blank line, as MDX reads them). */
function blankEsm(text: string): string {
  let esm = false;
  return text
    .split('\n')
    .map((line) => {
      if (line.trim() === '') esm = false;
      else if (ESM.test(line)) esm = true;
      return esm ? '' : line;
    })
    .join('\n');
}

/** MDX comments dropped, their line breaks kept. */
function blankComments(text: string): string {
  return text.replace(MDX_COMMENT, (match, ticks: string | undefined) => (ticks ? match : match.replace(/[^\n]/g, '')));
}
