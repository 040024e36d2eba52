/**
 * What the embedder reads for each chunk.
 *
 * Every input starts with the chunk's breadcrumb (`Page title > H2 > H3`), then plain text made
 * from the chunk's markdown (fence lines, link targets and emphasis marks dropped: they cost
 * tokens and carry little meaning). A model with a short input window (Universal Sentence Encoder
 * Lite reads 128 tokens) cannot see a whole chunk, so the strategy decides what it sees:
 *
 * - `windows` (default): the chunk is cut at line ends (then words) into as many windows as it
 *   takes, each prefixed with the breadcrumb and fitting the model's window; every window is
 *   embedded and the chunk's vector is their normalised mean ({@link combineWindowVectors}).
 *   Nothing is left unread, and a chunk still has one vector.
 * - `prefix`: one input, the breadcrumb and the start of the text, cut explicitly at the window.
 *
 * Which one works better was measured on the Hono docs: see BENCHMARKS.md.
 * A model whose window holds the whole chunk (OpenAI's 8,191 tokens) gets one input either way.
 */
import type { EmbeddingProvider } from '../server/embed/provider';
import { estimateTokens } from './chunk';

export type EmbeddingInputStrategy = 'windows' | 'prefix';

export const DEFAULT_EMBEDDING_INPUT: EmbeddingInputStrategy = 'windows';

/** Bumped whenever the inputs built here change, so stored vectors are recomputed. */
export const EMBEDDING_INPUT_VERSION = 1;

/** Tokens kept free in every window, for the tokenizer's own markers and counting slack. */
const WINDOW_MARGIN = 4;

type TokenCounter = Pick<EmbeddingProvider, 'maxInputTokens' | 'countTokens' | 'tokenFloor'>;

/** The texts to embed for one chunk (at least one; the first is the chunk's main vector). */
export function embeddingInputs(
  chunk: { headings: readonly string[]; text: string },
  embedder: TokenCounter,
  strategy: EmbeddingInputStrategy = DEFAULT_EMBEDDING_INPUT,
): string[] {
  const count = (s: string) => (embedder.countTokens ? embedder.countTokens(s) : estimateTokens(s));
  // A bound of the model's count, so a long word is cut without counting its long parts.
  const floor = embedder.countTokens && embedder.tokenFloor ? (s: string) => embedder.tokenFloor!(s) : undefined;
  const window = embedder.maxInputTokens - WINDOW_MARGIN;
  let breadcrumb = chunk.headings.join(' > ');
  // A breadcrumb may take at most half the window (some API headings are whole signatures).
  if (count(breadcrumb) > window / 2) breadcrumb = cutToTokens(breadcrumb, Math.floor(window / 2), count, floor)[0]!;
  const budget = window - count(breadcrumb) - 1;
  const body = plainText(chunk.text);
  if (body === '') return [breadcrumb];

  // Each line is counted once (the count is deterministic), and its count reused to pack windows.
  const lines = body.split('\n').flatMap((line) => {
    const tokens = count(line);
    if (tokens <= budget) return [{ line, tokens }];
    return cutToTokens(line, budget, count, floor).map((part) => ({ line: part, tokens: count(part) }));
  });
  const windows: string[] = [];
  let current: string[] = [];
  let size = 0;
  for (const { line, tokens: lineTokens } of lines) {
    const tokens = lineTokens + 1;
    if (current.length > 0 && size + tokens > budget) {
      windows.push(current.join('\n'));
      if (strategy === 'prefix') break;
      current = [];
      size = 0;
    }
    current.push(line);
    size += tokens;
  }
  if (current.length > 0 && (strategy === 'windows' || windows.length === 0)) windows.push(current.join('\n'));
  return windows.map((w) => `${breadcrumb}\n${w}`);
}

/** One vector for a chunk from its windows' vectors: their mean, scaled to unit length. */
export function combineWindowVectors(vectors: readonly number[][]): number[] {
  if (vectors.length === 1) return vectors[0]!;
  const dims = vectors[0]!.length;
  const mean = new Array<number>(dims).fill(0);
  for (const v of vectors) for (let i = 0; i < dims; i++) mean[i]! += v[i]!;
  let sum = 0;
  for (const x of mean) sum += x * x;
  const norm = Math.sqrt(sum) || 1;
  return mean.map((x) => x / norm);
}

