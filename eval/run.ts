/**
 * Runs an evaluation: ingests a docs folder (or reuses what the database already holds), asks
 * every question through the server's own retrieval ({@link search}) with a new user's default
 * settings; `metrics.ts` scores the runs.
 */
import { basename, resolve } from 'node:path';
import { ingestContent } from '../ingest/index';
import type { Database } from '../server/db/open';
import type { EmbeddingProvider } from '../server/embed/provider';
import { type SearchMode, search } from '../server/retrieval/search';
import { DEFAULT_RETRIEVAL_SETTINGS, type RetrievalSettings } from '../server/retrieval/settings';
import type { SearchResult } from '../server/retrieval/types';
import { extractiveAnswerRecall } from './answer-recall';
import type { EvalQuestion, QuestionRun } from './metrics';

export interface RankedRun extends QuestionRun {
  results: Pick<SearchResult, 'path' | 'headings' | 'score' | 'text'>[];
}

export interface SearchRunOptions {
  db: Database;
  embedder: EmbeddingProvider;
  questions: readonly EvalQuestion[];
  /** Content source to search (the name the corpus was ingested under). */
  source: string;
  /** Results per question. Default 10. */
  k?: number;
  /** Ranking. Default `hybrid`. */
  mode?: SearchMode;
  /** Retrieval settings. Default: a new user's ({@link DEFAULT_RETRIEVAL_SETTINGS}). */
  settings?: RetrievalSettings;
}

/** Asks every question; results in question order. */
export async function runSearch(options: SearchRunOptions): Promise<RankedRun[]> {
  const runs: RankedRun[] = [];
  const settings = options.settings ?? DEFAULT_RETRIEVAL_SETTINGS;
  for (const q of options.questions) {
    const started = performance.now();
    const results = await search(options.db, {
      query: q.question,
      embedder: options.embedder,
      settings,
      limit: options.k ?? 10,
      onlySources: [options.source],
      mode: options.mode,
    });
    const latencyMs = performance.now() - started;
    runs.push({
      id: q.id,
      latencyMs,
      results: results.map((r) => ({ path: r.path, headings: r.headings, score: r.score, text: r.text })),
      // From the sources a reader gets: the server asks search() for `maxResults` of them, not k.
      ...(q.answer && q.gold.length ? { answerRecall: extractiveAnswerRecall(q.question, q.answer, results.slice(0, settings.maxResults)) } : {}),
    });
  }
  return runs;
}

/** Ingests `contentDir` under the source name the eval uses for it (the folder's name). */
export async function ingestCorpus(db: Database, embedder: EmbeddingProvider, contentDir: string): Promise<{ source: string; chunks: number }> {
  const source = `eval:${basename(resolve(contentDir))}`;
  const summary = await ingestContent(db, embedder, { contentDir, source });
  if (summary.errors.length) {
    throw new Error(`ingest of ${contentDir} failed for ${summary.errors.length} file(s): ${summary.errors[0]!.path}: ${summary.errors[0]!.message}`);
  }
  return { source, chunks: summary.chunks.total };
}
