/**
 * Runs an evaluation: ingests a docs folder (or reuses what the database already holds), asks
 * every question through the server's own retrieval ({@link search}) with a new user's default
 * settings; `metrics.ts` scores the runs.
 */
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { ingestContent } from '../ingest/index';
import { decodeContent, parseDocument } from '../ingest/parse';
import type { IngestIssue } from '../ingest/types';
import { type Database, queryRows } from '../server/db/open';
import type { EmbeddingProvider } from '../server/embed/provider';
import { type SearchMode, search } from '../server/retrieval/search';
import { DEFAULT_RETRIEVAL_SETTINGS, type RetrievalSettings } from '../server/retrieval/settings';
import type { SearchResult } from '../server/retrieval/types';
import { extractiveAnswerRecall } from './answer-recall';
import type { CorpusSection } from './gold-check';
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
  /** Also record each question's best score before the threshold (`topScore`). Default false. */
  topScores?: boolean;
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
    // The best score before the threshold (for nearThreshold): the first result's, or, when the
    // question abstained, the best one under the threshold (a second search, not timed).
    const topScore =
      options.topScores && settings.minScore > 0
        ? (results[0]?.score ??
          (await search(options.db, { query: q.question, embedder: options.embedder, settings: { ...settings, minScore: 0 }, limit: 1, onlySources: [options.source], mode: options.mode }))[0]?.score ??
          0)
        : undefined;
    runs.push({
      id: q.id,
      latencyMs,
      ...(topScore !== undefined ? { topScore } : {}),
      results: results.map((r) => ({ path: r.path, headings: r.headings, score: r.score, text: r.text })),
      // From the sources a reader gets: the server asks search() for `maxResults` of them, not k.
      ...(q.answer && q.gold.length ? { answerRecall: extractiveAnswerRecall(q.question, q.answer, results.slice(0, settings.maxResults)) } : {}),
    });
  }
  return runs;
}

/**
 * Ingests `contentDir` under the source name the eval uses for it (the folder's name). A file that
 * cannot be parsed fails the whole run, unless `skipBadFiles`: then it is left out and listed in
 * `skipped` (its gold sections can only be misses).
 */
export async function ingestCorpus(
  db: Database,
  embedder: EmbeddingProvider,
  contentDir: string,
  options: { skipBadFiles?: boolean } = {},
): Promise<{ source: string; chunks: number; skipped: IngestIssue[] }> {
  const source = `eval:${basename(resolve(contentDir))}`;
  const summary = await ingestContent(db, embedder, { contentDir, source });
  if (summary.errors.length && !options.skipBadFiles) {
    throw new Error(`ingest of ${contentDir} failed for ${summary.errors.length} file(s): ${summary.errors[0]!.path}: ${summary.errors[0]!.message}`);
  }
  return { source, chunks: summary.chunks.total, skipped: summary.errors };
}

/**
 * The `# Title` heading of the page at `path` (relative to `contentDir`) when its breadcrumb shows
 * its frontmatter title instead (for `checkGold`); undefined otherwise, or if it cannot be read.
 */
export function titleHeadingOf(contentDir: string, path: string): string | undefined {
  try {
    const doc = parseDocument(decodeContent(readFileSync(join(contentDir, path)), path), path);
    return doc.h1 !== doc.title ? doc.h1 : undefined;
  } catch {
    return undefined; // not a page, or not parseable: checkGold reports it
  }
}

/** Every section of `source`: its page and heading breadcrumb (for `checkGold`). */
export async function corpusSections(db: Database, source: string): Promise<CorpusSection[]> {
  return queryRows<CorpusSection & Record<string, unknown>>(
    db,
    sql`select distinct d.path, c.headings from chunks c join documents d on d.id = c.document_id where d.source = ${source}`,
  );
}
