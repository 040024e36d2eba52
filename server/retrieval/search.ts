/**
 * Retrieval: a question and a user's settings in, ranked sources out. The server, the search
 * command and the eval all call {@link search}, so they always agree.
 *
 * 1. Lexical candidates: BM25 in Postgres over the GIN index (`bm25.ts`), with the question's
 *    lexemes, code-identifier parts and typo corrections (`query-terms.ts`).
 * 2. Vector candidates: cosine similarity through the HNSW index (iterative scan, so source
 *    filters do not starve it).
 *    A candidate embedded with another model than the question (mid-switch of embedding model)
 *    has no comparable vector and gets the mean cosine of those that have one (`missing-vectors.ts`).
 *    A question the embedding model cannot read (mostly characters it has no token for, such as
 *    Chinese or Japanese for USE-Lite: {@link MAX_UNREADABLE_SHARE}) is not embedded: its vector
 *    would be noise, so every candidate gets the typical cosine and its words decide.
 * 3. Every candidate gets both scores plus structure features (heading/title match, coverage of
 *    the question, page evidence, whether it introduces what a "what is X?" question asks about,
 *    `definitions.ts`); a fitted ranking orders them and two calibrated logistic
 *    models give the 0–1 score: the best source scores the probability that the docs answer the
 *    question, the others less as the ranking trusts them less (`fusion.ts`). A question that asks
 *    what the site itself is ("What is Poetry?") also takes the site's home page lead as a
 *    candidate, and it scores as the best source when its opening introduces the subject
 *    (`home-pages.ts`).
 *    On a troubleshooting page, the remedy section ("Solution") goes just before the problem
 *    section ("Issue") that the question matched, with its score (`remedies.ts`).
 * 4. Near-duplicate copies of a section are dropped (`dedupe.ts`), then the user's `minScore`
 *    threshold applies: a question whose best source scores below it gets no sources (abstain).
 *    A result is a section: the chunks of one long section that pass the threshold are one
 *    result, at the place of the best of them, their texts in the page's order
 *    ({@link MAX_PARTS_PER_RESULT} at most), so one section does not fill the results with the
 *    same citation.
 *
 * Sources the user excluded are filtered inside SQL, before any limit.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/open';
import { checkVector } from '../embed/check-vector';
import { EmbeddingError } from '../embed/failure';
import type { EmbeddingProvider } from '../embed/provider';
import { BM25_PARAMETERS, type Bm25Row, bm25Columns, bm25Search, type LexicalScore, scoreBm25Rows } from './bm25';
import { definesSubject, definitionSubject, homePageIntroduces, isSiteSubject } from './definitions';
import { homePageLeads } from './home-pages';
import { dropNearDuplicates, pathCloseness } from './dedupe';
import { inQuestionLanguage } from './languages';
import { type FusionFeatures, fusedScores, sectionLogit } from './fusion';
import { idf, type QueryTerms, resolveQueryTerms, textArray, uuidArray } from './query-terms';
import { DEFAULT_RETRIEVAL_SETTINGS, type RetrievalSettings } from './settings';
import { remedyBeforeProblem } from './remedies';
import { cosinesWithMissingFilled } from './missing-vectors';
import { matchesSources } from './source-filter';
import type { SearchResult } from './types';

/**
 * `hybrid`: the calibrated fusion (default). `lexical`: BM25 only, score = BM25 over the largest
 * BM25 the question allows (0–1). `vector`: embeddings only, score = cosine similarity.
 * The last two exist for comparison (`npm run eval -- --compare`).
 */
/** `hnsw.ef_search` for the vector query (pgvector's default is 40). */
export const HNSW_EF_SEARCH = 400;

export type SearchMode = 'hybrid' | 'lexical' | 'vector';

