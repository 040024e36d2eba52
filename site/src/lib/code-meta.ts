/**
 * What a code fence's meta (the text after its language) asks of the docs site, in the syntaxes
 * of the site generators docs are written for:
 * - a title shown above the block: `title="src/App.tsx"` (Docusaurus, Expressive Code/Starlight,
 *   MkDocs) or `[src/App.tsx]` (VitePress, also the tab names of its code groups);
 * - lines to highlight: `{1,3-4}` (Docusaurus, VitePress, Expressive Code), `mark={2}` (Expressive
 *   Code), `hl_lines="1 3-4"` (MkDocs);
 * - numbered lines: `showLineNumbers` or `showLineNumbers=5` (Docusaurus), `:line-numbers` or
 *   `:line-numbers=5` (VitePress), `linenums="5"` (MkDocs).
 *
 * VitePress writes the last two against the language (` ```js{4} `, ` ```ts:line-numbers `):
 * {@link splitFenceLanguage} takes them off it. Other words (`ins={4}`, `frame="none"`) are ignored.
 */

export interface CodeMeta {
  /** The title shown above the block. */
  title?: string;
  /** The line ranges to highlight, 1-based and inclusive, as written. */
  highlight: [from: number, to: number][];
  /** The number of the first line when the lines are numbered. */
  lineNumbers?: number;
}

/** A quoted or bare value: `"a b"`, `'a b'`, `a`. */
const VALUE = String.raw`(?:"([^"]*)"|'([^']*)'|([^\s"'{}]+))`;
const TITLE = new RegExp(String.raw`(?:^|\s)title=${VALUE}`);
const LINE_NUMBERS = /(?:^|\s)(?:showLineNumbers|:line-numbers)(?:=(\d+))?(?=\s|\{|$)/;
const MKDOCS_LINE_NUMBERS = /(?:^|\s)linenums=["']?(\d+)/;
/** `{1,3-4}` standing alone (after a space, the start or VitePress' `[title]`), or `mark={…}`. */
const RANGES = /(?:(?<=^|\s|\])|\bmark=)\{([\d\s,-]*)\}/g;
const MKDOCS_RANGES = /(?:^|\s)hl_lines=(?:"([^"]*)"|'([^']*)')/;
/** Quoted text, where the other syntaxes are not looked for (`title="[draft] {1}"`). */
const QUOTED = /"[^"]*"|'[^']*'/g;

/** The title, highlighted lines and line numbering `meta` asks for. */
export function parseCodeMeta(meta: string | null | undefined): CodeMeta {
  const out: CodeMeta = { highlight: [] };
  if (!meta?.trim()) return out;
  // Outside quotes: a `[…]` or `{…}` inside a title is part of it.
  const bare = meta.replace(QUOTED, (quoted) => ' '.repeat(quoted.length));
  const title = TITLE.exec(meta);
  const bracketed = /(?<=^|\s)\[[^\]\n]+\]/.exec(bare);
  const titleText = title ? (title[1] ?? title[2] ?? title[3]) : bracketed ? meta.slice(bracketed.index + 1, bracketed.index + bracketed[0].length - 1) : undefined;
  if (titleText?.trim()) out.title = titleText.trim();
  for (const m of bare.matchAll(RANGES)) out.highlight.push(...ranges(m[1]!, ','));
  const mkdocs = MKDOCS_RANGES.exec(meta);
  if (mkdocs) out.highlight.push(...ranges(mkdocs[1] ?? mkdocs[2] ?? '', ' '));
  const numbered = LINE_NUMBERS.exec(bare) ?? MKDOCS_LINE_NUMBERS.exec(meta);
  if (numbered) out.lineNumbers = Math.max(0, Number(numbered[1] ?? 1));
  return out;
}

/** `1,3-4` (or `1 3-4`, split by `separator`) as ranges; pieces that are not numbers are skipped. */
function ranges(list: string, separator: string): [number, number][] {
  const out: [number, number][] = [];
  for (const piece of list.split(separator)) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(piece);
    if (!m) continue;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from >= 1 && to >= from) out.push([from, to]);
  }
  return out;
}

/** Whether line `line` (1-based) is in one of `ranges`. */
export const inRanges = (ranges: readonly [number, number][], line: number) => ranges.some(([from, to]) => line >= from && line <= to);

/**
 * `meta` with its highlighted lines replaced by `lines` (1-based), written as `{1,3}` at its end;
 * the rest (title, line numbers) as written.
 */
export function withHighlightedLines(meta: string | null | undefined, lines: readonly number[]): string | null {
  const quoted: string[] = [];
  // Quoted values kept aside, so a `{1}` inside a title stays.
  let rest = (meta ?? '').replace(QUOTED, (q) => `\u0000${quoted.push(q) - 1}\u0000`);
  rest = rest.replace(RANGES, '').replace(/(?:^|\s)hl_lines=\u0000\d+\u0000/, '');
  rest = rest.replace(/\u0000(\d+)\u0000/g, (_, i: string) => quoted[Number(i)]!).replace(/\s+/g, ' ').trim();
  const range = lines.length ? `{${lines.join(',')}}` : '';
  return [rest, range].filter(Boolean).join(' ') || null;
}

/**
 * A fence's language with VitePress' highlighted lines or line numbers written against it taken
 * off, into the meta: ` ```js{4} ` is `js` with `{4}`, ` ```ts:line-numbers ` is `ts` with
 * `:line-numbers`. Any other language is returned as it is.
 */
export function splitFenceLanguage(lang: string, meta: string | null | undefined): { lang: string; meta: string | null } {
  const m = /^([^\s{:]+)((?:\{[\d\s,-]*\}|:(?:no-)?line-numbers(?:=\d+)?)+)$/.exec(lang);
  if (!m) return { lang, meta: meta ?? null };
  // `{4}:line-numbers` as two words, each read as it is after a space.
  const taken = m[2]!.match(/\{[^}]*\}|:[^:{]+/g)!.join(' ');
  return { lang: m[1]!, meta: [taken, meta?.trim()].filter(Boolean).join(' ') };
}
