/**
 * Ingest on start (`npm start`): brings the index in line with `CONTENT_DIR` while the server
 * already serves, printing one summary line. An unchanged corpus costs a hash per file and never
 * loads the embedding model. When there is embedding to do (the first start takes minutes on a
 * large folder), it says so, whether questions wait for it (a first index) or the existing index
 * answers meanwhile, and how far it is, every quarter, so a long ingest does not look like a hang.
 * A failure is reported and the server goes on serving the existing index (a first index left
 * incomplete is not served: see `server/index-status.ts`); so is a folder with no
 * pages while the index holds pages of its source (a checkout or mount gone wrong): the index is
 * not emptied, and the server serves it as it was.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import type { Config } from '../server/config';
import { type Database, queryRows } from '../server/db/open';
import { documents, ingestRuns } from '../server/db/schema';
import { createEmbeddingProvider } from '../server/embed';
import { EmbeddingServerError } from '../server/embed/openai';
import type { EmbeddingProvider } from '../server/embed/provider';
import { formatIssue, summaryLine } from './format';
import { EmptyContentError, IngestRunError, ingestContent, ingestSource, isIngestRunning, whenIngestEnds } from './index';
import { assertReadableFolder } from './scan';
import type { IngestProgress, IngestSummary } from './types';

export interface IngestOnStartOptions {
  /** Where lines go. Default `console.log`. */
  log?: (line: string) => void;
  /** The embedder to use. Default: one built from the configuration, closed afterwards. */
  embedder?: EmbeddingProvider;
  /** Working directory `CONTENT_DIR` resolves against. Default `process.cwd()`. */
  cwd?: string;
  /**
   * Whether this run builds the first index of the folder (questions wait for it) rather than
   * updating an existing one (which answers meanwhile): only the lines printed differ. Default false.
   */
  firstIndex?: boolean;
  /** Called with every progress event of the run (after the lines it prints). */
  onProgress?: (event: IngestProgress) => void;
  /** Stops the run between documents (the server is shutting down); documents written stay. */
  signal?: AbortSignal;
  /**
   * Called when the run stops on a failure (not when it is stopped by `signal`, nor skipped, but
   * for a first index whose source already holds pages: {@link UnusableContentFolderError}), with
   * the error, before the line saying so. It may return what happens next, which ends that line
   * instead of "the next start (or npm run ingest) finishes the job" (e.g. that it is retried).
   */
  onFailure?: (error: Error) => string | void;
}

/**
 * The ingest on start of a first index was skipped, as its content folder is missing, unreadable
 * or holds no pages, while the index holds pages of its source that an earlier run wrote before it
 * stopped: the index is incomplete (only those pages), not complete. `reason` says so for `GET
 * /api/health`, without the server's paths.
 */
export class UnusableContentFolderError extends Error {
  override readonly name = 'UnusableContentFolderError';
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

/** What `GET /api/health` says of a first index that `error` left incomplete, when it says more than "failed part way". */
export function incompleteIndexReason(error: Error): string | undefined {
  return error instanceof UnusableContentFolderError ? error.reason : undefined;
}

/** How many pages of `source` the index holds. */
async function storedPageCount(db: Database, source: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(documents).where(eq(documents.source, source));
  return row?.n ?? 0;
}

/**
 * Whether `CONTENT_DIR`'s source has been ingested to the end at least once (a run that
 * `succeeded`, or finished with some pages failed): when not, the ingest on start builds its first
 * index, and an index holding some of its pages is one a run left half done.
 */
export async function hasFinishedIngest(
  db: Database,
  config: Pick<Config, 'content'>,
  cwd: string = process.cwd(),
): Promise<boolean> {
  const source = ingestSource(resolve(cwd, config.content.dir), config.content.source);
  const [run] = await db
    .select({ id: ingestRuns.id })
    .from(ingestRuns)
    .where(and(eq(ingestRuns.source, source), inArray(ingestRuns.status, ['succeeded', 'partial'])))
    .limit(1);
  return run !== undefined;
}

/**
 * Sources of the index that no ingest run ever finished (a first `npm run ingest` that failed, was
 * killed, or is still running elsewhere) while some of their pages are stored: the index holds the
 * first pages of such a source only. A source whose earlier runs finished is not one of them, even
 * when its latest run failed (that index is whole, each page old or new).
 */
export async function unfinishedSources(db: Database): Promise<string[]> {
  const rows = await queryRows<{ source: string }>(
    db,
    sql`select r.source from ingest_runs r
        group by r.source
        having bool_and(r.status not in ('succeeded', 'partial'))
           and exists (select 1 from documents d where d.source = r.source)
        order by r.source`,
  );
  return rows.map((r) => r.source);
}

/**
 * Whether the failure that stopped an ingest may not happen again on a later try: the embedding
 * server could not be reached, timed out, or answered 408, 409, 429 or 5xx (it is starting, restarting
 * or overloaded). Not a refused key, an unknown model, wrong dimensions, a database error or a bad
 * folder: those need the operator, and trying again would only repeat them.
 */
export function isWorthRetrying(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof EmbeddingServerError) return e.transient;
  }
  return false;
}

