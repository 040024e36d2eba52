/**
 * BM25 with Postgres's help. Candidates come from the GIN index (`tsv @@` the question's lexemes
 * OR-ed); each is scored with BM25F-style term frequencies (an occurrence in the heading
 * breadcrumb counts {@link BM25_PARAMETERS.headingWeight} times), IDF from `lexeme_stats` and
 * length normalisation against `corpus_stats` (both trigger-maintained, see migrations/0004).
 *
 * Postgres cuts each candidate's tsvector down, in C, to the question's lexemes:
 * `setweight(tsv, 'C', lexemes)` marks every position of those lexemes and `ts_filter(…, '{c}')`
 * keeps only them (all their occurrences, with their positions). The breadcrumb's positions come
 * first in a tsvector, so the occurrences at or before the chunk's `heading_end` are the heading
 * occurrences (migrations/0012; a second pass over the heading positions alone,
 * `ts_filter(tsv, '{a}')`, cost a third of the query). The few matched lexemes of each
 * candidate come back as text, all in one row, and are summed here. Summing them in SQL, in a
 * lateral subquery per candidate, cost more than reading the rows: 45 → 28 ms p50 at 100,000
 * chunks (BENCHMARKS.md); one result row per candidate would cost about as much again (PGlite
 * hands rows over at ~8 µs each); unnesting whole tsvectors (~100 lexemes per chunk) cost more
 * still. Terms are added in the tsvector's lexeme order, as the SQL did, so the scores are the
 * same to the last bit (the fusion compares some of them for equality). The term frequency is
 * `occurrences + (headingWeight − 1) × heading occurrences`.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/open';
import { type QueryTerm, type QueryTerms, orTsquery, textArray, uuidArray } from './query-terms';
import { type Occurrences, readTsvector } from './tsvector-text';

export const BM25_PARAMETERS = {
  /** Term-frequency saturation. */
  k1: 1.2,
  /** Length normalisation (0 none, 1 full). */
  b: 0.75,
  /** How many body occurrences one occurrence in the title/heading breadcrumb is worth. */
  headingWeight: 3,
  /**
   * Terms in more than this share of chunks do not pull in candidates by themselves (they still
   * count in the score of every candidate), unless the question has no rarer term. Keeps the
   * candidate set, and the time, small on questions full of common words.
   */
  commonTermShare: 0.2,
  /**
   * At most about this many chunks are scored per question: candidate-pulling terms are taken
   * rarest first while their document frequencies add up to no more than this (the rarest one
   * always). Scoring unpacks each candidate's tsvector, so the candidate count is the cost: on a
   * 100,000-chunk index a question's terms can match tens of thousands of chunks. Chunks that
   * only match the commoner terms can still arrive as vector candidates and get a BM25 score.
   * No effect on corpora of a few thousand chunks.
   */
  candidateBudget: 4000,
} as const;

/**
 * The lexemes whose matches become candidates: not common ones (unless nothing else), rarest
 * first, within `candidateBudget` (default {@link BM25_PARAMETERS.candidateBudget}; `Infinity`:
 * every term that is not common).
 */
export function candidateLexemes(
  terms: readonly { lexeme: string; df: number }[],
  chunkCount: number,
  candidateBudget: number = BM25_PARAMETERS.candidateBudget,
): string[] {
  const { commonTermShare } = BM25_PARAMETERS;
  const rare = terms.filter((t) => t.df <= commonTermShare * chunkCount);
  const pool = [...(rare.length ? rare : terms)].sort((a, b) => a.df - b.df);
  const chosen: string[] = [];
  let total = 0;
  for (const t of pool) {
    if (chosen.length > 0 && total + t.df > candidateBudget) break;
    chosen.push(t.lexeme);
    total += t.df;
  }
  return chosen;
}

export interface LexicalScore {
  id: string;
  /** BM25 score (unbounded, ≥ 0). */
  bm25: number;
  /** Sum of IDF × weight of the query terms the chunk contains. */
  matchedIdf: number;
  /** Same, for terms found in the chunk's heading breadcrumb (page title included). */
  headingIdf: number;
  /** The query lexemes the chunk contains. */
  matched: string[];
}

export interface Bm25Options {
  /** SQL condition on `c` (chunks) and `documents` (e.g. source filters). Default: none. */
  filter?: SQL;
  /** Best-scoring candidates to return. */
  limit: number;
  /** Score only these chunks instead of searching the GIN index. */
  ids?: readonly string[];
  /** See {@link candidateLexemes}. Default {@link BM25_PARAMETERS.candidateBudget}. */
  candidateBudget?: number;
}

export async function bm25Search(db: Database, query: QueryTerms, options: Bm25Options): Promise<LexicalScore[]> {
  const terms = query.terms.filter((t) => t.df > 0);
  if (terms.length === 0) return [];
  if (options.ids && options.ids.length === 0) return [];
  const lexemes = terms.map((t) => t.lexeme);
  const match = options.ids
    ? sql`c.id = any(${uuidArray(options.ids)})`
    : sql`c.tsv @@ ${orTsquery(candidateLexemes(terms, query.chunkCount, options.candidateBudget))}::tsquery`;
  const matched = occurrences(lexemes);
  const documentsJoin = options.filter ? sql`join documents on documents.id = c.document_id` : sql``;
  const filter = options.filter ? sql`and ${options.filter}` : sql``;
  // One row: PGlite hands over each result row at a cost (~8 µs), and there can be thousands of
  // candidates. Each line is `id TAB lexical_length TAB heading_end TAB matched`.
  const [row] = await queryRows<{ candidates: string | null }>(
    db,
    sql`select string_agg(concat_ws(E'\t', c.id, c.lexical_length, c.heading_end, ${matched}), E'\n') as candidates
        from chunks c ${documentsJoin}
        where ${match} ${filter}`,
  );
  return bestFirst(readCandidates(row?.candidates ?? ''), query, terms).slice(0, options.limit);
}

