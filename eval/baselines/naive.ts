/**
 * The naive RAG baseline that `npm run eval -- --compare` measures Docent against: what a plain
 * tutorial pipeline does with the same docs and the same embedder.
 *
 * 1. Read every `.md`/`.mdx` file under the content folder as raw text (no parsing: frontmatter,
 *    imports and JSX are embedded as they are).
 * 2. Cut it into 1,000-character chunks with 200 characters of overlap
 *    (`RecursiveCharacterTextSplitter` from `@langchain/textsplitters`; see `naive-chunks.ts`).
 * 3. Embed each chunk's text with `embedder.embedDocuments` (one vector per chunk, whatever the
 *    model's input limit — the model reads what it reads).
 * 4. For each question, embed it with `embedder.embedQuery` and rank every chunk by cosine
 *    similarity: pure vector search, exact, in memory. No lexical ranking, no threshold, no
 *    database — an exact scan is what an index approximates, so this is the baseline's best case.
 *
 * The breadcrumb on each result only lets the eval score it at section level; it is not embedded.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { listContentFiles } from '../../ingest/scan';
import type { EmbeddingProvider } from '../../server/embed/provider';
import { chunkFileNaively, type NaiveChunk, type NaiveChunkOptions } from './naive-chunks';

export interface NaiveBaselineOptions {
  /** Docs folder (same as eval --content). */
  contentDir: string;
  /** Same embedder as the main pipeline. */
  embedder: EmbeddingProvider;
  questions: { id: string; question: string }[];
  /** Results per question. Default 10. */
  k?: number;
  /** Chunk size and overlap in characters. Default 1,000 and 200 (the baseline's definition). */
  chunking?: NaiveChunkOptions;
}

export interface NaiveRankedChunk {
  path: string;
  /** Breadcrumb in force at the chunk's start: page title, then h2, h3, … */
  headings: string[];
  /** Cosine similarity to the question. */
  score: number;
  text: string;
}

export interface NaiveBaselineResult {
  id: string;
  /** Best first, at most `k`. */
  results: NaiveRankedChunk[];
  /** Time to embed the question and rank every chunk. */
  latencyMs: number;
}

/** Indexes `contentDir` the naive way, then answers every question; results in question order. */
export async function runNaiveBaseline(options: NaiveBaselineOptions): Promise<NaiveBaselineResult[]> {
  const k = options.k ?? 10;
  if (!Number.isInteger(k) || k < 1) throw new Error(`runNaiveBaseline: k must be a whole number ≥ 1 (got ${k})`);
  const { embedder } = options;

  const chunks = await chunkContentFolder(options.contentDir, options.chunking);
  const vectors = chunks.length ? await embedder.embedDocuments(chunks.map((c) => c.text)) : [];
  if (vectors.length !== chunks.length) {
    throw new Error(`runNaiveBaseline: the embedder returned ${vectors.length} vectors for ${chunks.length} chunks`);
  }
  const index = vectors.map((v, i) => toUnitFloat32(v, embedder.dimensions, chunks[i]!));

  const out: NaiveBaselineResult[] = [];
  for (const q of options.questions) {
    const started = performance.now();
    const query = toUnitFloat32(await embedder.embedQuery(q.question), embedder.dimensions);
    const scored = index.map((v, i) => ({ i, score: dot(query, v) }));
    // Ties keep corpus order (path, then position), so runs are reproducible.
    scored.sort((a, b) => b.score - a.score || a.i - b.i);
    const results = scored.slice(0, k).map(({ i, score }) => {
      const c = chunks[i]!;
      return { path: c.path, headings: c.headings, score: Math.round(score * 10_000) / 10_000, text: c.text };
    });
    out.push({ id: q.id, results, latencyMs: performance.now() - started });
  }
  return out;
}

/** Every naive chunk of the folder's `.md`/`.mdx` files, files in path order. */
export async function chunkContentFolder(contentDir: string, options?: NaiveChunkOptions): Promise<NaiveChunk[]> {
  const chunks: NaiveChunk[] = [];
  for (const path of await listContentFiles(contentDir)) {
    const source = await readFile(join(contentDir, ...path.split('/')), 'utf8');
    chunks.push(...(await chunkFileNaively(path, source, options)));
  }
  return chunks;
}

function toUnitFloat32(v: readonly number[], dimensions: number, chunk?: NaiveChunk): Float32Array {
  if (v.length !== dimensions) {
    const what = chunk ? `the chunk at ${chunk.path}:${chunk.line}` : 'the question';
    throw new Error(`runNaiveBaseline: the embedder returned ${v.length} dimensions for ${what} (expected ${dimensions})`);
  }
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  const out = new Float32Array(v.length);
  if (norm > 0) for (let i = 0; i < v.length; i++) out[i] = v[i]! / norm;
  return out;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