export interface SearchOptions {
  /** The question, as the user asked it (or rewritten into a standalone query). */
  query: string;
  /** Embeds the query; only chunks embedded by the same model are compared. */
  embedder: EmbeddingProvider;
  /** The user's retrieval settings. Default: {@link DEFAULT_RETRIEVAL_SETTINGS}. */
  settings?: RetrievalSettings;
  /** Return at most this many results. Default: `settings.maxResults`. */
  limit?: number;
  /** Candidates taken from each ranking before fusion. Default: 60. */
  candidates?: number;
  /** Search only these sources (names or path prefixes, like the settings' lists). Default: all. */
  onlySources?: readonly string[];
  /** Ranking to use. Default `hybrid`. */
  mode?: SearchMode;
  /** Correct misspelt words against the index's vocabulary. Default true. */
  correctTypos?: boolean;
  /**
   * The reader's language, as a BCP 47 tag (`fr`, `pt-BR`): on docs that hold their pages in
   * several languages, a question whose own words do not tell its language (a keyword query)
   * gets the pages in this one (`languages.ts`). The chat widget sends its page's `<html lang>`.
   * Default: none (such a question gets pages in any language).
   */
  readerLanguage?: string;
  /**
   * The page the reader asks from (its path or URL): of two near-identical copies of a section
   * (one per product or version), the copy in that part of the site is the one kept, unless the
   * other scores clearly higher (`dedupe.ts`). The chat widget sends its page's path. Default: none.
   */
  readerPage?: string;
  /**
   * About how many chunks BM25 scores at most per question: its candidates are the chunks that
   * hold the question's rarest terms, taken rarest first while their document frequencies add up
   * to no more than this (`candidateLexemes` in `bm25.ts`). `Infinity` scores every chunk that
   * holds a term that is not common, exact but slow on a large index (the bench compares the two).
   * Default {@link BM25_PARAMETERS.candidateBudget} (4,000).
   */
  bm25CandidateBudget?: number;
  signal?: AbortSignal;
  /**
   * Called with the milliseconds each stage took, in order (`npm run bench` prints their
   * medians). `embeddingWait` is the time spent waiting for the question's vector after the
   * lexical side, which runs while it is computed. `bm25Vector` scores the vector candidates
   * BM25 did not find, from columns the vector query reads (so their SQL time is in `vector`).
   * Default: none.
   */
  onStage?: (stage: SearchStage, ms: number) => void;
}

/** The stages of {@link search}, in the order they run. */
export const SEARCH_STAGES = ['terms', 'bm25', 'embeddingWait', 'vector', 'bm25Vector', 'details', 'fusion', 'dedupe'] as const;
export type SearchStage = (typeof SEARCH_STAGES)[number];

/** Runs `work`, reporting its time to `onStage` when there is one. */
async function timed<T>(onStage: SearchOptions['onStage'], stage: SearchStage, work: () => T | Promise<T>): Promise<T> {
  if (!onStage) return work();
  const started = performance.now();
  try {
    return await work();
  } finally {
    onStage(stage, performance.now() - started);
  }
}

/** A candidate with everything known about it, before the threshold (used by the eval's fitting). */
export interface ScoredCandidate extends Omit<SearchResult, 'rank' | 'score'> {
  score: number;
  features: FusionFeatures;
  preferred: boolean;
  /** The chunk's position in its document. */
  ordinal: number;
}

/** Most chunks of one section put together in one result. */
export const MAX_PARTS_PER_RESULT = 4;

/**
 * Largest share of a question's letters the embedding model may read as unknown
 * (`EmbeddingProvider.unreadableShare`) for its vector to count. Measured with USE-Lite: every
 * question of the 24 English sets in eval/questions 0, Russian 0.37–0.48, Chinese and Japanese
 * 0.64–1 (test/fixtures/multilingual-*questions.jsonl).
 */
export const MAX_UNREADABLE_SHARE = 0.5;

const PREFERRED_BOOST = 1.2;
const DEFAULT_CANDIDATES = 60;

