/**
 * Refuses, before parsing, markdown that the parser (micromark) would take minutes to read: no
 * docs page looks like it, a generated or corrupted file can. Two shapes make parsing time grow
 * much faster than the file:
 * - containers nested hundreds of levels deep (lists indented 2 more on each line, `> > > …`,
 *   `- - - …`): 250 levels take about a second, 1000 a minute, 2000 six minutes;
 * - thousands of emphasis markers (`*`, `_`) in one paragraph: 50,000 `*` around one word take
 *   minutes (micromark matches each closing marker against the openers before it);
 * - in MDX, expression braces nested hundreds deep (`{{{{…}}}}`): 500 levels take 6 s, 1000 18 s,
 *   5000 (a 10 kB file) two and a half minutes;
 * - tens of thousands of links in one paragraph (`[a](` ×50,000, a 200 kB line: 29 s; `[a][b`
 *   ×50,000: 34 s), of link reference definitions in a page (50,000: 30 s and 1.5 GB), or of
 *   footnote definitions (20,000: a minute; 50,000: 75 s and 2.3 GB);
 * - backtick runs that open no code span (micromark looks for the closing run to the end of the
 *   paragraph from each): runs of 1, 2, … 500 backticks (125 kB) take 9 s to parse and 29 more to chunk.
 * Like markdown-it's `maxNesting` (100), the limits are far above what docs pages write (none of
 * the eval corpora's 900 pages nests 10 deep or has 200 markers in a paragraph; the most are 166
 * links in a paragraph, 158 link definitions and 1 footnote in a page, backtick runs left open that
 * make the parser read 114 characters) and low enough that a page just under them still parses in
 * about a second (2000 links in a paragraph: 0.4 s; 2000 definitions: 1 s; 1000 footnotes: 0.8 s). The scan is one pass over the lines that
 * approximates CommonMark's block structure (fenced code, code spans and table rows are left out
 * of the counts), about 45 ms per MB of markdown, a few percent of parsing it.
 */

/** Containers (list items, blockquotes) inside each other a page may have. */
export const MAX_NESTING_DEPTH = 100;

/** `*` and `_` markers one paragraph (a table row, a heading) may hold, outside code spans. */
export const MAX_EMPHASIS_MARKERS = 2000;

/** `{` an MDX page's expressions may nest in one paragraph (`style={{ a: { b: 1 } }}` is 3), outside code. */
export const MAX_MDX_BRACE_DEPTH = 100;

/** Links (`](` and `][`, the brackets that end a link's text) one paragraph may hold, outside code spans. */
export const MAX_LINKS_PER_PARAGRAPH = 2000;

/** Link reference definitions (`[name]: https://…` lines) a page may have. */
export const MAX_LINK_DEFINITIONS = 2000;

/** Footnote definitions (`[^1]: …` lines) a page may have. */
export const MAX_FOOTNOTE_DEFINITIONS = 1000;

/**
 * Characters the parser may read, in one paragraph, looking for the closing runs of backtick runs
 * that have none (the rest of the paragraph after each): a stray backtick in a 100-word paragraph
 * is a few hundred; the pages of the eval corpora reach 114.
 */
export const MAX_UNCLOSED_CODE_SCAN = 1_000_000;

/** Options of {@link findParseLimitProblem}. */
export interface ParseLimitOptions {
  /** Whether the text is read as MDX, where `{` opens an expression ({@link MAX_MDX_BRACE_DEPTH}). Default false. */
  mdx?: boolean;
}

/** Where and why a page is past a limit of {@link findParseLimitProblem}. */
export interface ParseLimitProblem {
  /** 1-based line in the text scanned. */
  line: number;
  reason: string;
}

