/**
 * Cuts a parsed document's sections into bounded, heading-aware chunks.
 *
 * - A chunk never spans two sections: each carries its section's breadcrumb and anchor.
 * - A section longer than `maxTokens` is split between blocks, then inside an oversized block:
 *   prose at blank lines, then between list items, then after lines that end a sentence, then at
 *   line ends, then between words (so a long list of options is cut between options, not in the
 *   middle of one's description); a code fence only when the fence alone is too big, at line
 *   ends, each piece re-fenced with the same language; a table between rows, each piece
 *   repeating the header rows.
 * - The pieces of a split section are packed into chunks of similar size, so a section does not
 *   end with a tiny remainder; a remainder smaller than `minTokens` joins the previous chunk of
 *   the same section when the result stays within `maxTokens`.
 *
 * Sizes are in estimated tokens ({@link estimateTokens}): roughly what LLM tokenizers count.
 */
import type { Block, Section } from './parse';

export interface ChunkOptions {
  /** Largest chunk, in estimated tokens. Default 350. */
  maxTokens?: number;
  /** A piece smaller than this joins the previous chunk of its section when it fits. Default 40. */
  minTokens?: number;
}

export const DEFAULT_CHUNK_OPTIONS: Readonly<Required<ChunkOptions>> = Object.freeze({ maxTokens: 350, minTokens: 40 });

export interface DocumentChunk {
  /** 0-based position in the document. */
  ordinal: number;
  /** Breadcrumb: page title, then the headings down to the chunk's section. */
  headings: string[];
  /** The breadcrumb as one string: `Page title > H2 > H3`. */
  heading: string;
  /** Slug of the section's heading on the docs site (`''` for the introduction). */
  anchor: string;
  /** The chunk's markdown. */
  text: string;
  /** Estimated tokens of `text`. */
  tokenCount: number;
}

const TOKEN = /[A-Za-z]+|\d+|[^\sA-Za-z\d]/g;

/** Estimated tokens: words, numbers and punctuation marks each count one (close to BPE tokenizers on docs). */
export function estimateTokens(text: string): number {
  let n = 0;
  TOKEN.lastIndex = 0;
  while (TOKEN.exec(text) !== null) n++;
  return n;
}

/** Chunks a document's sections, in order. */
export function chunkSections(sections: readonly Section[], options: ChunkOptions = {}): DocumentChunk[] {
  const maxTokens = options.maxTokens ?? DEFAULT_CHUNK_OPTIONS.maxTokens;
  const minTokens = options.minTokens ?? DEFAULT_CHUNK_OPTIONS.minTokens;
  if (!Number.isInteger(maxTokens) || maxTokens < 20) throw new RangeError('chunking.maxTokens must be a whole number ≥ 20');
  if (!Number.isInteger(minTokens) || minTokens < 0 || minTokens >= maxTokens) {
    throw new RangeError('chunking.minTokens must be a whole number from 0 to maxTokens - 1');
  }

  const out: DocumentChunk[] = [];
  for (const section of sections) {
    const pieces = section.blocks.flatMap((block) => splitBlock(block, maxTokens));
    for (const text of pack(pieces, maxTokens, minTokens)) {
      out.push({
        ordinal: out.length,
        headings: section.headings,
        heading: section.headings.join(' > '),
        anchor: section.anchor,
        text,
        tokenCount: estimateTokens(text),
      });
    }
  }
  return out;
}

interface Piece {
  text: string;
  tokens: number;
  /** What joins it to the piece before it in one chunk: a blank line, or a line end between two parts of one paragraph (a tight list stays tight). */
  glue?: '\n';
}

const piece = (text: string): Piece => ({ text, tokens: estimateTokens(text) });

/** Packs pieces (in order) into chunks of at most `max` tokens and similar sizes. */
function pack(pieces: Piece[], max: number, min: number): string[] {
  if (pieces.length === 0) return [];
  const SEPARATOR = 1; // the blank line between pieces
  const total = pieces.reduce((sum, p) => sum + p.tokens + SEPARATOR, -SEPARATOR);
  const target = total / Math.ceil(total / max);
  const chunks: Piece[][] = [];
  let current: Piece[] = [];
  let size = 0;
  for (const p of pieces) {
    const grown = current.length === 0 ? p.tokens : size + SEPARATOR + p.tokens;
    // Close the chunk when the piece does not fit, or when the chunk is big enough: at the
    // target size, or nearer to it without the piece than with it.
    if (current.length > 0 && (grown > max || size >= target || grown - target > target - size)) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    size = current.length === 0 ? p.tokens : size + SEPARATOR + p.tokens;
    current.push(p);
  }
  chunks.push(current);

  // A tiny remainder joins the previous chunk of the section when it fits.
  const last = chunks[chunks.length - 1]!;
  const prev = chunks[chunks.length - 2];
  const sizeOf = (c: Piece[]) => c.reduce((sum, p) => sum + p.tokens + SEPARATOR, -SEPARATOR);
  if (prev && sizeOf(last) < min && sizeOf(prev) + SEPARATOR + sizeOf(last) <= max) {
    prev.push(...chunks.pop()!);
  }
  return chunks.map((c) => c.map((p, i) => (i === 0 ? p.text : `${p.glue ?? '\n\n'}${p.text}`)).join(''));
}