/** Markdown reduced to the words an embedder should read. */
export function plainText(markdown: string): string {
  return markdown
    .split('\n')
    .filter((line) => !/^\s*(`{3,}|~{3,})/.test(line)) // fence lines
    .filter((line) => !/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line)) // table delimiter rows
    .map((line) =>
      line
        .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1') // images → alt text
        .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1') // links → their text
        .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1') // reference links → their text
        .replace(/(\*\*|__|`)/g, '') // strong and code marks
        .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/, '') // heading, quote and list markers
        .replace(/^\s*\||\|\s*$/g, '')
        .replace(/\s*\|\s*/g, ' | ')
        .trim(),
    )
    .filter((line) => line.trim() !== '')
    .join('\n');
}

/**
 * Cuts `text` between words into parts of at most `budget` tokens (a single huge word by characters).
 *
 * Reads words in order: a part ends before the first word that would take it over `budget`, and a
 * word over `budget` on its own is cut by characters into parts of its own. Where a part ends is
 * found by a galloping then binary search over word boundaries, not by counting the growing part
 * after every word: with USE-Lite's tokenizer (quadratic in its input) that cost seconds per long
 * paragraph. The search needs `count` to never decrease when whole words are appended to a text
 * that ends in whitespace; `estimateTokens` (additive over such texts) and USE-Lite's SentencePiece
 * tokenizer (no vocabulary piece spans a space or an unknown whitespace character, so the tokens up to
 * that boundary stay the same and each appended word adds at least one) both have that property.
 * The parts are then exactly the ones a word-by-word scan finds, with O(log n) counts per part.
 *
 * A word over `budget` is cut by halving the rest of it until the part fits. A long run of letters
 * is one estimated token but one model token every few letters, so such a word reaches here whole
 * from the chunker; counting the whole rest of it for every part made a 200 kB word take
 * hours. With `floor`, a candidate part it already puts over `budget` is not counted: the same
 * parts, each found by counting texts about as long as it.
 * @param text one line of plain text
 * @param budget the most tokens a part may have
 * @param count the model's token counter (must have the property above)
 * @param floor for a word, a lower bound of `count(word.slice(from, to))` (`EmbeddingProvider.tokenFloor`)
 * @returns the parts, trimmed, in order
 */
export function cutToTokens(
  text: string,
  budget: number,
  count: (s: string) => number,
  floor?: (word: string) => (from: number, to: number) => number,
): string[] {
  const words = text.split(/(?<=\s)/);
  const parts: string[] = [];
  let current = '';
  // While `current` only grows by the next words: the index of the first word it cannot take.
  let overflow: number | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (current !== '') {
      overflow ??= firstOverflow(current, words, i, budget, count);
      if (i >= overflow) {
        parts.push(current.trim());
        current = '';
        overflow = undefined;
      }
    }
    if (count(word) > budget) {
      const atLeast = floor?.(word);
      const over = (from: number, to: number) => (atLeast !== undefined && atLeast(from, to) > budget) || count(word.slice(from, to)) > budget;
      for (let at = 0; at < word.length; ) {
        let take = word.length - at;
        while (take > 1 && over(at, at + take)) take = Math.floor(take / 2);
        parts.push(word.slice(at, at + take));
        at += take;
      }
      // `current` did not take this word: the words after it no longer extend the text searched.
      overflow = undefined;
      continue;
    }
    current += word;
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts;
}

/**
 * The first index `k >= from` with `count(current + words[from..k]) > budget`, or `words.length`
 * when every word fits. `current` (non-empty, within budget, ending in whitespace) is extended by
 * 1, 2, 4, … words until it overflows, then the boundary is found by binary search between the
 * last length that fit and the first that did not, so no text counted is more than about twice
 * the part found.
 */
function firstOverflow(current: string, words: readonly string[], from: number, budget: number, count: (s: string) => number): number {
  const over = (k: number) => count(current + words.slice(from, k + 1).join('')) > budget;
  let fits = from - 1; // `current` alone fits
  let step = 1;
  let overflows = words.length;
  while (fits + step < words.length) {
    const k = fits + step;
    if (over(k)) {
      overflows = k;
      break;
    }
    fits = k;
    step *= 2;
  }
  if (overflows === words.length && (fits === words.length - 1 || !over(words.length - 1))) return words.length;
  if (overflows === words.length) overflows = words.length - 1;
  while (overflows - fits > 1) {
    const mid = (fits + overflows) >> 1;
    if (over(mid)) overflows = mid;
    else fits = mid;
  }
  return overflows;
}
