/**
 * Retrieval speed at scale: loads a synthetic corpus (`corpus.ts`) into a fresh embedded database
 * through Docent's own schema and migrations, then measures
 * - load time (bulk insert, 1,000 rows per statement, with the HNSW and full-text indexes dropped),
 * - index build time (each re-created from the definition the migrations gave it),
 * - the vector query as the server runs it (`SET LOCAL hnsw.iterative_scan = relaxed_order`,
 *   `ORDER BY embedding <=> $q LIMIT 10`, joined to `documents`), with no filter, excluding one
 *   source, and restricted to one source: p50/p95 and recall@10 against exact search (the same
 *   query with index scans disabled),
 * - the full `search()` of `server/retrieval/search.ts` (lexical + vector, fused), fed the query
 *   vector by a tiny embedder, without and with an excluded source, and what BM25's candidate
 *   budget costs it: each top 10 against the same search with no budget (untimed).
 *
 * With `reuse`, the database kept by an earlier run (`keep`) is measured again without loading and
 * building it: a minute instead of ten at 100,000 chunks, to time a change of the search code.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type SQL, sql } from 'drizzle-orm';
import { migrateDatabase } from '../../server/db/migrate';
import { type Database, type DatabaseHandle, openDatabase, queryRows } from '../../server/db/open';
import { chunks as chunksTable, documents as documentsTable } from '../../server/db/schema';
import type { EmbeddingProvider } from '../../server/embed/provider';
import { HNSW_EF_SEARCH, SEARCH_STAGES, type SearchStage, search } from '../../server/retrieval/search';
import { DEFAULT_RETRIEVAL_SETTINGS } from '../../server/retrieval/settings';
import type { SharedBuffersSetting } from '../../server/db/buffer-cache';
import { type CorpusText, createQueries, createSyntheticCorpus, DEFAULT_VOCABULARY_DIRS, type SyntheticQuery } from './corpus';
import { type LatencySummary, percentile, summarise } from './stats';

export interface SearchScaleOptions {
  /** Chunks in the corpus. Default 100,000. */
  chunks?: number;
  /** Queries per measurement. Default 200. */
  queries?: number;
  /** Content sources the documents are spread over. Default 10. */
  sources?: number;
  /** Topic clusters of the vectors. Default 200. */
  clusters?: number;
  /** Seed of the corpus and queries. Default 1. */
  seed?: number;
  /** Rows per INSERT statement. Default 1,000. */
  batchSize?: number;
  /** `hnsw.ef_search` for the timed vector queries. Default: the server's, `HNSW_EF_SEARCH` (400). */
  efSearch?: number;
  /** HNSW `m` and `ef_construction`. Default: the migration's definition (pgvector: 16 and 64). */
  m?: number;
  efConstruction?: number;
  /** `maintenance_work_mem` for the index builds (e.g. `256MB`). Default: the database's. */
  maintenanceWorkMem?: string;
  /** Other `hnsw.ef_search` values to measure the vector query with (same exact results). Default none. */
  compareEfSearch?: number[];
  /** Also time the full hybrid `search()`. Default true. */
  hybrid?: boolean;
  /**
   * Untimed queries before each measurement: other questions than the timed ones (made with
   * another seed, so rarely from the same chunk), so a timed question is new to the database's
   * caches, as a reader's next question is. Default 10; a few hundred show a server that has
   * been answering for a while.
   */
  warmup?: number;
  /** Folders of markdown for the vocabulary. Default `eval/corpora/hono` and `node_modules/ai/docs`. */
  vocabularyDirs?: string[];
  /**
   * The chunks' text (`corpus.ts`): `docs` (default), real chunk lengths and a long tail of
   * document-specific words; `uniform`, the text of runs before 2026-12-03, to compare with them.
   */
  text?: CorpusText;
  /**
   * Build the database in this (new or empty) directory and keep it afterwards, for profiling
   * without reloading the corpus. Default: a temporary directory, deleted at the end.
   */
  keep?: string;
  /**
   * Measure the database an earlier run kept in this directory (`keep`) instead of building one:
   * no load, no index builds (the migrations still run). The corpus options (`chunks`, `sources`,
   * `clusters`, `seed`, `text`) must be the ones it was built with: they give the queries. Default: none.
   */
  reuse?: string;
  /**
   * The embedded database's buffer cache (`PGLITE_SHARED_BUFFERS`). Default `auto`, as the server:
   * a built database is closed and opened again before the timings, so `auto` sizes it as a server
   * starting on it would.
   */
  sharedBuffers?: SharedBuffersSetting;
  /** Progress lines. Default: none. */
  log?: (line: string) => void;
}