const FENCE = /^(`{3,}|~{3,})/;
const LIST_MARKER = /^(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)/;
/** A GFM table's delimiter row (`|---|:--:|`), which makes each following line a row of its own. */
const TABLE_DELIMITER_ROW = /^\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
const CODE_SPAN = /(`+)[^`]*?\1/g;
const LINK_DEFINITION = /^\[(?!\^)(?:[^\]\\]|\\.)+\]:/;
const FOOTNOTE_DEFINITION = /^\[\^[^\]\s]+\]:/;
const BACKTICK_RUN = /`+/g;

/**
 * The first place where `text` (a page's text as it is about to be parsed, `\n` line endings)
 * nests containers deeper than {@link MAX_NESTING_DEPTH}; holds, in one paragraph, more than
 * {@link MAX_EMPHASIS_MARKERS} emphasis markers, more than {@link MAX_LINKS_PER_PARAGRAPH} links or
 * backtick runs left open past {@link MAX_UNCLOSED_CODE_SCAN}; has more than
 * {@link MAX_LINK_DEFINITIONS} link definitions or {@link MAX_FOOTNOTE_DEFINITIONS} footnotes; or
 * (MDX) nests expression braces deeper than {@link MAX_MDX_BRACE_DEPTH} in one paragraph;
 * `undefined` when it does none of that.
 */
export function findParseLimitProblem(text: string, options: ParseLimitOptions = {}): ParseLimitProblem | undefined {
  /** The content columns of the list items still open, innermost last. */
  const items: number[] = [];
  let fence: { char: string; length: number } | undefined;
  let markers = 0;
  let braces = 0;
  let links = 0;
  let linkDefinitions = 0;
  let footnoteDefinitions = 0;
  let inTable = false;
  /** The backtick runs of the paragraph so far (their lengths and offsets in it), its length and first line. */
  let paragraph = { runs: [] as { length: number; at: number }[], length: 0, line: 0 };
  /** The problem of the paragraph that ends here (its unclosed backtick runs), starting a new one. */
  const endParagraph = (): ParseLimitProblem | undefined => {
    const ended = paragraph;
    paragraph = { runs: [], length: 0, line: 0 };
    if (unclosedCodeScan(ended.runs, ended.length) <= MAX_UNCLOSED_CODE_SCAN) return undefined;
    return {
      line: ended.line,
      reason: `backtick runs (\`) that open no code span, so many in one paragraph that reading it would take long: close each code span, escape the stray backticks (\\\`), or put such text in a code block`,
    };
  };
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const number = index + 1;
    const { depth, rest, startsBlock } = containerPrefix(line, items);
    if (depth > MAX_NESTING_DEPTH) {
      return { line: number, reason: `nested ${depth} levels deep (lists or blockquotes inside each other; at most ${MAX_NESTING_DEPTH} are read): flatten the nesting` };
    }
    const fenceMark = FENCE.exec(rest)?.[1];
    if (fence) {
      if (fenceMark && fenceMark[0] === fence.char && fenceMark.length >= fence.length && rest.slice(fenceMark.length).trim() === '') fence = undefined;
      continue;
    }
    if (fenceMark) {
      fence = { char: fenceMark[0]!, length: fenceMark.length };
      markers = 0;
      links = 0;
      const problem = endParagraph();
      if (problem) return problem;
      continue;
    }
    if (rest.trim() === '') {
      markers = 0;
      links = 0;
      braces = 0;
      inTable = false;
      const problem = endParagraph();
      if (problem) return problem;
      continue;
    }
    if (rest.includes('|') && rest.includes('-') && TABLE_DELIMITER_ROW.test(rest.trim())) inTable = true;
    if (startsBlock || inTable || rest.startsWith('#')) {
      markers = 0;
      links = 0;
      const problem = endParagraph();
      if (problem) return problem;
    }
    if (rest.startsWith('[')) {
      if (FOOTNOTE_DEFINITION.test(rest) && ++footnoteDefinitions > MAX_FOOTNOTE_DEFINITIONS) {
        return { line: number, reason: `more than ${MAX_FOOTNOTE_DEFINITIONS} footnote definitions (\`[^1]: …\`) in one page: split the page` };
      }
      if (LINK_DEFINITION.test(rest) && ++linkDefinitions > MAX_LINK_DEFINITIONS) {
        return { line: number, reason: `more than ${MAX_LINK_DEFINITIONS} link reference definitions (\`[name]: https://…\`) in one page: split the page, or write the links inline` };
      }
    }
    if (paragraph.line === 0) paragraph.line = number;
    if (rest.includes('`')) {
      for (const run of rest.matchAll(BACKTICK_RUN)) paragraph.runs.push({ length: run[0].length, at: paragraph.length + run.index });
    }
    paragraph.length += rest.length + 1;
    if (rest.includes(']')) {
      links += countLinkEnds(rest);
      if (links > MAX_LINKS_PER_PARAGRAPH) {
        return { line: number, reason: `more than ${MAX_LINKS_PER_PARAGRAPH} links (\`](\`, \`][\`) in one paragraph: break it up, or put such text in a code block` };
      }
    }
    markers += countEmphasisMarkers(rest);
    if (markers > MAX_EMPHASIS_MARKERS) {
      return { line: number, reason: `more than ${MAX_EMPHASIS_MARKERS} emphasis markers (\`*\`, \`_\`) in one paragraph: break it up, or put such text in a code block` };
    }
    if (options.mdx) {
      braces = braceDepth(rest, braces);
      if (braces > MAX_MDX_BRACE_DEPTH) {
        return { line: number, reason: `MDX expression braces (\`{\`) nested more than ${MAX_MDX_BRACE_DEPTH} deep: write such text in a code block, or escape the braces (\`\\{\`)` };
      }
    }
  }
  return endParagraph();
}