/**
 * What BM25 reads of a chunk `c`'s tsvector, in SQL: the question's lexemes cut out of it, with
 * all their positions (those up to `c.heading_end` are in the heading breadcrumb).
 */
function occurrences(lexemes: readonly string[]): SQL {
  return sql`ts_filter(setweight(c.tsv, 'C', ${textArray(lexemes)}), '{c}')`;
}

/** The candidates that match any term, scored, best first (ties by id). */
function bestFirst(candidates: CandidateOccurrences[], query: QueryTerms, terms: readonly QueryTerm[]): LexicalScore[] {
  const weights = new Map<string, number>();
  for (const t of terms) if (!weights.has(t.lexeme)) weights.set(t.lexeme, t.idf * t.weight);
  const scored: LexicalScore[] = [];
  for (const candidate of candidates) {
    const score = scoreCandidate(candidate, weights, query.averageLength);
    if (score) scored.push(score);
  }
  scored.sort((a, b) => b.bm25 - a.bm25 || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return scored;
}

/** A row read with {@link bm25Columns}. */
export interface Bm25Row extends Record<string, unknown> {
  id: string;
  bm25_length: number | string;
  bm25_heading_end: number | string;
  bm25_matched: string | null;
}

/**
 * Columns of a chunk `c` from which {@link scoreBm25Rows} scores it, for a query that reads the
 * chunks anyway (`undefined` when none of the question's terms is in the index: nothing to
 * score). The vector query selects them, so its candidates need no BM25 query of their own.
 */
export function bm25Columns(query: QueryTerms): SQL | undefined {
  const terms = query.terms.filter((t) => t.df > 0);
  if (terms.length === 0) return undefined;
  return sql`c.lexical_length as bm25_length, c.heading_end as bm25_heading_end, ${occurrences(terms.map((t) => t.lexeme))} as bm25_matched`;
}

/** BM25 of rows read with {@link bm25Columns}: what {@link bm25Search} gives for their ids. */
export function scoreBm25Rows(query: QueryTerms, rows: readonly Bm25Row[]): LexicalScore[] {
  const terms = query.terms.filter((t) => t.df > 0);
  if (terms.length === 0) return [];
  const candidates = rows.map((r) => {
    const { occurrences: matched, within: inHeading } = readTsvector(r.bm25_matched ?? '', 0, Number(r.bm25_heading_end));
    return { id: r.id, length: Number(r.bm25_length), matched, inHeading };
  });
  return bestFirst(candidates, query, terms);
}

/** One candidate: its query lexemes' occurrences, all of them and those in the heading. */
interface CandidateOccurrences {
  id: string;
  length: number;
  matched: Occurrences;
  inHeading: Occurrences;
}

/** Reads the lines written by {@link bm25Search}'s query (the tsvector quote-aware: a lexeme may hold a newline). */
function readCandidates(text: string): CandidateOccurrences[] {
  const out: CandidateOccurrences[] = [];
  let i = 0;
  while (i < text.length) {
    const idEnd = text.indexOf('\t', i);
    const lengthEnd = text.indexOf('\t', idEnd + 1);
    const headingEnd = text.indexOf('\t', lengthEnd + 1);
    if (idEnd < 0 || lengthEnd < 0 || headingEnd < 0) throw new Error(`Malformed BM25 candidate at ${i}`);
    const matched = readTsvector(text, headingEnd + 1, Number(text.slice(lengthEnd + 1, headingEnd)));
    if (matched.end < text.length && text.charCodeAt(matched.end) !== NEWLINE) throw new Error(`Malformed BM25 candidate at ${matched.end}`);
    out.push({ id: text.slice(i, idEnd), length: Number(text.slice(idEnd + 1, lengthEnd)), matched: matched.occurrences, inHeading: matched.within });
    i = matched.end + 1; // past the newline
  }
  return out;
}
const NEWLINE = 10;

/**
 * BM25 of one candidate from its matched occurrences. Terms are added in the tsvector's lexeme
 * order, the order the SQL version summed them in, so the scores are the same to the last bit.
 */
function scoreCandidate(candidate: CandidateOccurrences, weights: ReadonlyMap<string, number>, averageLength: number): LexicalScore | undefined {
  const { k1, b, headingWeight } = BM25_PARAMETERS;
  if (candidate.matched.length === 0) return undefined;
  const inHeading = new Map(candidate.inHeading);
  const lengthNorm = k1 * (1 - b + (b * candidate.length) / averageLength);
  let bm25 = 0;
  let matchedIdf = 0;
  let headingIdf = 0;
  const matched: string[] = [];
  for (const [lexeme, n] of candidate.matched) {
    const w = weights.get(lexeme) ?? 0;
    const headingN = inHeading.get(lexeme);
    if (n > 0) {
      const tf = n + (headingWeight - 1) * (headingN ?? 0);
      bm25 += (w * tf * (k1 + 1)) / (tf + lengthNorm);
    }
    matchedIdf += w;
    if (headingN !== undefined) headingIdf += w;
    matched.push(lexeme);
  }
  return { id: candidate.id, bm25, matchedIdf, headingIdf, matched };
}
