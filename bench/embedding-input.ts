/**
 * `npm run bench:embedding-input` — which text should USE-Lite (128-token window) embed per chunk?
 *
 * On ../shared/corpora/hono with ../shared/eval/hono-dev.jsonl (section level, see metrics.ts):
 * 1. vector-only rankings, in memory, of the variants: the raw chunk (the model silently drops
 *    everything past 128 tokens), breadcrumb + plain text (same truncation), `prefix` (breadcrumb +
 *    start cut explicitly at the window), every window scored by its best window (max), and the
 *    normalised mean of the windows' vectors (`windows`);
 * 2. the full pipeline for each strategy ingest implements: ingest into a fresh database, then the
 *    search command's code (`searchQuestion`, a new user's default settings, k = 10).
 * Embeddings are cached by text across variants, so each distinct input is embedded once.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { chunkSections, DEFAULT_CHUNK_OPTIONS } from '../ingest/chunk';
import { type EmbeddingInputStrategy, combineWindowVectors, embeddingInputs, plainText } from '../ingest/embed-input';
import { ingestContent } from '../ingest/index';
import { parseDocument } from '../ingest/parse';
import { migrateDatabase } from '../server/db/migrate';
import { openDatabase } from '../server/db/open';
import { createLocalEmbeddingProvider } from '../server/embed/local';
import type { EmbeddingProvider } from '../server/embed/provider';
import { searchQuestion } from '../server/retrieval/cli';
import { type EvalQuestion, type RankedResult, scoreQuestions } from '../eval/metrics';
import { scriptArguments } from '../server/cli/script-args';

/** Section-level hit@5 and MRR@10 (the eval's own scoring), and how many questions got nothing. */
interface Metrics {
  questions: number;
  hitAt5: number;
  mrrAt10: number;
  empty: number;
}

function scoreRuns(questions: readonly EvalQuestion[], results: ReadonlyMap<string, readonly RankedResult[]>): Metrics {
  const runs = questions.map((q) => ({ id: q.id, results: [...(results.get(q.id) ?? [])].slice(0, 10), latencyMs: 0 }));
  const { hitAt5, mrrAt10 } = scoreQuestions(questions, runs);
  return { questions: questions.length, hitAt5: hitAt5 ?? 0, mrrAt10: mrrAt10 ?? 0, empty: runs.filter((r) => r.results.length === 0).length };
}

const CORPUS = process.env.CORPUS ?? join(import.meta.dirname, '../../shared/corpora/hono');
const QUESTIONS = process.env.QUESTIONS ?? join(import.meta.dirname, '../../shared/eval/hono-dev.jsonl');

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return listFiles(full);
    return /\.mdx?$/.test(name) ? [full] : [];
  });
}

/** Wraps an embedder with a cache keyed by input text. */
function cached(inner: EmbeddingProvider): EmbeddingProvider & { computed: number } {
  const cache = new Map<string, number[]>();
  const wrapper = {
    ...inner,
    computed: 0,
    async embedDocuments(texts: string[], opts?: Parameters<EmbeddingProvider['embedDocuments']>[1]) {
      const missing = [...new Set(texts.filter((t) => !cache.has(t)))];
      if (missing.length) {
        const vectors = await inner.embedDocuments(missing);
        missing.forEach((t, i) => cache.set(t, vectors[i]!));
        wrapper.computed += missing.length;
      }
      opts?.onProgress?.(texts.length);
      return texts.map((t) => cache.get(t)!);
    },
    async embedQuery(text: string) {
      return (await wrapper.embedDocuments([text]))[0]!;
    },
    countTokens: inner.countTokens?.bind(inner),
    tokenFloor: inner.tokenFloor?.bind(inner),
    close: () => inner.close(),
  };
  return wrapper;
}

const USAGE = `Usage: npm run bench:embedding-input

Which text the local embedder (128-token window) should embed per chunk: vector-only rankings of
the variants on ../shared/corpora/hono with ../shared/eval/hono-dev.jsonl, then the full pipeline
for each strategy ingest implements.`;

