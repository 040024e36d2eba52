import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { formatReport } from '../bench/search-scale';
import { createQueries, createSyntheticCorpus } from '../bench/search-scale/corpus';
import { type HybridSearchResult, runSearchScaleBench, withHnswParameters } from '../bench/search-scale/run';
import { percentile } from '../bench/search-scale/stats';
import { openDatabase, queryRows } from '../server/db/open';
import { HNSW_EF_SEARCH, SEARCH_STAGES } from '../server/retrieval/search';

describe('createSyntheticCorpus()', () => {
  it('is reproducible from its seed, with unit vectors clustered by topic', () => {
    const a = createSyntheticCorpus({ chunks: 300, sources: 3, clusters: 5, seed: 7 });
    const b = createSyntheticCorpus({ chunks: 300, sources: 3, clusters: 5, seed: 7 });
    expect(a.documents.reduce((n, d) => n + d.chunkCount, 0)).toBe(300);
    expect(a.vectors).toEqual(b.vectors);
    expect(a.chunksOf(0, 3)).toEqual(b.chunksOf(0, 3));
    expect(new Set(a.documents.map((d) => d.source))).toEqual(new Set(['source-01', 'source-02', 'source-03']));
    const dims = a.dimensions;
    const vec = (i: number) => a.vectors.subarray(i * dims, (i + 1) * dims);
    const dot = (x: Float32Array, y: Float32Array) => x.reduce((s, v, k) => s + v * y[k]!, 0);
    expect(dot(vec(0), vec(0))).toBeCloseTo(1, 4);
    // Like real embeddings: every pair fairly similar (≈ 0.62), chunks of one document much more (≈ 0.85).
    const doc = a.documents.find((d) => d.chunkCount >= 2)!;
    const other = a.documents.find((d) => d.cluster !== doc.cluster)!;
    const sameDocument = dot(vec(doc.firstChunk), vec(doc.firstChunk + 1));
    const otherTopic = dot(vec(doc.firstChunk), vec(other.firstChunk));
    expect(sameDocument).toBeGreaterThan(0.75);
    expect(otherTopic).toBeGreaterThan(0.45);
    expect(otherTopic).toBeLessThan(0.75);
    // Text is made of real docs' words.
    expect(a.text).toBe('docs');
    const uniform = createSyntheticCorpus({ chunks: 300, sources: 3, clusters: 5, seed: 7, text: 'uniform' });
    expect(uniform.vectors).toEqual(a.vectors);
    expect(uniform.chunksOf(0, 1)[0]!.text.split(' ').length).toBeGreaterThanOrEqual(60);
    const queries = createQueries(a, 5, 7);
    expect(queries).toHaveLength(5);
    // A query is about as far from its chunk as a real question from its best chunk (≈ 0.65).
    for (const q of queries) {
      expect(dot(Float32Array.from(q.vector), vec(q.chunk))).toBeGreaterThan(0.5);
      expect(dot(Float32Array.from(q.vector), vec(q.chunk))).toBeLessThan(0.8);
    }
  });
});

describe('createSyntheticCorpus({ text })', () => {
  const words = (text: string) => text.toLowerCase().replace(/\./g, '').split(' ');

  it("gives docs text Docent's chunk lengths and words of each document's own", () => {
    const corpus = createSyntheticCorpus({ chunks: 3000, sources: 3, clusters: 20, seed: 3 });
    const lengths = corpus.chunksOf(0, corpus.documents.length).map((c) => words(c.text).length).sort((x, y) => x - y);
    // Sections, mostly short: median ≈ 70 words, a tenth under 20 (the uniform text: 60–259).
    expect(lengths[Math.floor(lengths.length / 2)]).toBeGreaterThan(55);
    expect(lengths[Math.floor(lengths.length / 2)]).toBeLessThan(85);
    expect(lengths[Math.floor(lengths.length / 10)]).toBeLessThan(25);
    // A long tail: words of one document's own, found in several of its chunks and nowhere else
    // (the names of what a page documents). Uniform text draws every word from one shared vocabulary.
    const ownedWords = (c: typeof corpus) => {
      const chunksOf = new Map<string, { documents: Set<number>; chunks: number }>();
      for (const chunk of c.chunksOf(0, c.documents.length)) {
        for (const w of new Set(words(chunk.text))) {
          const seen = chunksOf.get(w) ?? { documents: new Set<number>(), chunks: 0 };
          seen.documents.add(chunk.document);
          seen.chunks++;
          chunksOf.set(w, seen);
        }
      }
      return { owned: [...chunksOf.values()].filter((s) => s.documents.size === 1 && s.chunks > 1).length };
    };
    const docs = ownedWords(corpus);
    expect(docs.owned).toBeGreaterThan(corpus.documents.length);
    const uniform = ownedWords(createSyntheticCorpus({ chunks: 3000, sources: 3, clusters: 20, seed: 3, text: 'uniform' }));
    expect(uniform.owned).toBeLessThan(corpus.documents.length / 10);
  });

  it('makes docs queries of six different words of their chunk', () => {
    const corpus = createSyntheticCorpus({ chunks: 500, sources: 2, clusters: 5, seed: 4 });
    for (const q of createQueries(corpus, 20, 4)) {
      const doc = corpus.documents.find((d) => d.firstChunk <= q.chunk && q.chunk < d.firstChunk + d.chunkCount)!;
      const chunk = corpus.chunksOf(doc.index, doc.index + 1)[q.chunk - doc.firstChunk]!;
      const text = chunk.text.replace(/\./g, '').split(' ');
      const query = q.text.split(' ');
      expect(query.length).toBe(Math.min(6, new Set(text).size));
      expect(new Set(query).size).toBe(query.length);
      for (const w of query) expect(text).toContain(w);
    }
  });
});