/**
 * The characters read after the backtick runs of a paragraph of `length` characters that close no
 * code span: as CommonMark reads code spans, a run opens one that ends at the next run of the same
 * length; a run without one is text, and the parser has read the rest of the paragraph to find out.
 */
function unclosedCodeScan(runs: readonly { length: number; at: number }[], length: number): number {
  if (runs.length === 0) return 0;
  // The next run of the same length after each (-1: none), found from the end.
  const next = new Array<number>(runs.length);
  const laterOfLength = new Map<number, number>();
  for (let i = runs.length - 1; i >= 0; i--) {
    next[i] = laterOfLength.get(runs[i]!.length) ?? -1;
    laterOfLength.set(runs[i]!.length, i);
  }
  let scanned = 0;
  for (let i = 0; i < runs.length; ) {
    if (next[i]! >= 0) {
      i = next[i]! + 1;
    } else {
      scanned += length - runs[i]!.at;
      i++;
    }
  }
  return scanned;
}

/** The `](` and `][` of a line of text (the ends of link texts), outside its code spans. */
function countLinkEnds(text: string): number {
  const prose = text.includes('`') ? text.replace(CODE_SPAN, '') : text;
  let count = 0;
  for (let i = prose.indexOf(']'); i !== -1; i = prose.indexOf(']', i + 1)) {
    const after = prose.charCodeAt(i + 1);
    if (after === 40 || after === 91) count++;
  }
  return count;
}

/**
 * How deep `line` is nested: the list items of earlier lines it is indented into (`items`, which
 * this updates), then the blockquote and list markers it opens. `rest` is the line after them;
 * `startsBlock` whether it opens a list item (a new paragraph).
 */
function containerPrefix(line: string, items: number[]): { depth: number; rest: string; startsBlock: boolean } {
  let column = 0;
  let position = 0;
  const skipSpace = () => {
    while (position < line.length && (line[position] === ' ' || line[position] === '\t')) {
      column = line[position] === '\t' ? column + 4 - (column % 4) : column + 1;
      position++;
    }
  };
  skipSpace();
  if (position === line.length) return { depth: items.length, rest: '', startsBlock: false };
  let quotes = 0;
  while (line[position] === '>') {
    quotes++;
    position++;
    column++;
    skipSpace();
  }
  // A line indented less than an open item's content (after its blockquote markers) is not inside that item.
  while (items.length > 0 && column < items[items.length - 1]!) items.pop();
  let depth = items.length + quotes;
  let startsBlock = false;
  for (;;) {
    if (line[position] === '>') {
      depth++;
      position++;
      column++;
      skipSpace();
      continue;
    }
    const marker = LIST_MARKER.exec(line.slice(position, position + 11))?.[0];
    if (!marker) break;
    depth++;
    startsBlock = true;
    const markerColumn = column;
    position += marker.length;
    column += marker.length;
    const afterMarker = column;
    skipSpace();
    // Content starts one column after the marker when more than four spaces follow it (CommonMark).
    items.push(column - afterMarker > 4 || position === line.length ? markerColumn + marker.length + 1 : column);
  }
  return { depth, rest: line.slice(position), startsBlock };
}

/** The `*` and `_` of a line of text, outside its code spans. */
function countEmphasisMarkers(text: string): number {
  let count = 0;
  const prose = text.includes('`') ? text.replace(CODE_SPAN, '') : text;
  for (let i = 0; i < prose.length; i++) {
    const c = prose.charCodeAt(i);
    if (c === 42 || c === 95) count++;
  }
  return count;
}

/**
 * The depth of `{` after a line of MDX text (outside its code spans and escapes), from `depth`
 * before it; a `}` without an opener is ignored. Returns as soon as the depth passes the limit.
 */
function braceDepth(text: string, depth: number): number {
  const prose = text.includes('`') ? text.replace(CODE_SPAN, '') : text;
  for (let i = 0; i < prose.length; i++) {
    const c = prose.charCodeAt(i);
    if (c === 92) i++; // a backslash escapes the next character
    else if (c === 123 && ++depth > MAX_MDX_BRACE_DEPTH) return depth;
    else if (c === 125 && depth > 0) depth--;
  }
  return depth;
}