export async function search(db: Database, options: SearchOptions): Promise<SearchResult[]> {
  const settings = options.settings ?? DEFAULT_RETRIEVAL_SETTINGS;
  const limit = options.limit ?? settings.maxResults;
  if (!settings.enabled || options.query.trim() === '' || limit <= 0) return [];
  const scored = await scoreCandidates(db, options);
  // Near-duplicates dropped, then the threshold, then the chunks of one section put together, up
  // to `limit` sections (the chunks of those sections further down are still gathered).
  const ranked = await timed(options.onStage, 'dedupe', () => {
    const sections = new Map<string, ScoredCandidate[]>();
    const closeness = options.readerPage ? pathCloseness(options.readerPage) : undefined;
    // A copy under the threshold is never nearer: it would replace one over it, and neither is shown.
    const nearPage = closeness && {
      score: (c: ScoredCandidate) => c.score,
      closeness: (c: ScoredCandidate) => (c.score >= settings.minScore ? closeness(c.url) : -1),
    };
    for (const c of dropNearDuplicates(scored, sectionKey, undefined, nearPage)) {
      if (!(c.score > 0 && c.score >= settings.minScore)) continue;
      const key = sectionKey(c);
      const parts = sections.get(key);
      if (parts) {
        if (parts.length < MAX_PARTS_PER_RESULT) parts.push(c);
      } else if (sections.size < limit) sections.set(key, [c]);
    }
    return [...sections.values()].map(asOneResult);
  });
  return ranked.map(({ features: _f, preferred: _p, ordinal: _o, score, ...c }, i) => ({ rank: i + 1, score: Math.round(score * 10_000) / 10_000, ...c }));
}

/** What the chunks of one section share: the page, the heading's anchor and the breadcrumb. One result per key. */
export function sectionKey(c: Pick<ScoredCandidate, 'documentId' | 'anchor' | 'headings'>): string {
  return `${c.documentId}#${c.anchor}#${c.headings.join('\0')}`;
}

/**
 * The chunks of one section (best first) as one result: the best one's score and chunk id, their
 * texts in the page's order, `…` where chunks between them are left out.
 */
function asOneResult(parts: ScoredCandidate[]): ScoredCandidate {
  const best = parts[0]!;
  if (parts.length === 1) return best;
  const inOrder = [...parts].sort((a, b) => a.ordinal - b.ordinal);
  const text = inOrder.map((p, i) => (i > 0 && p.ordinal !== inOrder[i - 1]!.ordinal + 1 ? `…\n\n${p.text}` : p.text)).join('\n\n');
  return { ...best, text };
}