export type FilterCase = 'none' | 'excludeOneSource' | 'onlyOneSource';

export interface VectorSearchResult extends LatencySummary {
  /** Mean share of the exact top 10 that the index search returned. */
  recallAt10: number;
  /** Lowest recall of one query. */
  minRecallAt10: number;
  /** Mean number of results (10 unless a filter left fewer). */
  meanResults: number;
  /** Exact search (index scans off) latency, for comparison. */
  exact: LatencySummary;
  /** Whether the planner used the HNSW index for this query shape. */
  usesHnswIndex: boolean;
  /** Queries whose recall@10 was below 0.5, with the best score each search found. */
  poorQueries: { query: number; recallAt10: number; bestScore: number; exactBestScore: number }[];
  /** The plan of the first query (EXPLAIN, without timings). */
  plan: string;
}

export interface SearchScaleReport {
  command: string;
  startedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; loadAverage: { before: number; after: number } };
  options: Required<Omit<SearchScaleOptions, 'log' | 'keep' | 'reuse' | 'compareEfSearch' | 'efSearch' | 'm' | 'efConstruction' | 'maintenanceWorkMem' | 'vocabularyDirs' | 'sharedBuffers'>> & {
    efSearch: number;
    maintenanceWorkMem: string;
    /** `shared_buffers` of the database timed (e.g. `512MB`). */
    sharedBuffers: string;
    vocabularyDirs: string[];
  };
  corpus: {
    documents: number;
    chunks: number;
    sources: number;
    dimensions: number;
    text: CorpusText;
    vocabularyWords: number;
    meanChunkChars: number;
    generateSeconds: number;
  };
  /** The kept database measured again (`reuse`), or null when this run built its own. */
  reused: string | null;
  /** `rows` counts what the database holds after the load; `seconds` and `chunksPerSecond` are null when reused. */
  load: { seconds: number | null; chunksPerSecond: number | null; openAndMigrateSeconds: number; rows: { documents: number; chunks: number } };
  /** Build times are null when the database was reused. */
  indexes: {
    hnswDefinition: string;
    hnswBuildSeconds: number | null;
    fullTextDefinition: string;
    fullTextBuildSeconds: number | null;
    analyzeSeconds: number | null;
    chunksTableMB: number;
    hnswIndexMB: number;
  };
  /** The vector query as the server runs it, by filter. */
  vectorSearch: Record<FilterCase, VectorSearchResult>;
  /** The vector query at other `hnsw.ef_search` values. */
  efSearchComparison: { efSearch: number; cases: Record<FilterCase, { p50Ms: number; p95Ms: number; recallAt10: number }> }[];
  /** The full hybrid `search()`, or why it could not run. */
  hybridSearch: { none: HybridSearchResult; excludeOneSource: HybridSearchResult } | { error: string } | null;
  targets: { p50Ms: number; recallAt10: number; metWithFilters: boolean; metWithoutFilter: boolean };
  peakRssMB: number;
  totalSeconds: number;
}

/** The full `search()`: its latency, and the median time of each of its stages (`onStage`). */
export interface HybridSearchResult extends LatencySummary {
  stagesP50Ms: Partial<Record<SearchStage, number>>;
  /**
   * What BM25's candidate budget costs: the mean share of each timed question's top 10 that the
   * same search returns with no budget (`bm25CandidateBudget: Infinity`, every chunk holding a
   * question term that is not common is scored), and how many questions have the same first
   * result. Measured after the timings, untimed.
   */
  unlimitedBudget: { sharedAt10: number; sameFirst: number; questions: number };
}

