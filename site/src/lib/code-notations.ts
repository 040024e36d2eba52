/**
 * Markup inside code blocks that Shiki-based docs sites (VitePress, Fumadocs) remove before
 * showing the block, and that Docent's docs site removes too (`remark-code-magic-comments.ts`).
 * Ingest keeps it in the chunks for now: leaving it out there moved the retrieval gate a little
 * either way on the corpora that use it (BENCHMARKS, twenty-eighth session), to be weighed
 * separately.
 *
 * - **Notation comments** (Shiki's transformers, on by default in VitePress): a comment ending a
 *   line, `// [!code focus]`, `// [!code ++]`, `# [!code highlight]`, `<!-- [!code --] -->`,
 *   `// [!code word:Hono]`, marks that line (or, alone on its line with a count, `[!code
 *   highlight:3]`, the lines after it). The comment goes; a line left empty by it goes too. Lines
 *   marked `highlight`, `hl`, `focus`, `++`, `error` or `warning` are highlighted on the docs site.
 * - **Twoslash** (a fence with `twoslash` in its meta): the lines before `// ---cut---` (or
 *   `---cut-before---`), after `// ---cut-after---` and between `// ---cut-start---` and
 *   `// ---cut-end---` set up the example for the type checker and are not shown; nor are its
 *   compiler flags (`// @noErrors`, `// @errors: 2322`, `// @filename: app.ts`) and its type
 *   queries (`//    ^?`).
 */

export interface CodeNotations {
  /** The code as a reader sees it. */
  code: string;
  /** The lines marked for highlighting, 1-based, in {@link CodeNotations.code}. */
  highlighted: number[];
  /** For each line of {@link CodeNotations.code}, its line (1-based) in the code as written. */
  writtenLines: number[];
}

/** A notation comment at the end of a line, in any comment syntax: its directive in group 1. */
const NOTATION = /[ \t]*(?:\/\/|#|--|\/\*|<!--|\{\/\*)[ \t]*\[!code ([^\]\n]+)\][ \t]*(?:\*\/\}?|-->)?[ \t]*$/;
/** Directives that highlight the line on the docs site. */
const HIGHLIGHTING = /^(?:highlight|hl|focus|\+\+|error|warning)(?::(\d+))?$/;

/** A twoslash line that is never shown: a cut marker, a compiler flag or a type query. */
const TWOSLASH_CUT = /^[ \t]*\/\/ ?---(cut(?:-before|-after|-start|-end)?)---[ \t]*$/;
const TWOSLASH_FLAG = /^[ \t]*\/\/ ?@[A-Za-z]+(?::.*)?$/;
const TWOSLASH_QUERY = /^[ \t]*\/\/[ \t]*\^[?|^~]*(?:[ \t].*)?$/;

/** Whether a fence's meta turns on twoslash (`ts twoslash`, `ts twoslash title="app.ts"`). */
export function isTwoslash(meta: string | null | undefined): boolean {
  return meta !== null && meta !== undefined && /(?:^|\s)twoslash(?:\s|$)/.test(meta);
}

/** `code` (a code block's lines, without its fences) as Shiki-based sites show it; see the module comment. */
export function readCodeNotations(code: string, meta?: string | null): CodeNotations {
  const twoslash = isTwoslash(meta) && code.includes('//');
  if (!twoslash && !code.includes('[!code ')) {
    return { code, highlighted: [], writtenLines: code.split('\n').map((_, i) => i + 1) };
  }
  let lines = code.split('\n').map((text, i) => ({ text, written: i + 1 }));
  if (twoslash) lines = withoutTwoslashMarkup(lines);
  const kept: { text: string; written: number }[] = [];
  const highlighted: number[] = [];
  /** Lines after a `[!code highlight:3]` comment alone on its line still to highlight. */
  let pending = 0;
  for (const line of lines) {
    const match = NOTATION.exec(line.text);
    if (!match) {
      kept.push(line);
      if (pending > 0) {
        highlighted.push(kept.length);
        pending--;
      }
      continue;
    }
    const directive = HIGHLIGHTING.exec(match[1]!.trim());
    const text = line.text.slice(0, match.index);
    if (text.trim() === '') {
      // Alone on its line: it marks the lines after it (one, unless it gives a count).
      if (directive) pending = Number(directive[1] ?? 1);
      continue;
    }
    kept.push({ text, written: line.written });
    if (directive || pending > 0) highlighted.push(kept.length);
    if (pending > 0) pending--;
  }
  return { code: kept.map((l) => l.text).join('\n'), highlighted, writtenLines: kept.map((l) => l.written) };
}

type Line = { text: string; written: number };

/** The lines a twoslash block shows: cut regions, compiler flags and type queries left out. */
function withoutTwoslashMarkup(lines: Line[]): Line[] {
  let shown = lines;
  const cutBefore = shown.findLastIndex((l) => /^(?:cut|cut-before)$/.test(TWOSLASH_CUT.exec(l.text)?.[1] ?? ''));
  if (cutBefore >= 0) shown = shown.slice(cutBefore + 1);
  const cutAfter = shown.findIndex((l) => TWOSLASH_CUT.exec(l.text)?.[1] === 'cut-after');
  if (cutAfter >= 0) shown = shown.slice(0, cutAfter);
  const out: Line[] = [];
  let inCut = false;
  for (const line of shown) {
    const cut = TWOSLASH_CUT.exec(line.text)?.[1];
    if (cut === 'cut-start') inCut = true;
    else if (cut === 'cut-end') inCut = false;
    else if (!inCut && !TWOSLASH_FLAG.test(line.text) && !TWOSLASH_QUERY.test(line.text)) out.push(line);
  }
  return out;
}
