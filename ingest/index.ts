/**
 * Ingest: a folder of markdown/MDX → heading-aware chunks → embeddings → Postgres, incrementally.
 *
 * {@link ingestContent} is the one entry point: the ingest command, ingest on start
 * (`server/main.ts`), the server's admin ingest endpoint and the benchmarks all call it.
 * Every run that writes is recorded in `ingest_runs` (status, counts, errors); a dry run writes
 * nothing at all.
 */
import { resolve } from 'node:path';
import { desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../server/db/open';
import { type IngestCounts, type IngestError, ingestRuns } from '../server/db/schema';
import type { EmbeddingProvider } from '../server/embed/provider';
import { DEFAULT_CHUNK_OPTIONS } from './chunk';
import { DEFAULT_EMBEDDING_INPUT } from './embed-input';
import { claimIngestRun, keepRunAlive } from './run-claim';
import { assertReadableFolder } from './scan';
import { ingestSource } from '../server/db/source-name';
import { emptySyncState, PIPELINE_VERSION, type SyncState, syncContent } from './sync';
import type { IngestOptions, IngestSummary } from './types';

export type { IngestIssue, IngestOptions, IngestProgress, IngestSummary } from './types';
export { formatIssue, formatSummary, summaryLine } from './format';
export { EmptyContentError } from './sync';

/** Thrown when a run stops before finishing (embedder failure, database error, cancellation). `summary` has what it did. */
export class IngestRunError extends Error {
  override readonly name = 'IngestRunError';
  constructor(
    message: string,
    readonly summary: IngestSummary,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Thrown when a run of the same source is already under way in this process. */
export class IngestBusyError extends Error {
  override readonly name = 'IngestBusyError';
  constructor(readonly source: string) {
    super(`An ingest of source "${source}" is already running; wait for it to finish.`);
  }
}

const running = new Set<string>();
/** Who waits for the run of a source to end ({@link whenIngestEnds}). */
const waiting = new Map<string, (() => void)[]>();

/** Marks the run of `source` as ended: the next one may start, and those waiting for it go on. */
function endRun(source: string): void {
  running.delete(source);
  const resolvers = waiting.get(source) ?? [];
  waiting.delete(source);
  for (const resolve of resolvers) resolve();
}

export { ingestSource };

/** Whether a run of `contentDir`'s source (see {@link ingestSource}) is under way in this process: another would throw {@link IngestBusyError}. */
export function isIngestRunning(contentDir: string, source?: string): boolean {
  return running.has(ingestSource(contentDir, source));
}

/** Resolves when no run of `contentDir`'s source (see {@link ingestSource}) is under way in this process: at once when none is. */
export function whenIngestEnds(contentDir: string, source?: string): Promise<void> {
  const name = ingestSource(contentDir, source);
  if (!running.has(name)) return Promise.resolve();
  return new Promise((resolve) => {
    const list = waiting.get(name) ?? [];
    list.push(resolve);
    waiting.set(name, list);
  });
}

/**
 * Ingests `options.contentDir` into the database: adds new documents, re-embeds only changed
 * chunks, purges deleted files. Files that fail to parse are reported in `errors` (and counted in
 * `documents.failed`) while the others still land. Throws {@link IngestRunError} when the run
 * cannot finish (its `summary` tells what was done), also when the folder has no pages while the
 * source has some (its `cause` is an {@link EmptyContentError}; `allowEmpty` lets it run); throws a
 * plain `Error` for bad options (a missing or unreadable folder, bad source name) before touching
 * the database.
 *
 * `db` may be `undefined` for a dry run when there is no database yet: the run then reports what
 * a first run would do, without creating one (not even in memory).
 */
export async function ingestContent(
  db: Database | undefined,
  embedder: EmbeddingProvider,
  options: IngestOptions,
): Promise<IngestSummary> {
  const started = performance.now();
  const contentDir = resolve(options.contentDir);
  const source = ingestSource(contentDir, options.source);
  if (source === '') throw new Error('The source name cannot be empty (--source NAME)');
  const baseUrl = options.baseUrl ?? '/';
  const chunking = { ...DEFAULT_CHUNK_OPTIONS, ...options.chunking };
  const embeddingInput = options.embeddingInput ?? DEFAULT_EMBEDDING_INPUT;
  const dryRun = options.dryRun ?? false;
  if (options.embedGroupSize !== undefined && !(Number.isInteger(options.embedGroupSize) && options.embedGroupSize >= 1)) {
    throw new Error('embedGroupSize must be a whole number ≥ 1');
  }
  if (options.readBatchBytes !== undefined && !(Number.isInteger(options.readBatchBytes) && options.readBatchBytes >= 1)) {
    throw new Error('readBatchBytes must be a whole number ≥ 1');
  }
  if (db === undefined && !dryRun) throw new Error('A database is needed, except for a dry run');

  // Claimed before the first await, so of two runs started together the first one called runs
  // (claiming after the folder check let whichever stat() finished first win).
  if (running.has(source)) throw new IngestBusyError(source);
  running.add(source);
  try {
    await assertReadableFolder(contentDir);
  } catch (error) {
    endRun(source);
    throw error;
  }
  const state = emptySyncState();
  const summarize = (): IngestSummary => ({
    documents: { ...state.documents },
    chunks: { ...state.chunks },
    embeddingModel: embedder.modelId,
    durationMs: Math.round(performance.now() - started),
    errors: [...state.errors],
    warnings: [...state.warnings],
    notPages: [...state.notPages],
  });

  let runId: string | undefined;
  let stopHeartbeat: (() => void) | undefined;
  try {
    const forceSince = async (reader: Database) => (options.force ? undefined : unfinishedForceSince(reader, source));
    let resumesForceSince = db && dryRun ? await forceSince(db) : undefined;
    if (db && !dryRun) {
      // Another process's run of this source (on a shared Postgres) is waited for: this one then
      // compares the folder with what that run wrote.
      runId = await claimIngestRun(
        db,
        source,
        async (tx) => {
          resumesForceSince = await forceSince(tx);
          return {
            source,
            embeddingModel: embedder.modelId,
            options: {
              contentDir,
              baseUrl,
              force: options.force ?? false,
              ...(resumesForceSince ? { resumesForceSince } : {}),
              chunking,
              embeddingInput,
              pipelineVersion: PIPELINE_VERSION,
            },
          };
        },
        { signal: options.signal, onWait: (message) => options.onProgress?.({ phase: 'wait', done: 0, total: 0, message }) },
      );
      stopHeartbeat = keepRunAlive(db, runId);
    }
    const id = runId;
    await syncContent(
      db,
      embedder,
      {
        contentDir,
        source,
        baseUrl,
        force: options.force ?? false,
        forceWrittenBefore: resumesForceSince,
        dryRun,
        allowEmpty: options.allowEmpty ?? false,
        chunking,
        embeddingInput,
        embedGroupSize: options.embedGroupSize,
        readBatchBytes: options.readBatchBytes,
        maxPageBytes: options.maxPageBytes,
        signal: options.signal,
        onProgress: options.onProgress,
        onDocumentWritten: id
          ? async (tx, counts) => {
              await tx.update(ingestRuns).set({ counts }).where(eq(ingestRuns.id, id));
            }
          : undefined,
      },
      state,
    );
    const summary = summarize();
    if (id && db) {
      await db
        .update(ingestRuns)
        .set({
          status: summary.documents.failed > 0 ? 'partial' : 'succeeded',
          finishedAt: new Date(),
          counts: countsOf(state),
          errors: runErrors(state),
        })
        .where(eq(ingestRuns.id, id));
    }
    return summary;
  } catch (error) {
    const message = describeFailure(error);
    const summary = summarize();
    summary.errors.push({ path: '', line: null, message });
    if (runId && db) {
      await db
        .update(ingestRuns)
        .set({
          status: 'failed',
          finishedAt: new Date(),
          counts: countsOf(state),
          errors: [...runErrors(state), { path: '', line: null, message }],
        })
        .where(eq(ingestRuns.id, runId))
        .catch(() => {}); // the database itself may be what failed
    }
    throw new IngestRunError(message, summary, { cause: error });
  } finally {
    stopHeartbeat?.();
    endRun(source);
  }
}

function countsOf(state: SyncState): IngestCounts {
  return { documents: { ...state.documents }, chunks: { ...state.chunks } };
}

function runErrors(state: SyncState): IngestError[] {
  return [...state.errors, ...state.warnings.map((w) => ({ ...w, severity: 'warning' as const }))];
}

function describeFailure(error: unknown): string {
  if (error instanceof Error && error.name === 'AbortError') return 'The run was cancelled; documents written so far stay.';
  return error instanceof Error ? error.message : String(error);
}

/**
 * When the last run of `source` was a `--force` run that did not finish (or a run resuming one),
 * the time that forced run started, as the database's text (to the microsecond): the documents it did not reach (written before then) are
 * re-embedded by this run too, so an interrupted `--force` is finished by the next plain run.
 */
async function unfinishedForceSince(db: Database, source: string): Promise<string | undefined> {
  const [run] = await db
    .select({ status: ingestRuns.status, startedAt: sql<string>`${ingestRuns.startedAt}::text`, options: ingestRuns.options })
    .from(ingestRuns)
    .where(eq(ingestRuns.source, source))
    .orderBy(desc(ingestRuns.startedAt))
    .limit(1);
  if (run?.status !== 'failed') return undefined;
  if (run.options.force === true) return run.startedAt;
  const resumed = run.options.resumesForceSince;
  return typeof resumed === 'string' ? resumed : undefined;
}