/** Splits one block into pieces of at most `max` tokens (a block that fits stays whole). */
function splitBlock(block: Block, max: number): Piece[] {
  const whole = piece(block.text);
  if (whole.tokens <= max) return [whole];
  if (block.kind === 'code' && block.fence) return splitFence(block.text, block.fence.open, block.fence.close, '', max);
  if (block.kind === 'table') return splitTable(block.text, max);
  return splitProse(block.text, max);
}

/** Splits a fenced code block at line ends; each piece is re-fenced with the same opening line. */
function splitFence(text: string, open: string, close: string, indent: string, max: number): Piece[] {
  const lines = text.split('\n').slice(1, -1);
  const overhead = estimateTokens(open) + estimateTokens(close) + 2;
  const budget = Math.max(1, max - overhead);
  const groups = packLines(lines.flatMap((l) => splitLongLine(l, budget)), budget);
  return groups.map((g) => piece(`${indent}${open}\n${g.join('\n')}\n${indent}${close}`));
}

/** Splits a table between rows; each piece repeats the header and delimiter rows. */
function splitTable(text: string, max: number): Piece[] {
  const lines = text.split('\n');
  const header = lines.slice(0, 2);
  const headerTokens = estimateTokens(header.join('\n')) + 1;
  const budget = max - headerTokens;
  if (budget < max / 4) return splitLines(lines, max); // a header this large is not worth repeating
  return packLines(lines.slice(2).flatMap((l) => splitLongLine(l, budget)), budget).map((rows) =>
    piece([...header, ...rows].join('\n')),
  );
}

/**
 * Splits prose at blank lines, keeping fenced code (e.g. inside list items) whole when it fits;
 * then splits oversized paragraphs at line ends.
 */
function splitProse(text: string, max: number): Piece[] {
  const units: { text: string; fence?: { open: string; close: string; indent: string } }[] = [];
  const lines = text.split('\n');
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) units.push({ text: paragraph.join('\n') });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const opener = /^(\s*)(?:[-*+]\s+|\d+[.)]\s+)?(`{3,}|~{3,})(.*)$/.exec(line);
    if (opener) {
      flush();
      const [, indent = '', fence = '```'] = opener;
      const end = lines.findIndex((l, j) => j > i && l.trim().startsWith(fence) && /^(`{3,}|~{3,})$/.test(l.trim()));
      const stop = end === -1 ? lines.length - 1 : end;
      units.push({
        text: lines.slice(i, stop + 1).join('\n'),
        fence: { open: line.slice(indent.length).trimEnd(), close: fence, indent },
      });
      i = stop;
      continue;
    }
    if (line.trim() === '') flush();
    else paragraph.push(line);
  }
  flush();

  const pieces: Piece[] = [];
  for (const unit of units) {
    const p = piece(unit.text);
    if (p.tokens <= max) pieces.push(p);
    // One at a time: a long list (200,000 items) is more pieces than `push(...pieces)` may pass.
    else for (const part of unit.fence ? splitFence(unit.text, unit.fence.open, unit.fence.close, unit.fence.indent, max) : splitParagraph(unit.text.split('\n'), max)) pieces.push(part);
  }
  return pieces;
}

/** A list item's first line (`- `, `* `, `+ `, `1. `, `1) `), and its indentation. */
const LIST_ITEM = /^(\s*)(?:[-*+]|\d+[.)])\s/;
/** A line that ends a sentence (closing quotes, brackets or emphasis may follow the mark). */
const SENTENCE_END = /[.!?:]["')\]*_`]*\s*$/;

/**
 * An oversized paragraph (a long list without blank lines, or hard-wrapped prose) as pieces that
 * each start a list item, or, inside one item or outside lists, a sentence: a chunk boundary then
 * never falls in the middle of an option's description. A part still too big is cut at line ends.
 * The pieces of one paragraph are joined by line ends, not blank lines, when they share a chunk.
 */
function splitParagraph(lines: string[], max: number): Piece[] {
  const firstItem = lines.map((l) => LIST_ITEM.exec(l)).find((m) => m !== null);
  const itemIndent = firstItem ? firstItem[1]!.length : -1;
  const startsItem = (line: string) => {
    const m = LIST_ITEM.exec(line);
    return m !== null && m[1]!.length <= itemIndent;
  };
  // Whole list items (or, without a list, the whole paragraph), then sentences inside those too big.
  const items: string[][] = [];
  for (const line of lines) {
    if (items.length === 0 || startsItem(line)) items.push([line]);
    else items[items.length - 1]!.push(line);
  }
  const parts: string[][] = [];
  for (const item of items) {
    if (estimateTokens(item.join('\n')) <= max) {
      parts.push(item);
      continue;
    }
    let sentence: string[] = [];
    for (const line of item) {
      sentence.push(line);
      if (SENTENCE_END.test(line)) {
        parts.push(sentence);
        sentence = [];
      }
    }
    if (sentence.length) parts.push(sentence);
  }
  return parts.flatMap((part) => (estimateTokens(part.join('\n')) <= max ? [piece(part.join('\n'))] : splitLines(part, max))).map((p, i) => (i === 0 ? p : { ...p, glue: '\n' as const }));
}

function splitLines(lines: string[], max: number): Piece[] {
  return packLines(lines.flatMap((l) => splitLongLine(l, max)), max).map((g) => piece(g.join('\n')));
}

/** Groups lines (in order) so each group's tokens stay within `budget`. */
function packLines(lines: string[], budget: number): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const line of lines) {
    const tokens = estimateTokens(line) + 1;
    if (current.length > 0 && size + tokens > budget) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(line);
    size += tokens;
  }
  if (current.length) groups.push(current);
  return groups;
}

