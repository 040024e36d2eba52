/**
 * BM25 inside Postgres. Candidates come from the GIN index (`tsv @@` the question's lexemes
 * OR-ed); each is scored with BM25F-style term frequencies (an occurrence in the heading
 * breadcrumb counts {@link BM25_PARAMETERS.headingWeight} times), IDF from `lexeme_stats` and
 * length normalisation against `corpus_stats` (both trigger-maintained, see migrations/0004).
 *
 * Each candidate's tsvector is cut down, in C, to the question's lexemes before anything is
 * unnested: `setweight(tsv, 'C', lexemes)` marks every position of those lexemes and
 * `ts_filter(…, '{c}')` keeps only them (all their occurrences), and the same on the heading
 * positions alone (`ts_filter(tsv, '{a}')` first) gives the heading occurrences. Sums run in
 * the tsvector's lexeme order (`order by ord`), the order the scores were always added in, so
 * they are the same to the last bit (the fusion compares some of them for equality). `cand` is
 * materialised so each tsvector is read once, and each candidate's few matched lexemes are summed
 * in their own lateral subquery rather than grouped over all candidates' hits (40 → 31 ms p50 at
 * 100,000 chunks). Unnesting whole tsvectors (~100 lexemes per chunk, each with two arrays) and
 * joining them with the question's terms was most of the search time at 100,000 chunks
 * (BENCHMARKS.md). The term frequency is `occurrences + (headingWeight − 1) × heading occurrences`.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/open';
import { float8Array, type QueryTerms, orTsquery, textArray, uuidArray } from './query-terms';

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
 * first, within {@link BM25_PARAMETERS.candidateBudget}.
 */
export function candidateLexemes(terms: readonly { lexeme: string; df: number }[], chunkCount: number): string[] {
  const { commonTermShare, candidateBudget } = BM25_PARAMETERS;
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
}

export async function bm25Search(db: Database, query: QueryTerms, options: Bm25Options): Promise<LexicalScore[]> {
  const terms = query.terms.filter((t) => t.df > 0);
  if (terms.length === 0) return [];
  if (options.ids && options.ids.length === 0) return [];
  const { k1, b, headingWeight } = BM25_PARAMETERS;
  const lexemes = terms.map((t) => t.lexeme);
  const match = options.ids
    ? sql`c.id = any(${uuidArray(options.ids)})`
    : sql`c.tsv @@ ${orTsquery(candidateLexemes(terms, query.chunkCount))}::tsquery`;
  const weights = float8Array(terms.map((t) => t.idf * t.weight));
  const lexemeArray = textArray(lexemes);
  const documentsJoin = options.filter ? sql`join documents on documents.id = c.document_id` : sql``;
  const filter = options.filter ? sql`and ${options.filter}` : sql``;
  const rows = await queryRows<{ id: string; bm25: number; matched_idf: number; heading_idf: number; matched: string[] }>(
    db,
    sql`with cand as materialized (
          select c.id, c.lexical_length::float8 as len,
                 ts_filter(setweight(c.tsv, 'C', ${lexemeArray}), '{c}') as q,
                 ts_filter(setweight(ts_filter(c.tsv, '{a}'), 'C', ${lexemeArray}), '{c}') as h
          from chunks c ${documentsJoin}
          where ${match} ${filter}
        )
        select cand.id, s.bm25, s.matched_idf, s.heading_idf, s.matched
        from cand cross join lateral (
          select sum(w * tf * ${k1 + 1}::float8 / (tf + ${k1}::float8 * (1 - ${b}::float8 + ${b}::float8 * cand.len / ${query.averageLength}::float8)) order by ord) as bm25,
                 sum(w order by ord) as matched_idf,
                 sum(case when heading_n is not null then w else 0 end order by ord) as heading_idf,
                 array_agg(lexeme order by ord) as matched
          from (
            select ord, lexeme, w, heading_n, nullif(n, 0) + ${headingWeight - 1}::float8 * coalesce(heading_n, 0) as tf
            from (
              select u.ord, u.lexeme, (${weights})[array_position(${lexemeArray}, u.lexeme)] as w, cardinality(u.weights) as n,
                     case when length(cand.h) > 0 then (select cardinality(x.positions) from unnest(cand.h) x where x.lexeme = u.lexeme) end as heading_n
              from unnest(cand.q) with ordinality as u(lexeme, positions, weights, ord)
            ) occurrences
          ) hits
        ) s
        where s.matched is not null
        order by s.bm25 desc, cand.id
        limit ${options.limit}`,
  );
  return rows.map((r) => ({ id: r.id, bm25: Number(r.bm25), matchedIdf: Number(r.matched_idf), headingIdf: Number(r.heading_idf), matched: r.matched }));
}
