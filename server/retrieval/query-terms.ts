/**
 * The lexical side of a question: its lexemes (Postgres's `english` configuration plus the parts
 * of code identifiers, exactly as chunks are indexed), their IDF from `lexeme_stats`, and typo
 * correction against the corpus vocabulary for words the index does not know.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/open';
import { isUuid } from '../db/uuid';
import { unspacedRunPairs } from '../answer/words';
import { isEnglishStem, isEnglishWord } from './english-words';

export interface QueryTerm {
  /** The lexeme searched for (after typo correction). */
  lexeme: string;
  /** The lexeme as the question spelled it, when it was corrected. */
  original?: string;
  /** Chunks containing it (0: unknown to the index). */
  df: number;
  /** BM25 inverse document frequency, `ln(1 + (N − df + 0.5) / (df + 0.5))`. */
  idf: number;
  /** Weight of the term in the score: 1, less for a corrected spelling. */
  weight: number;
  /** The question writes it as a name ({@link nameWords}): "Kafka", "gRPC", "JWE". */
  name?: boolean;
}

export interface QueryTerms {
  terms: QueryTerm[];
  /** Chunks in the index. */
  chunkCount: number;
  /** Average lexeme occurrences per chunk. */
  averageLength: number;
}

/** Weight of a term whose spelling was corrected. */
const CORRECTED_WEIGHT = 0.8;