const MODEL_ID = 'bench:synthetic@512';
export const TARGET_P50_MS = 20;
/** Warm-up questions are made with the seed plus this: other questions than the timed ones. */
const WARMUP_SEED_OFFSET = 1_000_000;
export const TARGET_RECALL_AT_10 = 0.95;

/** Options the benchmark cannot run with (a bad value, `--keep` on a folder that is not empty, a `--reuse` that does not match). */
export class BenchOptionError extends Error {
  override readonly name = 'BenchOptionError';
}

/** Runs the benchmark on a fresh temporary database, which it deletes afterwards (unless `keep`), or on a kept one (`reuse`). */
export async function runSearchScaleBench(options: SearchScaleOptions = {}): Promise<SearchScaleReport> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const log = options.log ?? (() => {});
  const o = {
    chunks: options.chunks ?? 100_000,
    queries: options.queries ?? 200,
    sources: options.sources ?? 10,
    clusters: options.clusters ?? 200,
    seed: options.seed ?? 1,
    batchSize: options.batchSize ?? 1000,
    hybrid: options.hybrid ?? true,
    warmup: options.warmup ?? 10,
    text: options.text ?? 'docs',
    vocabularyDirs: (options.vocabularyDirs ?? DEFAULT_VOCABULARY_DIRS).map((d) => resolve(import.meta.dirname, '../..', d)),
  };
  for (const [name, value] of Object.entries({ queries: o.queries, batchSize: o.batchSize })) {
    if (!Number.isInteger(value) || value < 1) throw new BenchOptionError(`${name} must be a whole number ≥ 1 (got ${value})`);
  }
  if (o.text !== 'docs' && o.text !== 'uniform') throw new BenchOptionError(`text must be docs or uniform (got ${String(o.text)})`);
  if (!Number.isInteger(o.warmup) || o.warmup < 0) throw new BenchOptionError(`warmup must be a whole number ≥ 0 (got ${o.warmup})`);
  for (const [name, value] of Object.entries({ efSearch: options.efSearch, m: options.m, efConstruction: options.efConstruction })) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new BenchOptionError(`${name} must be a whole number ≥ 1 (got ${value})`);
  }
  const compareEfSearch = options.compareEfSearch ?? [];
  for (const ef of compareEfSearch) {
    if (!Number.isInteger(ef) || ef < 1) throw new BenchOptionError(`compareEfSearch values must be whole numbers ≥ 1 (got ${ef})`);
  }
  if (options.maintenanceWorkMem !== undefined && !/^\d+\s*(kB|MB|GB)$/.test(options.maintenanceWorkMem)) {
    throw new BenchOptionError(`maintenanceWorkMem must look like 256MB (got ${options.maintenanceWorkMem})`);
  }
  if (options.reuse !== undefined) {
    const building = (['keep', 'm', 'efConstruction', 'maintenanceWorkMem', 'batchSize'] as const).filter((k) => options[k] !== undefined);
    if (building.length) throw new BenchOptionError(`reuse measures a database already built: ${building.join(', ')} cannot go with it`);
    if (!existsSync(join(options.reuse, 'pglite'))) throw new BenchOptionError(`reuse: ${options.reuse} holds no database kept by an earlier run (no pglite folder)`);
  }
  if (options.keep !== undefined && existsSync(options.keep) && readdirSync(options.keep).length > 0) {
    throw new BenchOptionError(`keep: ${options.keep} is not empty`);
  }
  const loadBefore = loadavg()[0]!;
  let peakRss = process.memoryUsage().rss;
  const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));

  log(`generating ${o.chunks.toLocaleString('en')} chunks…`);
  const tGen = performance.now();
  const corpus = createSyntheticCorpus({ ...o, vocabularyDirs: o.vocabularyDirs });
  const queries = createQueries(corpus, o.queries, o.seed);
  const warmupQueries = createQueries(corpus, o.warmup, o.seed + WARMUP_SEED_OFFSET);
  const generateSeconds = seconds(performance.now() - tGen);
  sampleRss();

  const kept = options.reuse ?? options.keep;
  const dir = kept === undefined ? mkdtempSync(join(tmpdir(), 'docent-bench-search-')) : resolve(kept);
  if (options.keep !== undefined) log(`keeping the database in ${dir}`);
  if (options.reuse !== undefined) log(`measuring the database kept in ${dir}`);
  let handle: DatabaseHandle | undefined;
  try {
    const tOpen = performance.now();
    const open = () => openDatabase(join(dir, 'pglite'), { purpose: 'bench', sharedBuffers: options.sharedBuffers ?? 'auto' });
    handle = await open();
    await migrateDatabase(handle);
    const openAndMigrateSeconds = seconds(performance.now() - tOpen);

    const built = options.reuse === undefined ? await loadAndIndex(handle.db, corpus, o, options, log, sampleRss) : undefined;
    if (built) {
      // As a server started on this database: its buffer cache sized to it (`auto`) and empty
      // (the operating system's file cache stays warm, as after a server restart).
      await handle.close();
      handle = await open();
    }
    const db = handle.db;
    const sharedBuffers = String((await queryRows<{ v: string }>(db, sql`select current_setting('shared_buffers') as v`))[0]!.v);
    const [counted] = await queryRows<{ documents: number; chunks: number }>(
      db,
      sql`select (select count(*) from documents)::int as documents, (select count(*) from chunks)::int as chunks`,
    );
    if (options.reuse !== undefined) {
      // The documents' paths name their source and index: the kept database must hold exactly the
      // documents these options generate (counts alone miss another --sources).
      const [kept] = await queryRows<{ paths: string | null }>(db, sql`select md5(string_agg(path, ',' order by path)) as paths from documents`);
      const expected = createHash('md5').update(corpus.documents.map((d) => d.path).sort().join(',')).digest('hex');
      if (counted!.chunks !== o.chunks || kept?.paths !== expected) {
        throw new BenchOptionError(
          `reuse: ${dir} holds ${counted!.chunks} chunks in ${counted!.documents} documents, not the ${o.chunks} chunks in ${corpus.documents.length} documents these options generate: ` +
            'give the chunks, sources, clusters and seed it was built with',
        );
      }
      // The same documents with the other text would give other queries' words.
      const first = corpus.chunksOf(0, 1)[0]!;
      const [stored] = await queryRows<{ text: string }>(
        db,
        sql`select c.text from chunks c join documents d on d.id = c.document_id where d.path = ${corpus.documents[0]!.path} and c.ordinal = 0`,
      );
      if (stored?.text !== first.text) {
        throw new BenchOptionError(`reuse: ${dir} holds chunks with other text than --text ${o.text} makes: give the --text it was built with`);
      }
    }
    const { hnsw, gin } = await chunkIndexes(db);
    // The builds ran on the connection before the reopen, with the option when one was given.
    const maintenanceWorkMem =
      options.maintenanceWorkMem ?? String((await queryRows<{ v: string }>(db, sql`select current_setting('maintenance_work_mem') as v`))[0]!.v);
    const [sizes] = await queryRows<{ table_bytes: string; index_bytes: string }>(
      db,
      sql`select pg_total_relation_size('chunks') as table_bytes, pg_relation_size(${hnsw.indexname}::regclass) as index_bytes`,
    );
    // The server's setting unless told otherwise (search() sets it in its own transaction).
    const efSearch = options.efSearch ?? HNSW_EF_SEARCH;

    const filters: Record<FilterCase, (q: SyntheticQuery, i: number) => SQL> = {
      none: () => sql`true`,
      // A user who excluded a source: drops about 1/sources of the rows.
      excludeOneSource: (_q, i) => sql`${documentsTable.source} <> ${corpus.sourceNames[i % corpus.sourceNames.length]}`,
      // Only the query's own source: keeps about 1/sources of the rows (the hard case for HNSW).
      onlyOneSource: (q) => sql`${documentsTable.source} = ${q.source}`,
    };
    const vectorSearch = {} as Record<FilterCase, VectorSearchResult>;
    const efSearchComparison: SearchScaleReport['efSearchComparison'] = compareEfSearch.map((ef) => ({
      efSearch: ef,
      cases: {} as Record<FilterCase, { p50Ms: number; p95Ms: number; recallAt10: number }>,
    }));
    for (const name of Object.keys(filters) as FilterCase[]) {
      log(`exact search, filter: ${name}…`);
      const exact = await exactSearch(db, queries, filters[name]);
      log(`vector search, filter: ${name}…`);
      vectorSearch[name] = await measureVectorSearch(db, queries, filters[name], exact, { efSearch, warmup: warmupQueries });
      for (const row of efSearchComparison) {
        log(`vector search, filter: ${name}, ef_search ${row.efSearch}…`);
        const r = await measureVectorSearch(db, queries, filters[name], exact, { efSearch: row.efSearch, warmup: warmupQueries });
        row.cases[name] = { p50Ms: r.p50Ms, p95Ms: r.p95Ms, recallAt10: r.recallAt10 };
      }
      sampleRss();
    }

    let hybridSearch: SearchScaleReport['hybridSearch'] = null;
    if (o.hybrid) {
      log('hybrid search()…');
      try {
        const none = await measureHybrid(db, queries, () => [], warmupQueries, options.efSearch);
        const excludeOneSource = await measureHybrid(db, queries, (_q, i) => [corpus.sourceNames[i % corpus.sourceNames.length]!], warmupQueries, options.efSearch);
        hybridSearch = { none, excludeOneSource };
      } catch (error) {
        hybridSearch = { error: (error as Error).message };
      }
      sampleRss();
    }

    const filtered = [vectorSearch.excludeOneSource, vectorSearch.onlyOneSource];
    const meets = (r: VectorSearchResult) => r.p50Ms <= TARGET_P50_MS && r.recallAt10 >= TARGET_RECALL_AT_10;
    return {
      command: '',
      startedAt,
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
        node: process.version,
        loadAverage: { before: round2(loadBefore), after: round2(loadavg()[0]!) },
      },
      options: { ...o, efSearch, maintenanceWorkMem, sharedBuffers },
      corpus: {
        documents: corpus.documents.length,
        chunks: o.chunks,
        sources: o.sources,
        dimensions: corpus.dimensions,
        text: o.text,
        vocabularyWords: corpus.vocabularySize,
        // A reused database is not read for it: that would warm the caches before the timings.
        meanChunkChars: built ? Math.round(built.chars / o.chunks) : Math.round(corpusChars(corpus) / o.chunks),
        generateSeconds,
      },
      reused: options.reuse === undefined ? null : dir,
      load: {
        seconds: built ? seconds(built.loadMs) : null,
        chunksPerSecond: built ? Math.round(o.chunks / (built.loadMs / 1000)) : null,
        openAndMigrateSeconds,
        rows: { documents: Number(counted!.documents), chunks: Number(counted!.chunks) },
      },
      indexes: {
        hnswDefinition: hnsw.indexdef,
        hnswBuildSeconds: built?.hnswBuildSeconds ?? null,
        fullTextDefinition: gin.indexdef,
        fullTextBuildSeconds: built?.fullTextBuildSeconds ?? null,
        analyzeSeconds: built?.analyzeSeconds ?? null,
        chunksTableMB: Math.round(Number(sizes!.table_bytes) / 2 ** 20),
        hnswIndexMB: Math.round(Number(sizes!.index_bytes) / 2 ** 20),
      },
      vectorSearch,
      efSearchComparison,
      hybridSearch,
      targets: {
        p50Ms: TARGET_P50_MS,
        recallAt10: TARGET_RECALL_AT_10,
        metWithFilters: filtered.every(meets),
        metWithoutFilter: meets(vectorSearch.none),
      },
      peakRssMB: Math.round(peakRss / 2 ** 20),
      totalSeconds: seconds(performance.now() - started),
    };
  } finally {
    await handle?.close();
    if (kept === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Loads the corpus into the migrated database with the HNSW and full-text indexes dropped, then
 * re-creates them from the definitions the migrations gave them (HNSW with `m`/`ef_construction`
 * when asked) and runs ANALYZE.
 */
async function loadAndIndex(
  db: Database,
  corpus: ReturnType<typeof createSyntheticCorpus>,
  o: { chunks: number; seed: number; batchSize: number },
  options: SearchScaleOptions,
  log: (line: string) => void,
  sampleRss: () => void,
): Promise<{ loadMs: number; chars: number; hnswBuildSeconds: number; fullTextBuildSeconds: number; analyzeSeconds: number }> {
  // The indexes as the migrations define them; dropped for the bulk load, re-created after.
  const { hnsw, gin } = await chunkIndexes(db);
  for (const d of [hnsw, gin]) await db.execute(sql.raw(`drop index "${d.indexname}"`));

  log('loading…');
  const tLoad = performance.now();
  let chars = 0;
  const documentsPerBatch = Math.max(1, Math.floor(o.batchSize / 10));
  for (let from = 0; from < corpus.documents.length; from += documentsPerBatch) {
    const docs = corpus.documents.slice(from, from + documentsPerBatch);
    const ids = await db
      .insert(documentsTable)
      .values(
        docs.map((d) => ({
          source: d.source,
          path: d.path,
          title: d.title,
          url: `/${d.path.replace(/\.md$/, '')}/`,
          contentHash: sha1(`${d.path}:${o.seed}`),
        })),
      )
      .returning({ id: documentsTable.id });
    const chunkRows = corpus.chunksOf(from, from + docs.length).map((c) => {
      chars += c.text.length;
      const v = corpus.vectors.subarray(c.index * corpus.dimensions, (c.index + 1) * corpus.dimensions);
      return {
        documentId: ids[c.document - from]!.id,
        ordinal: c.ordinal,
        headings: c.headings,
        heading: c.headings.join(' > '),
        anchor: c.ordinal === 0 ? '' : `part-${c.ordinal}`,
        text: c.text,
        tokenCount: Math.ceil(c.text.length / 4),
        contentHash: sha1(c.text),
        embedding: Array.from(v, (x) => Math.round(x * 1e6) / 1e6),
        embeddingModel: MODEL_ID,
      };
    });
    for (let i = 0; i < chunkRows.length; i += o.batchSize) await db.insert(chunksTable).values(chunkRows.slice(i, i + o.batchSize));
    sampleRss();
    if (from % (documentsPerBatch * 20) === 0) log(`  ${corpus.documents[from]!.firstChunk.toLocaleString('en')} chunks loaded`);
  }
  const loadMs = performance.now() - tLoad;

  if (options.maintenanceWorkMem) await db.execute(sql.raw(`set maintenance_work_mem = '${options.maintenanceWorkMem}'`));
  const hnswDefinition = withHnswParameters(hnsw.indexdef, options.m, options.efConstruction);
  log(`building ${hnswDefinition}…`);
  const tHnsw = performance.now();
  await db.execute(sql.raw(hnswDefinition));
  const hnswBuildSeconds = seconds(performance.now() - tHnsw);
  sampleRss();
  log('building the full-text index…');
  const tGin = performance.now();
  await db.execute(sql.raw(gin.indexdef));
  const fullTextBuildSeconds = seconds(performance.now() - tGin);
  const tAnalyze = performance.now();
  await db.execute(sql`analyze`);
  const analyzeSeconds = seconds(performance.now() - tAnalyze);
  return { loadMs, chars, hnswBuildSeconds, fullTextBuildSeconds, analyzeSeconds };
}

/** The chunks table's HNSW and full-text (GIN) indexes: their names and definitions. */
async function chunkIndexes(db: Database): Promise<{ hnsw: { indexname: string; indexdef: string }; gin: { indexname: string; indexdef: string } }> {
  const defs = await queryRows<{ indexname: string; indexdef: string }>(
    db,
    sql`select indexname, indexdef from pg_indexes where tablename = 'chunks' and (indexdef ilike '%using hnsw%' or indexdef ilike '%using gin%')`,
  );
  const hnsw = defs.find((d) => /using hnsw/i.test(d.indexdef));
  const gin = defs.find((d) => /using gin/i.test(d.indexdef));
  if (!hnsw || !gin) throw new Error('The chunks table has no HNSW or no GIN index: the benchmark needs both');
  return { hnsw, gin };
}

/** Characters of the corpus's chunk texts, generated again (a reused database is not read for it). */
function corpusChars(corpus: ReturnType<typeof createSyntheticCorpus>): number {
  let chars = 0;
  const step = 500;
  for (let from = 0; from < corpus.documents.length; from += step) for (const c of corpus.chunksOf(from, Math.min(corpus.documents.length, from + step))) chars += c.text.length;
  return chars;
}

/** The index definition with `m`/`ef_construction` set, when asked; otherwise unchanged. */
export function withHnswParameters(definition: string, m?: number, efConstruction?: number): string {
  if (m === undefined && efConstruction === undefined) return definition;
  const params = [m !== undefined ? `m = ${m}` : '', efConstruction !== undefined ? `ef_construction = ${efConstruction}` : '']
    .filter(Boolean)
    .join(', ');
  const base = definition.replace(/\s+WITH\s*\([^)]*\)\s*$/i, '');
  return `${base} WITH (${params})`;
}

async function vectorQuery(db: Database, q: SyntheticQuery, filter: SQL, mode: { exact: boolean; efSearch?: number }) {
  const literal = `[${q.vector.join(',')}]`;
  return db.transaction(async (tx) => {
    const t = tx as unknown as Database;
    if (mode.exact) await t.execute(sql`set local enable_indexscan = off`);
    else {
      await t.execute(sql`set local hnsw.iterative_scan = relaxed_order`);
      if (mode.efSearch) await t.execute(sql.raw(`set local hnsw.ef_search = ${mode.efSearch}`));
    }
    return queryRows<{ id: string; score: number }>(
      t,
      sql`select c.id, 1 - (c.embedding <=> ${literal}::vector) as score
          from chunks c join documents on documents.id = c.document_id
          where c.embedding_model = ${MODEL_ID} and ${filter}
          order by c.embedding <=> ${literal}::vector
          limit 10`,
    );
  });
}

type Row = { id: string; score: number };

/** Exact top 10 of every query (index scans off), timed. */
async function exactSearch(db: Database, queries: SyntheticQuery[], filterOf: (q: SyntheticQuery, i: number) => SQL) {
  const times: number[] = [];
  const rows: Row[][] = [];
  for (let i = 0; i < queries.length; i++) {
    const t0 = performance.now();
    rows.push(await vectorQuery(db, queries[i]!, filterOf(queries[i]!, i), { exact: true }));
    times.push(performance.now() - t0);
  }
  return { times, rows };
}

async function explainVectorQuery(db: Database, q: SyntheticQuery, filter: SQL): Promise<string> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Database;
    await t.execute(sql`set local hnsw.iterative_scan = relaxed_order`);
    const literal = `[${q.vector.join(',')}]`;
    const rows = await queryRows<Record<string, unknown>>(
      t,
      sql`explain select c.id from chunks c join documents on documents.id = c.document_id
          where c.embedding_model = ${MODEL_ID} and ${filter}
          order by c.embedding <=> ${literal}::vector limit 10`,
    );
    return rows
      .map((r) => String(Object.values(r)[0]))
      .join('\n')
      .replace(/'\[[^\]]*\]'::vector/g, '$q');
  });
}