/** Waits for `promise`, or until `signal` is aborted. */
function untilAborted(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done);
    void promise.then(done);
  });
}

/** Lines for the embedding work of a run: its size when it starts, then each quarter done; and the run's own messages. */
function embeddingProgress(log: (line: string) => void, firstIndex: boolean): (event: IngestProgress) => void {
  let quarter = -1;
  return (event) => {
    if (event.message) log(event.message);
    if (event.phase !== 'embed' || event.total === 0) return;
    const reached = Math.floor((event.done / event.total) * 4);
    if (reached <= quarter) return;
    if (quarter === -1) {
      log(
        firstIndex
          ? `embedding ${event.total} chunks for the first index (later starts embed only what changed)`
          : `embedding ${event.total} chunks of new and changed pages (the existing index answers meanwhile; each page switches when it is written)`,
      );
    }
    quarter = reached;
    if (reached > 0 && reached < 4) log(`${event.done}/${event.total} chunks embedded`);
  };
}

/**
 * Warnings a start logs one by one. Every page's warnings are reported on every run until the page
 * is fixed, so a site with hundreds of them would print hundreds of lines at each start; the rest
 * are counted, and `npm run ingest -- --dry-run` lists them all.
 */
export const START_LOG_WARNINGS = 20;

/** Ingests `config.content.dir`; returns the summary, or `undefined` when nothing could be ingested. */
export async function ingestOnStart(
  db: Database,
  config: Pick<Config, 'content' | 'embedding' | 'llm'>,
  options: IngestOnStartOptions = {},
): Promise<IngestSummary | undefined> {
  const log = options.log ?? ((line: string) => console.log(line));
  const contentDir = resolve(options.cwd ?? process.cwd(), config.content.dir);
  const source = ingestSource(contentDir, config.content.source);
  /**
   * The run is skipped (`problem`, for the log; `what`, for the health check): the index is served
   * as it is, unless it is a first index an earlier run left part way, which stays incomplete.
   */
  const skip = async (problem: string, what: string, storedPages?: number): Promise<undefined> => {
    const stored = options.firstIndex ? (storedPages ?? (await storedPageCount(db, source))) : 0;
    if (stored === 0) {
      // A first index of an empty database has nothing to serve: "the existing index" would send the operator looking for one.
      const nothingIndexed = options.firstIndex === true && ((await db.select({ n: count() }).from(documents))[0]?.n ?? 0) === 0;
      log(
        nothingIndexed
          ? `[docent] ingest: ${problem}; nothing is indexed, so questions find nothing (set CONTENT_DIR to the docs folder, then restart or run npm run ingest)`
          : `[docent] ingest: ${problem}; serving the existing index (set CONTENT_DIR)`,
      );
      return undefined;
    }
    const pages = `${stored} page${stored === 1 ? '' : 's'}`;
    const error = new UnusableContentFolderError(
      `${problem}, and the index holds only the ${pages} of source "${source}" that an earlier ingest wrote before it stopped`,
      `The content folder (CONTENT_DIR=${config.content.dir}) ${what}, and the index holds only the ${pages} an earlier ingest of it wrote before it stopped. ` +
        'Fix CONTENT_DIR, then restart or run npm run ingest.',
    );
    options.onFailure?.(error);
    log(
      `[docent] ingest: ${error.message}. The index is incomplete: questions are not answered until an ingest finishes it ` +
        `(fix CONTENT_DIR, then restart or run npm run ingest).`,
    );
    return undefined;
  };
  if (!existsSync(contentDir)) return skip(`content folder ${contentDir} not found`, 'was not found');
  try {
    await assertReadableFolder(contentDir);
  } catch (error) {
    return skip((error as Error).message, 'cannot be read');
  }
  // `npm run ingest` of the same source through this server (a try of the ingest on start that
  // comes while it runs): this run starts once that one ends, and updates what it left.
  if (isIngestRunning(contentDir, config.content.source)) {
    log(`[docent] ingest ${config.content.dir}: waiting for the ingest of source "${source}" already running on this server (npm run ingest) to end`);
    while (isIngestRunning(contentDir, config.content.source) && !options.signal?.aborted) {
      await untilAborted(whenIngestEnds(contentDir, config.content.source), options.signal);
    }
    if (options.signal?.aborted) {
      log(`[docent] ingest ${config.content.dir}: stopped by the shutdown; the next start finishes the job.`);
      return undefined;
    }
  }
  const embedder = options.embedder ?? createEmbeddingProvider(config);
  const printProgress = embeddingProgress((line) => log(`[docent] ingest ${config.content.dir}: ${line}`), options.firstIndex ?? false);
  try {
    const summary = await ingestContent(db, embedder, {
      contentDir,
      source: config.content.source,
      maxPageBytes: config.content.maxPageBytes,
      signal: options.signal,
      onProgress: (event) => {
        printProgress(event);
        options.onProgress?.(event);
      },
    });
    for (const w of summary.warnings.slice(0, START_LOG_WARNINGS)) log(`[docent] ingest: ${formatIssue(w, 'warning')}`);
    const unlisted = summary.warnings.length - START_LOG_WARNINGS;
    if (unlisted > 0) {
      log(`[docent] ingest: … and ${unlisted} more warning${unlisted === 1 ? '' : 's'} (npm run ingest -- --dry-run --content ${config.content.dir} lists them all)`);
    }
    for (const e of summary.errors) log(`[docent] ingest: ${formatIssue(e)}`);
    log(`[docent] ingest ${config.content.dir}: ${summaryLine(summary)}`);
    return summary;
  } catch (error) {
    if (!(error instanceof IngestRunError)) throw error;
    if (error.cause instanceof EmptyContentError) {
      const { storedPages } = error.cause;
      if (options.firstIndex) return skip(`no pages found in ${contentDir}`, 'holds no pages', storedPages);
      log(
        `[docent] ingest: warning: no pages found in ${contentDir}, but the index holds ${storedPages} page${storedPages === 1 ? '' : 's'} of source "${source}": ` +
          `skipped the ingest rather than remove them all; serving the index as it was. Check CONTENT_DIR ` +
          `(to empty the source on purpose: npm run ingest -- --content ${config.content.dir} --allow-empty).`,
      );
      return undefined;
    }
    if (options.signal?.aborted) {
      log(`[docent] ingest ${config.content.dir}: stopped by the shutdown; pages written so far stay, and the next start finishes the job.`);
      return undefined;
    }
    const serving = options.firstIndex
      ? 'The index is incomplete: questions are not answered until it is finished'
      : 'Serving the index as it is';
    const next = options.onFailure?.(error) || 'the next start (or npm run ingest) finishes the job';
    log(`[docent] ingest ${config.content.dir} stopped: ${error.message.replace(/\.$/, '')}. ${serving}; ${next}.`);
    return undefined;
  } finally {
    if (!options.embedder) await embedder.close();
  }
}