/** Splits a line longer than `budget` tokens between words (or, for a single huge word, by length). */
function splitLongLine(line: string, budget: number): string[] {
  if (estimateTokens(line) + 1 <= budget) return [line];
  const out: string[] = [];
  let current = '';
  // Tokens of `current`. No estimated token spans whitespace, and `current` is empty or ends in
  // whitespace, so estimateTokens(current + word) is currentTokens + estimateTokens(word): the
  // line is scanned once, not the whole growing part again for every word.
  let currentTokens = 0;
  for (const word of line.split(/(?<=\s)/)) {
    const wordTokens = estimateTokens(word);
    if (current !== '' && currentTokens + wordTokens + 1 > budget) {
      out.push(current.trimEnd());
      current = '';
      currentTokens = 0;
    }
    if (wordTokens + 1 > budget) {
      // A single "word" of many tokens (minified code, a long URL): cut it by characters.
      for (const part of cutLongWord(word, budget)) out.push(part);
      continue;
    }
    current += word;
    currentTokens += wordTokens;
  }
  if (current.trim() !== '') out.push(current.trimEnd());
  return out;
}

/**
 * A word of more than `budget - 1` tokens cut by characters: each part is the rest of the word,
 * halved until it has at most `budget - 1` tokens. The tokens of each candidate part are counted
 * from one pass over the word ({@link tokenStartsBefore}), not by estimating each slice again:
 * the slices were as long as the rest of the word, so a 80 kB word (a line of backticks, minified
 * code) took seconds, and twice as long a word four times as long.
 */
export function cutLongWord(word: string, budget: number): string[] {
  const startsBefore = tokenStartsBefore(word);
  // estimateTokens(word.slice(from, to)): a token the cut at `from` splits counts once in the part.
  const tokensIn = (from: number, to: number) => (isSpace(word.charCodeAt(from)) ? 0 : 1) + startsBefore[to]! - startsBefore[from + 1]!;
  const parts: string[] = [];
  for (let at = 0; at < word.length; ) {
    let take = word.length - at;
    while (take > 1 && tokensIn(at, at + take) + 1 > budget) take = Math.floor(take / 2);
    parts.push(word.slice(at, at + take));
    at += take;
  }
  return parts;
}

/** Character classes of {@link estimateTokens}' tokens: letters and digits run on, any other character is a token of its own. */
const SPACE_CHAR = 0;
const LETTER = 1;
const DIGIT = 2;
const OTHER = 3;

const SPACE = /\s/;

function isSpace(code: number): boolean {
  return SPACE.test(String.fromCharCode(code));
}

function charClass(code: number): number {
  if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) return LETTER;
  if (code >= 48 && code <= 57) return DIGIT;
  return isSpace(code) ? SPACE_CHAR : OTHER;
}

/**
 * For each position `i` of `text` (0 to its length), how many of {@link estimateTokens}' tokens
 * start before it. Whether a token starts at a position depends only on that character and the
 * one before it, so the tokens of `text.slice(from, to)` are the starts in `from + 1 … to - 1`,
 * plus one for the character at `from` unless it is a space.
 */
function tokenStartsBefore(text: string): Uint32Array {
  const counts = new Uint32Array(text.length + 1);
  let previous = SPACE_CHAR;
  for (let i = 0; i < text.length; i++) {
    const current = charClass(text.charCodeAt(i));
    const starts = current === OTHER || (current !== SPACE_CHAR && current !== previous);
    counts[i + 1] = counts[i]! + (starts ? 1 : 0);
    previous = current;
  }
  return counts;
}