describe('withHnswParameters()', () => {
  const def = 'CREATE INDEX chunks_embedding_hnsw_idx ON public.chunks USING hnsw (embedding vector_cosine_ops)';
  it('keeps the migration definition unless parameters are given', () => {
    expect(withHnswParameters(def)).toBe(def);
    expect(withHnswParameters(def, 24, 100)).toBe(`${def} WITH (m = 24, ef_construction = 100)`);
    expect(withHnswParameters(`${def} WITH (m = 16)`, undefined, 128)).toBe(`${def} WITH (ef_construction = 128)`);
  });
});

describe('percentile()', () => {
  it('uses the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile([3], 95)).toBe(3);
  });
});

describe('runSearchScaleBench()', () => {
  it('loads a small corpus through the real schema and reports speed and recall for each filter', { timeout: 300_000 }, async () => {
    const report = await runSearchScaleBench({ chunks: 2000, queries: 20, warmup: 2, compareEfSearch: [100], maintenanceWorkMem: '96MB' });
    expect(report.load.rows.chunks).toBe(2000);
    // The builds' setting, not the reopened database's default.
    expect(report.options.maintenanceWorkMem).toBe('96MB');
    expect(report.load.rows.documents).toBe(report.corpus.documents);
    expect(report.indexes.hnswDefinition).toMatch(/USING hnsw \(embedding vector_cosine_ops\)/);
    expect(report.indexes.fullTextDefinition).toMatch(/USING gin \(tsv\)/);
    expect(report.indexes.hnswIndexMB).toBeGreaterThan(0);
    expect(report.options.efSearch).toBe(HNSW_EF_SEARCH);
    // auto, as the server: a database this small gets PGlite's default.
    expect(report.options.sharedBuffers).toBe('128MB');
    for (const name of ['none', 'excludeOneSource', 'onlyOneSource'] as const) {
      const s = report.vectorSearch[name];
      expect(s.count).toBe(20);
      expect(s.meanResults).toBe(10);
      expect(s.p95Ms).toBeGreaterThanOrEqual(s.p50Ms);
      expect(s.exact.count).toBe(20);
      // Clustered vectors at this size: the search finds (nearly) the exact top 10.
      expect(s.recallAt10).toBeGreaterThanOrEqual(0.9);
      expect(s.recallAt10).toBeLessThanOrEqual(1);
      expect(s.plan).toMatch(/Limit/);
    }
    expect(report.efSearchComparison.map((r) => r.efSearch)).toEqual([100]);
    for (const c of Object.values(report.efSearchComparison[0]!.cases)) expect(c.recallAt10).toBeGreaterThanOrEqual(0.9);
    expect(report.hybridSearch).not.toBeNull();
    expect(report.hybridSearch).not.toHaveProperty('error');
    // The median of each stage of search(), in the order they run, none longer than the whole.
    const hybrid = (report.hybridSearch as { none: HybridSearchResult }).none;
    expect(Object.keys(hybrid.stagesP50Ms)).toEqual([...SEARCH_STAGES]);
    for (const p50 of Object.values(hybrid.stagesP50Ms)) {
      expect(p50).toBeGreaterThanOrEqual(0);
      expect(p50).toBeLessThanOrEqual(hybrid.maxMs);
    }
    expect(hybrid.stagesP50Ms.bm25).toBeGreaterThan(0);
    // 2,000 chunks: the candidate budget (4,000) seldom binds, so no budget changes (nearly) nothing.
    for (const c of ['none', 'excludeOneSource'] as const) {
      const u = (report.hybridSearch as Record<typeof c, HybridSearchResult>)[c].unlimitedBudget;
      expect(u.questions).toBe(20);
      expect(u.sharedAt10).toBeGreaterThanOrEqual(0.95);
      expect(u.sharedAt10).toBeLessThanOrEqual(1);
      expect(u.sameFirst).toBeGreaterThanOrEqual(19);
    }
    const table = formatReport({ ...report, command: 'npm run bench -- --chunks 2000' });
    expect(table).toMatch(/BM25's candidate budget: top 10 shared with an unlimited budget [\d.]+ with no filter \(same first result \d+ \/ 20\), [\d.]+ excluding 1 source/);
    expect(table).toMatch(/search\(\) stages, p50 \(no filter\): terms [\d.]+ ms · bm25 [\d.]+ ms · embeddingWait/);
    expect(table).toContain('| only 1 source |');
    expect(table).toContain('| 100 |');
    expect(table).toMatch(/targets \(p50 ≤ 20 ms and recall@10 ≥ 0.95\)/);
  });

  it('keeps its database with --keep, will not build it in a folder that is not empty, and measures it again with --reuse', { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'docent-bench-keep-'));
    try {
      const report = await runSearchScaleBench({ chunks: 300, queries: 3, warmup: 1, hybrid: false, keep: dir });
      expect(report.load.rows.chunks).toBe(300);
      const handle = await openDatabase(join(dir, 'pglite'));
      try {
        const [row] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from chunks`);
        expect(row!.n).toBe(300);
      } finally {
        await handle.close();
      }
      await expect(runSearchScaleBench({ chunks: 300, queries: 3, keep: dir })).rejects.toThrow(/is not empty/);
      // --reuse measures the kept database again, without loading or building it.
      const again = await runSearchScaleBench({ chunks: 300, queries: 3, warmup: 1, reuse: dir, sharedBuffers: 160 });
      expect(again.reused).toBe(dir);
      expect(again.options.sharedBuffers).toBe('160MB');
      expect(again.load).toMatchObject({ seconds: null, chunksPerSecond: null, rows: { chunks: 300, documents: report.load.rows.documents } });
      expect(again.indexes).toMatchObject({ hnswBuildSeconds: null, fullTextBuildSeconds: null, analyzeSeconds: null, hnswDefinition: report.indexes.hnswDefinition });
      expect(again.corpus.meanChunkChars).toBe(report.corpus.meanChunkChars);
      expect(again.vectorSearch.none.count).toBe(3);
      expect(again.hybridSearch).not.toHaveProperty('error');
      expect(formatReport({ ...again, command: 'npm run bench -- --reuse DIR' })).toContain(`the database kept in ${dir}`);
      // Other corpus options would make queries for another corpus; building options make no sense.
      await expect(runSearchScaleBench({ chunks: 400, queries: 3, reuse: dir })).rejects.toThrow(/holds 300 chunks .* give the chunks, sources, clusters and seed it was built with/);
      // Another --sources makes the same counts and texts, but other source names to filter on.
      await expect(runSearchScaleBench({ chunks: 300, sources: 3, queries: 3, reuse: dir })).rejects.toThrow(/these options generate/);
      await expect(runSearchScaleBench({ chunks: 300, queries: 3, reuse: dir, text: 'uniform' })).rejects.toThrow(/other text than --text uniform/);
      await expect(runSearchScaleBench({ chunks: 300, queries: 3, reuse: dir, m: 24 })).rejects.toThrow(/m cannot go with it/);
      await expect(runSearchScaleBench({ chunks: 300, queries: 3, reuse: tmpdir() })).rejects.toThrow(/holds no database kept by an earlier run/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad options with a message naming them', async () => {
    await expect(runSearchScaleBench({ chunks: 0 })).rejects.toThrow(/chunks must be a whole number/);
    await expect(runSearchScaleBench({ chunks: 10, efSearch: 1.5 })).rejects.toThrow(/efSearch must be a whole number/);
    await expect(runSearchScaleBench({ chunks: 10, warmup: -1 })).rejects.toThrow(/warmup must be a whole number ≥ 0/);
    await expect(runSearchScaleBench({ chunks: 10, text: 'markdown' as 'docs' })).rejects.toThrow(/text must be docs or uniform/);
  });
});

describe('npm run bench (the command)', () => {
  const bench = (args: string[]) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/search-scale.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  };

  it('exits 2 for every bad option, named with a bench: prefix, before running anything', () => {
    const cases: [string[], string][] = [
      [['--nope'], "bench: Unknown option '--nope'"],
      [['--chunks', '0x10'], 'bench: --chunks must be a whole number ≥ 1 (got "0x10")'],
      [['--chunks', '1e3'], 'bench: --chunks must be a whole number ≥ 1 (got "1e3")'],
      [['--chunks', '300', '--chunks', '400'], 'bench: --chunks is given more than once; give it once'],
      [['--text', 'markdown'], 'bench: --text must be docs or uniform (got "markdown")'],
      // The benchmark's own checks name the flags typed, not its options object's fields.
      [['--maintenance-work-mem', 'lots'], 'bench: --maintenance-work-mem must look like 256MB (got lots)'],
      [['--reuse', tmpdir(), '--m', '8', '--maintenance-work-mem', '1GB'], 'bench: --reuse measures a database already built: --m, --maintenance-work-mem cannot go with it'],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = bench(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.split('\n')[0]).toBe(message);
      expect(stdout).toBe('');
    }
  });

  it('refuses a --json FILE it could not write before the run, without a stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docent-bench-json-'));
    try {
      const missing = bench(['--chunks', '300', '--json', join(dir, 'missing', 'b.json')]);
      expect(missing).toEqual({ code: 2, stdout: '', stderr: `bench: cannot write --json ${join(dir, 'missing', 'b.json')}: the folder ${join(dir, 'missing')} does not exist\n` });
      const folder = bench(['--chunks', '300', '--json', dir]);
      expect(folder).toMatchObject({ code: 2, stderr: `bench: cannot write --json ${dir}: it is a folder\n` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