async function main() {
  scriptArguments({ command: 'bench:embedding-input', usage: USAGE });
  const started = performance.now();
  const questions = readFileSync(QUESTIONS, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as EvalQuestion);
  const embedder = cached(createLocalEmbeddingProvider());
  const rows: { variant: string; level: string; inputs: number; metrics: Metrics }[] = [];

  // 1. Vector-only, in memory.
  const chunks: (RankedResult & { text: string })[] = [];
  for (const file of listFiles(CORPUS).sort()) {
    const path = relative(CORPUS, file).split('\\').join('/');
    const doc = parseDocument(readFileSync(file, 'utf8'), path);
    for (const c of chunkSections(doc.sections, DEFAULT_CHUNK_OPTIONS)) chunks.push({ path, headings: c.headings, text: c.text });
  }
  const queryVectors = await embedder.embedDocuments(questions.map((q) => q.question));
  const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
  const rankBy = (score: (chunk: number, query: number[]) => number) => {
    const results = new Map<string, RankedResult[]>();
    questions.forEach((q, qi) => {
      const ranked = chunks
        .map((c, i) => ({ c, s: score(i, queryVectors[qi]!) }))
        .sort((a, b) => b.s - a.s)
        .slice(0, 10)
        .map(({ c }) => c);
      results.set(q.id, ranked);
    });
    return scoreRuns(questions, results);
  };
  const raw = await embedder.embedDocuments(chunks.map((c) => c.text));
  rows.push({ variant: 'raw chunk (model truncates at 128)', level: 'vector only', inputs: chunks.length, metrics: rankBy((i, q) => dot(raw[i]!, q)) });
  const crumbTexts = chunks.map((c) => `${c.headings.join(' > ')}\n${plainText(c.text)}`);
  const crumb = await embedder.embedDocuments(crumbTexts);
  rows.push({ variant: 'breadcrumb + text (model truncates)', level: 'vector only', inputs: chunks.length, metrics: rankBy((i, q) => dot(crumb[i]!, q)) });
  const windowInputs = chunks.map((c) => embeddingInputs(c, embedder, 'windows'));
  const flat = await embedder.embedDocuments(windowInputs.flat());
  const perChunk: number[][][] = [];
  let at = 0;
  for (const w of windowInputs) {
    perChunk.push(flat.slice(at, at + w.length));
    at += w.length;
  }
  const windowCount = windowInputs.flat().length;
  rows.push({ variant: 'prefix (breadcrumb + first window)', level: 'vector only', inputs: chunks.length, metrics: rankBy((i, q) => dot(perChunk[i]![0]!, q)) });
  rows.push({ variant: 'windows, best window (max)', level: 'vector only', inputs: windowCount, metrics: rankBy((i, q) => Math.max(...perChunk[i]!.map((v) => dot(v, q)))) });
  const means = perChunk.map((vs) => combineWindowVectors(vs));
  rows.push({ variant: 'windows, mean vector', level: 'vector only', inputs: windowCount, metrics: rankBy((i, q) => dot(means[i]!, q)) });

  // 2. The whole pipeline, per strategy ingest implements.
  for (const strategy of ['prefix', 'windows'] as EmbeddingInputStrategy[]) {
    const handle = await openDatabase('memory://');
    await migrateDatabase(handle);
    const summary = await ingestContent(handle.db, embedder, { contentDir: CORPUS, source: 'hono', embeddingInput: strategy });
    const results = new Map<string, RankedResult[]>();
    for (const q of questions) results.set(q.id, await searchQuestion(handle.db, embedder, q.question, 10));
    rows.push({ variant: strategy, level: 'search (fused, defaults)', inputs: summary.chunks.total, metrics: scoreRuns(questions, results) });
    await handle.close();
  }
  await embedder.close();

  console.log(`\n${questions.length} questions · ${chunks.length} chunks · ${windowCount} windows · ${embedder.computed} texts embedded · ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  console.log('| variant | ranking | hit@5 | MRR@10 | no results |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.variant} | ${r.level} | ${r.metrics.hitAt5.toFixed(3)} | ${r.metrics.mrrAt10.toFixed(3)} | ${r.metrics.empty} |`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