/** Every candidate for the question, scored and sorted best first (no threshold, no de-duplication). */
export async function scoreCandidates(db: Database, options: SearchOptions): Promise<ScoredCandidate[]> {
  const settings = options.settings ?? DEFAULT_RETRIEVAL_SETTINGS;
  const mode = options.mode ?? 'hybrid';
  const query = options.query.trim();
  if (query === '') return [];
  const n = options.candidates ?? DEFAULT_CANDIDATES;
  const budget = options.bm25CandidateBudget;
  if (budget !== undefined && !(budget >= 1)) throw new RangeError(`bm25CandidateBudget must be at least 1 (or Infinity), got ${budget}`);
  const onStage = options.onStage;

  // A question the model cannot read is ranked by its words (hybrid only: `vector` mode is a comparison).
  const unreadable = mode === 'hybrid' && (options.embedder.unreadableShare?.(query) ?? 0) > MAX_UNREADABLE_SHARE;
  // The question is embedded (in a worker thread, or by a hosted model) while the lexical side runs.
  const embedding = mode === 'lexical' || unreadable ? undefined : options.embedder.embedQuery(query, { signal: options.signal });
  embedding?.catch(() => {}); // awaited below; this only keeps an early failure from counting as unhandled
  const filters: SQL[] = [];
  if (settings.excludedSources.length) filters.push(sql`not ${matchesSources(settings.excludedSources)}`);
  if (options.onlySources?.length) filters.push(matchesSources(options.onlySources));
  const filter = filters.length ? sql.join(filters, sql` and `) : undefined;

  const subject = definitionSubject(query);
  const found = await (async () => {
    const terms = await timed(onStage, 'terms', () => resolveQueryTerms(db, query, { correctTypos: options.correctTypos }));
    const lexical = mode === 'vector' ? [] : await timed(onStage, 'bm25', () => bm25Search(db, terms, { filter, limit: n, candidateBudget: budget }));
    // The question's vector is awaited before any transaction opens: a slow or hung embedding
    // server must not hold a connection meanwhile (the embedded database has only one, so every
    // other reader and the health check would wait on it).
    const vector = embedding && checkedQueryVector(await timed(onStage, 'embeddingWait', () => embedding), options.embedder);
    const vectorLiteral = vector ? `[${vector.join(',')}]` : undefined;
    // Hybrid: the vector query also reads what BM25 needs of its rows (`bm25Columns`), for the
    // candidates BM25 did not find: one query instead of a second BM25 query by id (~2 ms).
    const bm25OfVectorRows = mode === 'hybrid' ? bm25Columns(terms) : undefined;
    const columns = bm25OfVectorRows ? sql`c.id, ${bm25OfVectorRows}` : sql`c.id`;
    // `documents` only for a source filter: every chunk has its document (a foreign key), and the
    // join cost ~1 ms at 100,000 chunks.
    const documentsJoin = filter ? sql`join documents on documents.id = c.document_id` : sql``;
    const sourceFilter = filter ? sql`and ${filter}` : sql``;
    // The HNSW settings are `SET LOCAL`: the vector query runs in a transaction of its own.
    const vectorRows =
      vectorLiteral === undefined
        ? []
        : await db.transaction(async (tx) => {
            const t = tx as unknown as Database;
            await setVectorSearchSettings(t);
            return timed(onStage, 'vector', () =>
              queryRows<Bm25Row>(
                t,
                sql`select ${columns} from chunks c ${documentsJoin}
                    where c.embedding_model = ${options.embedder.modelId} ${sourceFilter}
                    order by c.embedding <=> ${vectorLiteral}::vector
                    limit ${n}`,
              ),
            );
          });
    // "What is X?": the home pages' leads are candidates too; the one that introduces X is the
    // answer when X is what the site is about (`home-pages.ts`).
    const homeRows = subject && mode === 'hybrid' ? await homePageLeads<Bm25Row>(db, { columns: bm25OfVectorRows, filter }) : [];
    const vectorIds = vectorRows.map((r) => r.id);
    const lexicalIds = new Set(lexical.map((l) => l.id));
    const unscored = [...new Map([...vectorRows, ...homeRows].map((r) => [r.id, r])).values()].filter((r) => !lexicalIds.has(r.id));
    const extra = mode === 'hybrid' ? await timed(onStage, 'bm25Vector', () => scoreBm25Rows(terms, unscored)) : [];
    const homeIds = new Set(homeRows.map((r) => r.id));
    return { terms, vectorLiteral, homeIds, lexical: [...lexical, ...extra], ids: [...new Set([...lexical.map((l) => l.id), ...vectorIds, ...homeIds])] };
  })();
  const { vectorLiteral } = found;
  if (found.ids.length === 0) return [];

  const loaded = await timed(onStage, 'details', () =>
    loadDetails(db, found.ids, settings.preferredSources, vectorLiteral, options.embedder.modelId, found.terms),
  );
  // Docs in several languages: only the candidates in the question's (or the reader's) language (`languages.ts`).
  const details = inQuestionLanguage(query, loaded, (d) => d.document_id, options.readerLanguage);
  const kept = new Set(details);
  const leftOut = new Set(loaded.filter((d) => !kept.has(d)).map((d) => d.id));
  const fusionStarted = performance.now();
  const lexicalById = new Map<string, LexicalScore>(found.lexical.map((l) => [l.id, l]));
  const totalIdf = found.terms.terms.reduce((s, t) => s + t.idf * t.weight, 0) || 1;
  const maxIdf = idf(0, found.terms.chunkCount) || 1;
  const missingIdf = (matched: string[]) => Math.max(0, ...found.terms.terms.filter((t) => !matched.includes(t.lexeme)).map((t) => t.idf * t.weight));
  const unknownIdf = found.terms.terms.filter((t) => t.df === 0).reduce((s, t) => s + t.idf * t.weight, 0);
  const unknownName = found.terms.terms.some((t) => t.df === 0 && t.name) ? 1 : 0;
  const maxBm25 = found.terms.terms.filter((t) => t.df > 0).reduce((s, t) => s + t.idf * t.weight * (BM25_PARAMETERS.k1 + 1), 0) || 1;
  const topBm25 = Math.max(0, ...found.lexical.filter((l) => !leftOut.has(l.id)).map((l) => l.bm25)) || 1;
  // A chunk embedded with another model (mid-switch) has no comparable vector (`missing-vectors.ts`),
  // and none has for a question the model cannot read.
  const cosines = cosinesWithMissingFilled(details.map((d) => ((vectorLiteral !== undefined || unreadable) && d.cosine === null ? null : cosineOf(d))));
  const cosineById = new Map(details.map((d, i) => [d.id, cosines[i]!]));
  const topCosine = Math.max(0, ...cosines);
  // A home page lead that introduces the subject is its definition: the question asks what the
  // site is about. It scores as the best source (below), and the other sections that open with
  // the site's name ("Poetry is developed…") do not define it: BM25 on a name found everywhere
  // ranks sections by how often they repeat it, and the home page's title is often "Introduction".
  // "What is this library?" names nothing: the first home page (in path order) is its answer.
  const homeLeads = details.filter((d) => found.homeIds.has(d.id)).sort((a, b) => a.path.localeCompare(b.path));
  const siteSubjectLeads = new Set(
    (subject && isSiteSubject(subject) ? homeLeads.slice(0, 1) : homeLeads.filter((d) => subject && homePageIntroduces(subject, d))).map((d) => d.id),
  );

  const candidates = details.map((d) => {
    const lex = lexicalById.get(d.id);
    const cosine = cosineById.get(d.id)!;
    const features: FusionFeatures = {
      bm25: Math.min(1, (lex?.bm25 ?? 0) / maxBm25),
      bm25Rel: (lex?.bm25 ?? 0) / topBm25,
      coverage: (lex?.matchedIdf ?? 0) / totalIdf,
      heading: (lex?.headingIdf ?? 0) / totalIdf,
      cosine,
      cosineRel: cosine - topCosine,
      path: found.terms.terms.length ? Number(d.path_terms) / found.terms.terms.length : 0,
      page: 0,
      missing: missingIdf(lex?.matched ?? []) / maxIdf,
      unknown: unknownIdf / totalIdf,
      bestCoverage: 0,
      unknownName,
      defines: siteSubjectLeads.size ? Number(siteSubjectLeads.has(d.id)) : subject && definesSubject(subject, d) ? 1 : 0,
    };
    return { d, features };
  });
  // Page evidence: the best other section of the same page (its best two `bm25Rel`s suffice).
  const bestTwo = new Map<string, [number, number]>();
  for (const c of candidates) {
    const [first, second] = bestTwo.get(c.d.document_id) ?? [0, 0];
    const v = c.features.bm25Rel;
    bestTwo.set(c.d.document_id, v > first ? [v, first] : [first, Math.max(second, v)]);
  }
  for (const c of candidates) {
    const [first, second] = bestTwo.get(c.d.document_id)!;
    c.features.page = c.features.bm25Rel === first ? second : first;
  }
  const bestCoverage = Math.max(0, ...candidates.map((c) => c.features.coverage));
  for (const c of candidates) c.features.bestCoverage = bestCoverage;

  // Hybrid: rank by the section model, then score with the question model (fusion.ts).
  if (mode === 'hybrid') candidates.sort((a, b) => sectionLogit(b.features) - sectionLogit(a.features));
  const fused = mode === 'hybrid' ? fusedScores(candidates.map((c) => c.features)) : [];
  const bestFused = fused[0] ?? 0;
  const scored: ScoredCandidate[] = candidates.map(({ d, features }, i) => {
    let score = mode === 'lexical' ? features.bm25 : mode === 'vector' ? features.cosine : fused[i]!;
    if (siteSubjectLeads.has(d.id)) score = Math.max(score, bestFused);
    if (d.preferred) score = Math.min(1, score * PREFERRED_BOOST);
    return {
      score,
      features,
      preferred: d.preferred,
      chunkId: d.id,
      ordinal: d.ordinal,
      documentId: d.document_id,
      source: d.source,
      path: d.path,
      title: d.title,
      headings: d.headings,
      anchor: d.anchor,
      url: d.anchor ? `${d.url}#${d.anchor}` : d.url,
      text: d.text,
    };
  });
  const siteLead = (c: ScoredCandidate) => Number(siteSubjectLeads.has(c.chunkId));
  scored.sort((a, b) => b.score - a.score || siteLead(b) - siteLead(a) || a.path.localeCompare(b.path) || a.chunkId.localeCompare(b.chunkId));
  // A troubleshooting page's remedy goes before the problem statement that matched (`remedies.ts`).
  const ranked = mode === 'hybrid' ? remedyBeforeProblem(scored) : scored;
  onStage?.('fusion', performance.now() - fusionStarted);
  return ranked;
}

