/**
 * The ingest on start, run in the background while the server serves, and tried again when a
 * failure worth retrying stopped it: typically an embedding server that starts together with
 * Docent (docker compose) and does not answer yet, or one that is overloaded. The tries wait 30 s,
 * 1 min, 2 min, 4 min, then 5 min between each, until one finishes or the server stops. Other
 * failures (a refused key, an unknown model, a database error) need the operator: they are not
 * tried again. The index status says how many tries failed and when the next one is; the log
 * says so in the line of each failure.
 *
 * Server modules do not import `ingest/`: `server/main.ts` passes the ingest itself as `attempt`.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { formatDuration } from './format-duration';
import type { IndexStatus } from './index-status';

/** Waits before the 1st, 2nd, … new try; the last one is repeated. */
export const INGEST_RETRY_DELAYS_MS: readonly number[] = [30_000, 60_000, 120_000, 240_000, 300_000];

export interface BackgroundIngestOptions {
  /**
   * One try of the ingest on start. `firstIndex`: whether it builds the first index of the content
   * folder. It calls `onFailure` with the error when a failure stops it, and ends its failure
   * line with what `onFailure` returns (that it is tried again), if anything. It resolves when the
   * try ends (finished, failed, skipped or stopped by `signal`); a throw counts as a failure too.
   */
  attempt: (firstIndex: boolean, onFailure: (error: Error) => string | undefined) => Promise<void>;
  /** Whether an ingest of the content folder's source ever finished. */
  isFinished: () => Promise<boolean>;
  /** Whether a later try may not meet `error` (see `isWorthRetrying` in `ingest/on-start.ts`). */
  isWorthRetrying: (error: Error) => boolean;
  /** The status the tries are reported in; its state is `building` or `updating` when called. */
  status: IndexStatus;
  /** Whether the first try builds the first index of the content folder. */
  firstIndex: boolean;
  /**
   * What the status's `reason` says when `error` left the first index incomplete, if more than that
   * it failed part way (e.g. the content folder is missing: see `incompleteIndexReason` in
   * `ingest/on-start.ts`). Default: nothing more.
   */
  incompleteReason?: (error: Error) => string | undefined;
  /** Called once, when the index turns out incomplete (a first index whose try failed). */
  onIncomplete?: () => void;
  /** The server is stopping: no new try, and a wait for one ends. */
  signal: AbortSignal;
  /**
   * Aborted when another run of the content folder's source finished (`npm run ingest` through
   * the server): a wait for the next try ends, and no try follows (the index is whole).
   */
  finishedElsewhere?: AbortSignal;
  /** The content folder, as the log names it. */
  label: string;
  /** Waits between tries, in ms. Default {@link INGEST_RETRY_DELAYS_MS}. */
  retryDelaysMs?: readonly number[];
  /** For tests (ms). Default `Date.now`. */
  now?: () => number;
}

/** How the ingest on start ended: finished (or finished by another run while it waited to try again); failed (not worth retrying); the index `incomplete`; or `stopped` by the server's shutdown. */
export type BackgroundIngestOutcome = 'finished' | 'failed' | 'incomplete' | 'stopped';

const INCOMPLETE = 'The first ingest of the content folder failed part way (the server log says why).';

/**
 * Runs the ingest on start until a try finishes, fails in a way not worth retrying, or the server
 * stops; leaves `status` `ready` (or `incomplete`, for a first index not finished) and says how it ended.
 */
export async function runBackgroundIngest(options: BackgroundIngestOptions): Promise<BackgroundIngestOutcome> {
  const { status, signal } = options;
  const delays = options.retryDelaysMs ?? INGEST_RETRY_DELAYS_MS;
  const now = options.now ?? Date.now;
  let firstIndex = options.firstIndex;
  let failures = 0;
  let toldIncomplete = false;
  for (;;) {
    let failure: Error | undefined;
    let retryIn: number | undefined;
    const onFailure = (error: Error): string | undefined => {
      failure = error;
      if (signal.aborted || !options.isWorthRetrying(error)) return undefined;
      failures++;
      retryIn = delays[Math.min(failures, delays.length) - 1]!;
      return `trying again in ${formatDuration(retryIn, { round: 'nearest', milliseconds: true })} (${failures === 1 ? 'first failure' : `${failures} failures in a row`})`;
    };
    try {
      await options.attempt(firstIndex, onFailure);
    } catch (error) {
      if (!signal.aborted) {
        const next = onFailure(error instanceof Error ? error : new Error(String(error)));
        console.error(`[docent] ingest ${options.label} failed${firstIndex ? '' : '; serving the index as it is'}${next ? `; ${next}` : ''}:`, error);
      }
    }
    if (signal.aborted) {
      status.end();
      return 'stopped';
    }
    if (!failure) {
      status.end();
      return 'finished';
    }
    // A first index cut short holds the first pages in path order only: questions about the others
    // would get a confident "not in the docs". It is not served until an ingest finishes it.
    const incomplete = firstIndex && !(await options.isFinished().catch(() => false));
    if (incomplete) {
      status.markIncomplete(
        options.incompleteReason?.(failure) ??
          (retryIn === undefined
          ? `${INCOMPLETE} The next start, or npm run ingest, finishes it.`
          : `${INCOMPLETE} The server tries again by itself (nextAttemptAt); npm run ingest finishes it too.`),
      );
      if (!toldIncomplete) options.onIncomplete?.();
      toldIncomplete = true;
    }
    if (retryIn === undefined) {
      if (!incomplete) status.end();
      return incomplete ? 'incomplete' : 'failed';
    }
    status.retryAt(failures, now() + retryIn);
    const waitEnds = options.finishedElsewhere ? AbortSignal.any([signal, options.finishedElsewhere]) : signal;
    await delay(retryIn, undefined, { signal: waitEnds }).catch(() => {}); // the server stopping ends the wait
    if (signal.aborted) {
      status.end();
      return 'stopped';
    }
    if (options.finishedElsewhere?.aborted) {
      status.end();
      return 'finished';
    }
    // Another ingest (npm run ingest) may have finished the index meanwhile: then this try updates it.
    firstIndex = firstIndex && !(await options.isFinished().catch(() => false));
    status.begin(firstIndex ? 'building' : 'updating');
  }
}
