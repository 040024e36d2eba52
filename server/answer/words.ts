/**
 * The words of a text in any script, lower-cased, for matching a question against passages
 * (`extractive.ts`): runs of letters, combining marks, digits, `_` and `$` (`café`, `страницы`,
 * `maxRetries`, `$env`). Chinese and Japanese write no spaces between words, so a run of Han,
 * Hiragana or Katakana characters is read as its overlapping character pairs ("请求日志" as
 * 请求, 求日, 日志), the usual way to match such text without a dictionary: the pairs a question
 * and a passage share are mostly the words they share. A lone such character is a word of its own.
 *
 * Retrieval indexes and queries the same runs the same way (`docent_cjk_bigrams`,
 * migrations/0021_cjk_bigrams.sql, whose character class is {@link UNSPACED_RUN}'s written out):
 * the two must agree, and test/retrieval.cjk.test.ts checks that they do. Changing which
 * characters form a run here needs a migration that redefines that function too.
 */

/** A word: letters, combining marks (accents, Devanagari vowel signs), digits, `_` and `$`. */
const WORD = /[\p{L}\p{M}\p{N}_$]+/gu;
/** A run of characters of the scripts written without spaces between words. */
const UNSPACED_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc]+/u;
const UNSPACED_RUNS = new RegExp(UNSPACED_RUN.source, 'gu');

/** Whether `text` has a character of a script written without spaces (Han, kana). */
export function hasUnspacedScript(text: string): boolean {
  return UNSPACED_RUN.test(text);
}

/**
 * How many letters and digits `text` has, in any script, a Han or kana character counting twice
 * (it is most of a word): how much a sentence says, for leaving out fragments.
 */
export function letterCount(text: string): number {
  return (text.match(/[\p{L}\p{N}]/gu) ?? []).length + (text.match(UNSPACED_RUNS) ?? []).join('').length;
}

/** The overlapping character pairs of one run of Han or kana (a run of one character: itself). */
function pairsOf(run: string): string[] {
  const chars = [...run];
  if (chars.length === 1) return [chars[0]!];
  const pairs: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) pairs.push(chars[i]! + chars[i + 1]!);
  return pairs;
}

/**
 * The character pairs of each run of Han or kana in `text`, one list per run, in order (as
 * {@link wordsOf} and retrieval's `docent_cjk_bigrams` split them).
 */
export function unspacedRunPairs(text: string): string[][] {
  return [...text.toLowerCase().matchAll(UNSPACED_RUNS)].map((run) => pairsOf(run[0]));
}

/**
 * The lower-cased words of `text`, in order; a run of Han or kana as its character pairs (see
 * the module's comment), the letters around it as words of their own (`pglite数据库`: `pglite`,
 * 数据, 据库).
 */
export function wordsOf(text: string): string[] {
  const out: string[] = [];
  for (const token of text.toLowerCase().match(WORD) ?? []) {
    if (!UNSPACED_RUN.test(token)) {
      out.push(token);
      continue;
    }
    let last = 0;
    for (const run of token.matchAll(UNSPACED_RUNS)) {
      if (run.index > last) out.push(token.slice(last, run.index));
      out.push(...pairsOf(run[0]));
      last = run.index + run[0].length;
    }
    if (last < token.length) out.push(token.slice(last));
  }
  return out;
}