/**
 * The HNSW search settings, for the current transaction only (`set_config(…, true)` is `SET
 * LOCAL`; both in one statement, one round trip):
 * - `hnsw.iterative_scan = relaxed_order`: keep scanning the HNSW index when a filter drops rows,
 *   instead of returning too few;
 * - `hnsw.ef_search` = {@link HNSW_EF_SEARCH}, a wider search than pgvector's default (40). At
 *   100k chunks, with the index built at ef_construction 128 (migration 0009): recall@10 1.000 at
 *   400, p50 ~12 ms, with and without source filters. With the default build, 0.92–0.99 at 400 and
 *   0.94–0.997 at 600: some queries could not reach their cluster at any width
 *   (`npm run bench -- --compare-ef-search …`, BENCHMARKS.md).
 */
export async function setVectorSearchSettings(tx: Database): Promise<void> {
  await queryRows(tx, sql`select set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', ${String(HNSW_EF_SEARCH)}, true)`);
}

/**
 * A candidate's cosine similarity as a feature (0–1). A vector of zeros stored before ingest
 * refused them gives NaN (pgvector), which would make every candidate's score NaN through the
 * best cosine: it counts as no vector evidence instead.
 */
function cosineOf(d: Detail): number {
  const x = Number(d.cosine ?? 0);
  return Number.isFinite(x) ? Math.max(0, x) : 0;
}