async function measureVectorSearch(
  db: Database,
  queries: SyntheticQuery[],
  filterOf: (q: SyntheticQuery, i: number) => SQL,
  exact: { times: number[]; rows: Row[][] },
  options: { efSearch?: number; warmup: SyntheticQuery[] },
): Promise<VectorSearchResult> {
  const explain = await explainVectorQuery(db, queries[0]!, filterOf(queries[0]!, 0));
  for (const [i, q] of options.warmup.entries()) await vectorQuery(db, q, filterOf(q, i), { exact: false, efSearch: options.efSearch });
  const times: number[] = [];
  const recalls: number[] = [];
  const poorQueries: VectorSearchResult['poorQueries'] = [];
  let results = 0;
  for (let i = 0; i < queries.length; i++) {
    const q = queries[i]!;
    const t0 = performance.now();
    const approx = await vectorQuery(db, q, filterOf(q, i), { exact: false, efSearch: options.efSearch });
    times.push(performance.now() - t0);
    const truth = new Set(exact.rows[i]!.map((r) => r.id));
    const recall = truth.size === 0 ? 1 : approx.filter((r) => truth.has(r.id)).length / truth.size;
    recalls.push(recall);
    if (recall < 0.5) {
      const best = (rows: Row[]) => round3(Math.max(...rows.map((r) => Number(r.score)), -1));
      poorQueries.push({ query: i, recallAt10: recall, bestScore: best(approx), exactBestScore: best(exact.rows[i]!) });
    }
    results += approx.length;
  }
  return {
    ...summarise(times),
    recallAt10: round3(recalls.reduce((a, b) => a + b, 0) / recalls.length),
    minRecallAt10: round3(Math.min(...recalls)),
    meanResults: round2(results / queries.length),
    exact: summarise(exact.times),
    usesHnswIndex: /hnsw/i.test(explain),
    poorQueries,
    plan: explain,
  };
}

