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

type TokenCounter = Pick<EmbeddingProvider, 'maxInputTokens' | 'countTokens'>;

/** The texts to embed for one chunk (at least one; the first is the chunk's main vector). */
export function embeddingInputs(
  chunk: { headings: readonly string[]; text: string },
  embedder: TokenCounter,
  strategy: EmbeddingInputStrategy = DEFAULT_EMBEDDING_INPUT,
): string[] {
  const count = (s: string) => (embedder.countTokens ? embedder.countTokens(s) : estimateTokens(s));
  const window = embedder.maxInputTokens - WINDOW_MARGIN;
  let breadcrumb = chunk.headings.join(' > ');
  // A breadcrumb may take at most half the window (some API headings are whole signatures).
  if (count(breadcrumb) > window / 2) breadcrumb = cutToTokens(breadcrumb, Math.floor(window / 2), count)[0]!;
  const budget = window - count(breadcrumb) - 1;
  const body = plainText(chunk.text);
  if (body === '') return [breadcrumb];

  const lines = body.split('\n').flatMap((line) => (count(line) > budget ? cutToTokens(line, budget, count) : [line]));
  const windows: string[] = [];
  let current: string[] = [];
  let size = 0;
  for (const line of lines) {
    const tokens = count(line) + 1;
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

/** Cuts `text` between words into parts of at most `budget` tokens (a single huge word by characters). */
function cutToTokens(text: string, budget: number, count: (s: string) => number): string[] {
  const parts: string[] = [];
  let current = '';
  for (const word of text.split(/(?<=\s)/)) {
    if (current !== '' && count(current + word) > budget) {
      parts.push(current.trim());
      current = '';
    }
    if (count(word) > budget) {
      let rest = word;
      while (rest !== '') {
        let take = rest.length;
        while (take > 1 && count(rest.slice(0, take)) > budget) take = Math.floor(take / 2);
        parts.push(rest.slice(0, take));
        rest = rest.slice(take);
      }
      continue;
    }
    current += word;
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts;
}