export function idf(df: number, n: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/**
 * SQL: each lexeme of `query` as the index would store it (words, a run of Han or kana as its
 * character pairs, and code-identifier parts), with its first position. `docent_cjk_bigrams`
 * (migrations/0021) splits those runs as `wordsOf` in server/answer/words.ts does: the two must agree.
 */
function lexemesWithPosition(query: string): SQL {
  return sql`select u.lexeme, min(p) as pos
             from unnest(to_tsvector('english', docent_cjk_bigrams(${query})) || to_tsvector('english', docent_code_parts(${query}))) u, unnest(u.positions) p
             group by u.lexeme`;
}

/** Lexemes of `query`, in order of first appearance, as the index would store them. */
export async function queryLexemes(db: Database, query: string): Promise<string[]> {
  const rows = await queryRows<{ lexeme: string; pos: number }>(db, sql`${lexemesWithPosition(query)} order by pos`);
  return rows.map((r) => r.lexeme);
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** Whether `b` is `a` with two neighbouring letters swapped ("pyhton" and "python"). */
export function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i < a.length - 1 && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/** Edits allowed when correcting a word of this length (0: too short to correct safely). */
function allowedEdits(length: number): number {
  if (length < 4) return 0;
  return length < 8 ? 1 : 2;
}

/**
 * Lexemes of the question's words that are spelt as meant: correctly spelt English words
 * ({@link isEnglishWord}) and names (all capitals like "SAML", or capitals inside like "MongoDB").
 * When the index does not know one, it is a topic the docs do not cover, not a typo. `acronyms`
 * are the all-capital names that are not English words: not even another form of them is looked for.
 * A name with a capital inside ("MockAgnet", "EventSoruce") may still have two neighbouring letters
 * swapped, the commonest typo: `swaps` maps the lexeme of such a name, and of each of its parts that
 * is not an English word ("Agnet"), to the lexemes of its spellings with two neighbouring letters
 * swapped (`mockagnet` → `mockag`, the stem of "mockagent": the stemmer cuts the two spellings
 * differently, so the lexemes themselves are not one swap apart).
 */
async function spelledAsMeantLexemes(db: Database, query: string): Promise<{ meant: Set<string>; acronyms: Set<string>; names: Set<string>; swaps: Map<string, Set<string>> }> {
  const words = (query.match(/[A-Za-z]+(?:'[A-Za-z]+)?/g) ?? []).filter((w) => isEnglishWord(w) || /^[A-Z]{2,}$|^.+[A-Z]/.test(w));
  const acronyms = words.filter((w) => /^[A-Z]{2,}$/.test(w) && !isEnglishWord(w));
  const camelWords = words.filter((w) => /^.+[A-Z]/.test(w) && !/^[A-Z]+$/.test(w) && !isEnglishWord(w));
  // Swapped spellings cost one variant per letter each: only for words of a realistic length.
  const swappable = camelWords.filter((w) => w.length <= MAX_SWAPPED_WORD_LENGTH);
  const camelParts = swappable.flatMap((w) => w.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(' ')).filter((p) => p.length > 1 && !isEnglishWord(p));
  // Names standing alone: the parts of a header-style compound ("X-Powred-By") are not names ("Nuxt.js" is).
  const names = nameWords(query.replace(/[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)+/g, ' ')).filter((w) => !isEnglishWord(w));
  return {
    meant: words.length ? new Set(await queryLexemes(db, words.join(' '))) : new Set(),
    acronyms: acronyms.length ? new Set(await queryLexemes(db, acronyms.join(' '))) : new Set(),
    names: names.length ? new Set(await queryLexemes(db, names.join(' '))) : new Set(),
    swaps: swappable.length ? await swappedLetterLexemes(db, [...swappable, ...camelParts]) : new Map(),
  };
}

/** Longest word whose spellings with two letters swapped are looked up (a question may hold a 4,000-letter "word"). */
const MAX_SWAPPED_WORD_LENGTH = 40;

/** Each word's lexeme (the word whole) → the lexemes of the word with one pair of neighbouring letters swapped. */
async function swappedLetterLexemes(db: Database, words: readonly string[]): Promise<Map<string, Set<string>>> {
  const spellings = words.map((w) => w.toLowerCase());
  const variants = spellings.map((w) => Array.from({ length: w.length - 1 }, (_, i) => w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2)).filter((v) => v !== w));
  const all = [...spellings, ...variants.flat()];
  // The lexeme of each spelling alone, in order (lower case: no code parts).
  const rows = await queryRows<{ lexeme: string | null }>(
    db,
    sql`select (select min(lexeme) from unnest(to_tsvector('english', u.word))) as lexeme
        from unnest(${textArray(all)}) with ordinality as u(word, i) order by u.i`,
  );
  const lexemeOf = new Map(all.map((spelling, i) => [spelling, rows[i]?.lexeme ?? null]));
  const swaps = new Map<string, Set<string>>();
  spellings.forEach((spelling, i) => {
    const whole = lexemeOf.get(spelling);
    if (!whole) return;
    const set = swaps.get(whole) ?? new Set<string>();
    for (const variant of variants[i]!) {
      const lexeme = lexemeOf.get(variant);
      if (lexeme && lexeme !== whole) set.add(lexeme);
    }
    swaps.set(whole, set);
  });
  return swaps;
}

/**
 * The words a question writes as names: capitalised words that are not English words ("Kafka",
 * "gRPC", "JWE"), and capitalised English words that do not start a sentence ("Python", "German",
 * "Slack"). Words with digits ("300MB", "v5", "SigV4") are left out: they are mostly versions,
 * sizes and identifiers rather than products or topics, and so are single letters ("I",
 * "X-Powered-By"), units ("GiB", "MHz") and two capitals ("CI", "UI"). A question in capitals
 * has none.
 */
export function nameWords(query: string): string[] {
  const names: string[] = [];
  if (!/[a-z]/.test(query)) return names; // all capitals: nothing stands out as a name
  for (const match of query.matchAll(/(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*(?![A-Za-z0-9])/g)) {
    const word = match[0];
    if (word.length < 2 || !/[A-Z]/.test(word) || /[0-9]/.test(word)) continue;
    // A unit ("GiB", "MHz") and two capitals, more often an abbreviation ("CI", "UI", "DB") than
    // a product ("Deno KV"): not names.
    if (/^(?:[KMGTP]i?B|[KMG]?Hz|[KMG]bps|[A-Z]{2})$/.test(word)) continue;
    const startsSentence = /(^|[.!?:]\s*)$/.test(query.slice(0, match.index).trimEnd());
    if (!isEnglishWord(word) || /^.+[A-Z]/.test(word) || !startsSentence) names.push(word);
  }
  return names;
}

/**
 * Whether a vocabulary lexeme is another form of a correctly spelt word's lexeme rather than a
 * different word: one is the other plus at most two letters ("riski" for "risky" and `risk`,
 * "llama" and `llama3`). The stemmer does not always bring a word's forms to one lexeme.
 */
function isWordForm(lexeme: string, vocabulary: string): boolean {
  const [short, long] = lexeme.length <= vocabulary.length ? [lexeme, vocabulary] : [vocabulary, lexeme];
  return short.length >= 4 && long.length - short.length <= 2 && long.startsWith(short);
}

/**
 * Endings the stemmer removes from a word spelt right but may leave on a misspelt one: "change"
 * becomes `chang`, while "chnage" stays whole and is two edits from `chang` (one without its "e").
 */
const STEM_ENDINGS = ['ing', 'ed', 'es', 'e', 's'];

/** `lexeme` without a {@link STEM_ENDINGS} ending, if at least 4 letters remain (else unchanged). */
export function withoutStemEnding(lexeme: string): string {
  const ending = STEM_ENDINGS.find((e) => lexeme.endsWith(e) && lexeme.length - e.length >= 4);
  return ending ? lexeme.slice(0, -ending.length) : lexeme;
}

/**
 * Order of preference between two corrections: fewer edits, then the more frequent word, then the
 * longer one (a short stem such as `param` is more often a code fragment than the word meant),
 * then alphabetical — so the choice never depends on the order rows come back in.
 */
export function compareCorrections(a: { lexeme: string; df: number; distance: number }, b: { lexeme: string; df: number; distance: number }): number {
  return a.distance - b.distance || b.df - a.df || b.lexeme.length - a.lexeme.length || (a.lexeme < b.lexeme ? -1 : a.lexeme > b.lexeme ? 1 : 0);
}

/**
 * A compound the parser keeps whole besides its parts ("built-in" → `built-in`, `built`, `in`;
 * "sigint/sigterm"): when the index does not know the compound, its parts already carry its
 * meaning, so the compound is dropped rather than counted as an unknown word.
 */
function isRedundantCompound(lexeme: string, lexemes: readonly string[]): boolean {
  return /[-/.]/.test(lexeme) && lexemes.some((l) => l !== lexeme && !/[-/.]/.test(l) && lexeme.includes(l));
}

/**
 * The question's terms with their statistics. A word the index does not know (df 0) and that is
 * long enough is replaced by the most frequent vocabulary lexeme within 1 edit (2 for words of 8+
 * letters) — or, for a word spelt as meant ({@link spelledAsMeantLexemes}), only by another form
 * of itself ({@link isWordForm}), and an unknown acronym not at all; without such a neighbour it
 * stays, unknown, and lowers the share of the question the index covers.
 */
export async function resolveQueryTerms(db: Database, query: string, options: { correctTypos?: boolean } = {}): Promise<QueryTerms> {
  // One round trip: the question's lexemes as {@link queryLexemes} finds them, with their
  // document frequencies, and the corpus's statistics (the row without a lexeme).
  const rows = await queryRows<{ lexeme: string | null; pos: number | null; df: number | null; chunks: number | null; total_length: number | null }>(
    db,
    sql`with lexemes as (${lexemesWithPosition(query)})
        select null::text as lexeme, null::integer as pos, null::integer as df, chunks, total_length from corpus_stats where id = 1
        union all
        select l.lexeme, l.pos, s.df, null, null from lexemes l left join lexeme_stats s on s.lexeme = l.lexeme`,
  );
  const stats = rows.find((r) => r.lexeme === null);
  const n = Number(stats?.chunks ?? 0);
  const averageLength = n > 0 ? Number(stats!.total_length) / n : 1;
  // In order of first appearance (each position holds one lexeme, so no ties).
  const found = rows.filter((r) => r.lexeme !== null).sort((a, b) => a.pos! - b.pos!);
  const lexemes = found.map((r) => r.lexeme!);
  if (lexemes.length === 0) return { terms: [], chunkCount: n, averageLength };
  const dfOf = new Map(found.filter((r) => r.df !== null).map((r) => [r.lexeme!, Number(r.df)]));
  const correctTypos = options.correctTypos ?? true;
  const correctable = (lexeme: string) => correctTypos && !dfOf.has(lexeme) && allowedEdits(lexeme.length) > 0 && /^[a-z]+$/.test(lexeme);
  const none = new Set<string>();
  const { meant: asMeant, acronyms, names: nameLexemesToCorrect, swaps } = lexemes.some(correctable)
    ? await spelledAsMeantLexemes(db, query)
    : { meant: none, acronyms: none, names: none, swaps: new Map<string, Set<string>>() };
  // The asker's own values the docs never contain (see isNumericValue): numbers, and words only
  // in URL paths ("/orders/:id" is their route, not a topic). Left out, unless they are all the
  // question has.
  const unknownLexemes = lexemes.filter((l) => !dfOf.has(l));
  const paths = unknownLexemes.length ? (query.match(URL_PATH) ?? []) : [];
  const pathLexemes = new Set(paths.length ? await queryLexemes(db, paths.join(' ')) : []);
  if (pathLexemes.size) for (const l of await queryLexemes(db, query.replace(URL_PATH, ' '))) pathLexemes.delete(l);
  const droppable = unknownLexemes.filter((l) => isNumericValue(l) || pathLexemes.has(l));
  const values = new Set(droppable.length === lexemes.length ? [] : droppable);
  const straddling = unknownLexemes.length ? uninformativePairs(query, (pair) => dfOf.has(pair)) : new Set<string>();
  const terms: QueryTerm[] = [];
  const seen = new Set<string>();
  const corrected = new Set<string>();
  for (const lexeme of lexemes) {
    const df = dfOf.get(lexeme) ?? 0;
    if (df === 0 && (isRedundantCompound(lexeme, lexemes) || values.has(lexeme) || straddling.has(lexeme))) continue;
    let term: QueryTerm = { lexeme, df, idf: idf(df, n), weight: 1 };
    const edits = allowedEdits(lexeme.length);
    // An acronym the index does not know ("QUIC", "JWE") is not a longer word missing a letter (`quick`).
    if (df === 0 && correctable(lexeme) && !acronyms.has(lexeme)) {
      const meant = asMeant.has(lexeme);
      const near = await queryRows<{ lexeme: string; df: number }>(
        db,
        sql`select lexeme, df from lexeme_stats
            where (${lookAlikeRange(lexeme)}) and length(lexeme) between ${Math.max(1, lexeme.length - 3)} and ${lexeme.length + edits}`,
      );
      let best: { lexeme: string; df: number; distance: number } | undefined;
      for (const r of near) {
        // Read for its first two letters swapped ("gaent"): only as that swap (plus what edits are
        // left), not as any spelling the distance allows ("aparam" is not `param` with a letter more).
        if (r.lexeme[0] !== lexeme[0] && editDistance(lexeme[1]! + lexeme[0]! + lexeme.slice(2), r.lexeme) > edits - 1) continue;
        // A misspelt word stems badly ("registerd" stays whole): a vocabulary stem it starts with counts as one edit.
        // A word spelt as meant only becomes another form of itself, or, a name with a capital
        // inside, itself with two neighbouring letters swapped ("MockAgnet" is MockAgent).
        if (meant && !isWordForm(lexeme, r.lexeme) && !swaps.get(lexeme)?.has(r.lexeme)) continue;
        // A misspelt name is another name ("Cloudfare"), not a common word ("Procfile" is not `profil`,
        // "Nuxt" not `next`), unless two letters were swapped: "Pyhton" is Python, "Raliway" Railway,
        // and the "Levles" of "customLevles" is levels (`levl`, `level`: the swap moved the stem's end).
        const swapped = isTransposition(lexeme, r.lexeme) || swaps.get(lexeme)?.has(r.lexeme);
        if (nameLexemesToCorrect.has(lexeme) && isEnglishStem(r.lexeme) && !swapped) continue;
        const stemPrefix = r.lexeme.length >= 5 && lexeme.startsWith(r.lexeme) && lexeme.length - r.lexeme.length <= 3;
        const distance = meant || stemPrefix ? 1 : Math.min(editDistance(lexeme, r.lexeme), editDistance(withoutStemEnding(lexeme), r.lexeme));
        if (distance > edits) continue;
        const candidate = { lexeme: r.lexeme, df: Number(r.df), distance };
        if (!best || compareCorrections(candidate, best) < 0) best = candidate;
      }
      if (best) term = { lexeme: best.lexeme, original: lexeme, df: best.df, idf: idf(best.df, n), weight: CORRECTED_WEIGHT };
    }
    if (term.original) corrected.add(term.original);
    if (seen.has(term.lexeme)) continue;
    seen.add(term.lexeme);
    terms.push(term);
  }
  // Which unknown words the question writes as names: a product or topic the docs never mention.
  const unknown = terms.filter((t) => t.df === 0);
  const names = unknown.length ? nameWords(query) : [];
  if (names.length) {
    const nameLexemes = new Set((await nameParts(db, names)).flatMap((n) => nameLexemesOf(n, corrected)));
    for (const t of unknown) if (nameLexemes.has(t.lexeme)) t.name = true;
  }
  return { terms, chunkCount: n, averageLength };
}

/**
 * The character pairs of the question's Han and kana runs (indexed as pairs, see
 * `docent_cjk_bigrams`) that the index does not know and that say nothing about whether the docs
 * cover the question, so they are left out rather than counted as unknown words: the
 * {@link straddlingPairs}, and pairs of hiragana only ("どう", "きは" of "ときはどうなりますか"):
 * Japanese writes its particles and verb endings in hiragana and its topics in kanji and
 * katakana, so such a pair is the question's grammar, like the English stop words Postgres drops.
 */
export function uninformativePairs(query: string, known: (pair: string) => boolean): Set<string> {
  const pairs = straddlingPairs(query, known);
  for (const run of unspacedRunPairs(query)) for (const pair of run) if (!known(pair) && HIRAGANA_ONLY.test(pair)) pairs.add(pair);
  return pairs;
}
const HIRAGANA_ONLY = /^\p{Script=Hiragana}+$/u;

/**
 * The character pairs of the question's Han and kana runs that the index does not know but that
 * sit next to one it knows, in the same run: a pair straddling the end of a word the docs use and
 * the next word ("服务在" gives 服务, known, and 务在, a pair no text need contain). Written without
 * spaces, such a question yields about one straddling pair per word; counted as unknown words,
 * they made every Chinese or Japanese question look mostly about things the docs never mention.
 * A run of pairs the index does not know at all (a word the docs lack, "单点登录") keeps them,
 * except where it meets a known pair.
 */
export function straddlingPairs(query: string, known: (pair: string) => boolean): Set<string> {
  const straddling = new Set<string>();
  for (const pairs of unspacedRunPairs(query)) {
    pairs.forEach((pair, i) => {
      if (!known(pair) && ((i > 0 && known(pairs[i - 1]!)) || (i + 1 < pairs.length && known(pairs[i + 1]!)))) straddling.add(pair);
    });
  }
  return straddling;
}

/** A URL path in a question: "/import", "/orders/:id" (not the "/" of "and/or" or "</div>"). */
const URL_PATH = /(?<![\w.\/<])\/[A-Za-z0-9_:{}.-]+(?:\/[A-Za-z0-9_:{}.-]*)*/g;

/**
 * Whether an unknown lexeme is a number of the asker's own rather than a topic: a number, with a
 * unit, an ordinal or a plural ("401", "300mb", "404s", "2nd", "1.5"). Docs that never contain
 * it still answer "uploads of 300mb fail" or "GET /orders returns 401", so it does not count as
 * something the docs lack. Letters that make a topic ("4xx", "2fa", "v6") keep it.
 */
export function isNumericValue(lexeme: string): boolean {
  return /^[0-9][0-9.,]*(?:b|kb|mb|gb|tb|kib|mib|gib|ms|s|m|h|k|%|st|nd|rd|th|px|min|sec|hr|x|fps)?s?$/.test(lexeme);
}

/** The lexemes of each name as written (whole) and of its code-identifier parts. */
async function nameParts(db: Database, names: readonly string[]): Promise<{ whole: string[]; parts: string[] }[]> {
  return queryRows<{ whole: string[]; parts: string[] }>(
    db,
    sql`select array(select lexeme from unnest(to_tsvector('english', n))) as whole,
               array(select lexeme from unnest(to_tsvector('english', docent_code_parts(n)))) as parts
        from unnest(${sqlArray(names, 'text')}) as n`,
  );
}

/**
 * The lexemes that make a name unknown to the docs: the name whole and its parts ("RabbitMQ":
 * `rabbitmq`, `rabbit`, `mq`), but not the parts of an identifier whose whole was a typo
 * corrected (`corrected` holds the original lexemes): "customLevles" is customLevels misspelt,
 * and its part `levl` is not a name the docs lack.
 */
export function nameLexemesOf(name: { whole: string[]; parts: string[] }, corrected: ReadonlySet<string>): string[] {
  return name.whole.some((w) => corrected.has(w)) ? [] : [...name.whole, ...name.parts];
}

/**
 * SQL condition on `lexeme_stats.lexeme`: the vocabulary a misspelt `lexeme` is compared with.
 * Ranges on the primary key read only the lexemes with the same first letter (a–z here) instead
 * of the whole vocabulary (16 → 5 ms for 60,000 lexemes, BENCHMARKS.md), and those starting with
 * its first two letters swapped ("gaent" → `ag…`), a typo the first range cannot see.
 */
function lookAlikeRange(lexeme: string): SQL {
  const prefix = (start: string) => {
    // The upper bound is the next prefix of letters ("ag" → "ah", "az" → "b"); none after "z…":
    // "{" sorts before letters in linguistic collations (en_US, ICU) and would empty the range.
    const kept = start.replace(/z+$/, '');
    const next = kept && kept.slice(0, -1) + String.fromCharCode(kept.charCodeAt(kept.length - 1) + 1);
    const below = next ? sql`and lexeme < ${next}` : sql``;
    return sql`(lexeme >= ${start} ${below} and left(lexeme, ${start.length}) = ${start})`;
  };
  const [a, b] = [lexeme[0] ?? '', lexeme[1] ?? ''];
  return b && b !== a ? sql`${prefix(a)} or ${prefix(b + a)}` : prefix(a);
}

/** A Postgres array of parameters, typed (`array[$1, $2]::text[]`). */
function sqlArray(values: readonly (string | number)[], type: 'text' | 'uuid' | 'float8') {
  const elements = sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
  return sql`array[${elements}]::${sql.raw(type)}[]`;
}

/** A Postgres `text[]` literal parameter. */
export const textArray = (values: readonly string[]) => sqlArray(values, 'text');

/**
 * A Postgres `uuid[]` from one text parameter (`'{…}'::text::uuid[]`): one parameter for ~120
 * ids instead of one each (PGlite binds and describes every parameter). Throws on a value that is
 * not a UUID, which could otherwise add or remove elements.
 */
export function uuidArray(values: readonly string[]): SQL {
  const bad = values.find((v) => !isUuid(v));
  if (bad !== undefined) throw new Error(`Not a UUID: ${JSON.stringify(bad.slice(0, 60))}`);
  return sql`${`{${values.join(',')}}`}::text::uuid[]`;
}

/** A Postgres `float8[]` literal parameter. */
export const float8Array = (values: readonly number[]) => sqlArray(values, 'float8');

/** A `tsquery` OR-ing the lexemes (quoted, so they are matched as stored, not re-parsed). */
export function orTsquery(lexemes: readonly string[]): string {
  return lexemes.map((l) => `'${l.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(' | ');
}