/** An embedder that returns a precomputed query vector (the benchmark has no model). */
function fixedVectorEmbedder(vector: number[]): EmbeddingProvider {
  return {
    modelId: MODEL_ID,
    dimensions: vector.length,
    maxInputTokens: 10_000,
    async embedDocuments() {
      throw new Error('the benchmark embedder only embeds queries');
    },
    async embedQuery() {
      return vector;
    },
    async close() {},
  };
}

async function measureHybrid(
  db: Database,
  queries: SyntheticQuery[],
  excludedOf: (q: SyntheticQuery, i: number) => string[],
  warmup: SyntheticQuery[],
  efSearch: number | undefined,
): Promise<HybridSearchResult> {
  if (efSearch !== undefined) await db.execute(sql.raw(`set hnsw.ef_search = ${efSearch}`));
  const stages = new Map<SearchStage, number[]>();
  const run = (q: SyntheticQuery, i: number, onStage?: (stage: SearchStage, ms: number) => void, bm25CandidateBudget?: number) =>
    search(db, {
      query: q.text,
      embedder: fixedVectorEmbedder(q.vector),
      settings: { ...DEFAULT_RETRIEVAL_SETTINGS, maxResults: 10, minScore: 0, excludedSources: excludedOf(q, i) },
      limit: 10,
      onStage,
      bm25CandidateBudget,
    });
  for (const [i, q] of warmup.entries()) await run(q, i);
  const times: number[] = [];
  const tops: string[][] = [];
  for (let i = 0; i < queries.length; i++) {
    const t0 = performance.now();
    const results = await run(queries[i]!, i, (stage, ms) => stages.set(stage, [...(stages.get(stage) ?? []), ms]));
    times.push(performance.now() - t0);
    tops.push(results.map((r) => r.chunkId));
  }
  const stagesP50Ms: HybridSearchResult['stagesP50Ms'] = {};
  for (const stage of SEARCH_STAGES) {
    const samples = stages.get(stage);
    if (samples) stagesP50Ms[stage] = round2(percentile(samples, 50));
  }
  const unlimited = async (q: SyntheticQuery, i: number) => (await run(q, i, undefined, Infinity)).map((r) => r.chunkId);
  return { ...summarise(times), stagesP50Ms, unlimitedBudget: await compareWithUnlimitedBudget(queries, tops, unlimited) };
}

/**
 * The timed top 10s (`budgetedTops`, with BM25's candidate budget) against the same searches with
 * no budget (`HybridSearchResult.unlimitedBudget`).
 */
async function compareWithUnlimitedBudget(
  queries: SyntheticQuery[],
  budgetedTops: readonly string[][],
  unlimitedTop: (q: SyntheticQuery, i: number) => Promise<string[]>,
): Promise<HybridSearchResult['unlimitedBudget']> {
  let shared = 0;
  let sameFirst = 0;
  for (const [i, q] of queries.entries()) {
    const budgeted = budgetedTops[i]!;
    const unlimited = await unlimitedTop(q, i);
    shared += unlimited.length === 0 ? 1 : budgeted.filter((id) => unlimited.includes(id)).length / unlimited.length;
    if (budgeted[0] === unlimited[0]) sameFirst++;
  }
  return { sharedAt10: round3(shared / queries.length), sameFirst, questions: queries.length };
}

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
const seconds = (ms: number) => Math.round(ms / 10) / 100;
const round2 = (x: number) => Math.round(x * 100) / 100;
const round3 = (x: number) => Math.round(x * 1000) / 1000;