/**
 * The question's vector, checked: NaN from a broken model would reach pgvector, and zeros would
 * make every cosine NaN (the question silently gets no sources).
 */
function checkedQueryVector(vector: number[], embedder: EmbeddingProvider): number[] {
  const problem = checkVector(vector, embedder.dimensions);
  if (problem) {
    throw new EmbeddingError(`The embedding model ${embedder.modelId} returned ${problem.message} for the question`, { kind: 'unusable-vector' });
  }
  return vector;
}

interface Detail extends Record<string, unknown> {
  id: string;
  ordinal: number;
  document_id: string;
  source: string;
  path: string;
  title: string;
  url: string;
  headings: string[];
  anchor: string;
  text: string;
  preferred: boolean;
  /** Cosine similarity; the string `"NaN"` (JSON has no NaN) against a stored vector of zeros. */
  cosine: number | 'NaN' | null;
  path_terms: number;
}

async function loadDetails(
  db: Database,
  ids: string[],
  preferred: string[],
  vectorLiteral: string | undefined,
  modelId: string,
  terms: QueryTerms,
): Promise<Detail[]> {
  const isPreferred: SQL = preferred.length ? matchesSources(preferred) : sql`false`;
  const cosine = vectorLiteral
    ? sql`case when c.embedding_model = ${modelId} then 1 - (c.embedding <=> ${vectorLiteral}::vector) end`
    : sql`null::float8`;
  const lexemes = textArray(terms.terms.map((t) => t.lexeme));
  // Each candidate's document is looked up by its key (`offset 0` keeps the planner from turning
  // the lateral subquery into a join): a plain join hashed the whole documents table for ~100
  // rows, 12 of 14 ms at 100,000 chunks (BENCHMARKS.md). The rows come back as one JSON array:
  // PGlite hands over each row and each column at a cost, ~1 ms for ~120 rows of 13 columns.
  const [row] = await queryRows<{ details: Detail[] | string | null }>(
    db,
    sql`select json_agg(json_build_object(
                 'id', c.id, 'ordinal', c.ordinal, 'document_id', c.document_id, 'source', documents.source,
                 'path', documents.path, 'title', documents.title, 'url', documents.url, 'headings', c.headings,
                 'anchor', c.anchor, 'text', c.text, 'preferred', ${isPreferred}, 'cosine', ${cosine},
                 'path_terms', length(ts_filter(setweight(documents.path_tsv, 'C', ${lexemes}), '{c}')))) as details
        from chunks c
        cross join lateral (select source, path, title, url, path_tsv from documents where documents.id = c.document_id offset 0) documents
        where c.id = any(${uuidArray(ids)})`,
  );
  const details = row?.details ?? [];
  return typeof details === 'string' ? (JSON.parse(details) as Detail[]) : details;
}
