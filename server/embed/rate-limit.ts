/**
 * What a hosted embedding call does when the embedding server answers `429`: wait and try again,
 * or give up and say when to retry. A reader's question waits at most once, a few seconds (a
 * reader is looking at an empty answer); a batch of documents during ingest waits out what the
 * server asks for (a rate limit during a long ingest is normal), up to a cap, so that a quota that
 * never comes back ends the run with an error instead of hanging it.
 */
import { retryAfterMs } from '../answer/retry-after';
import { formatDuration } from '../format-duration';

/** How long a rate-limited call may wait before it gives up. */
export interface RateLimitPolicy {
  /** The longest single wait: a server asking for more is not waited out. */
  maxWaitMs: number;
  /** The most waiting in all for one request (one batch): past it, the call gives up. */
  maxTotalWaitMs: number;
}

/** A reader's question: one wait of up to 5 s (as the answer model's retry, `MAX_RETRY_WAIT_MS`). */
export const QUESTION_RATE_LIMIT: RateLimitPolicy = { maxWaitMs: 5_000, maxTotalWaitMs: 5_000 };

/** A batch of documents: waits of up to 5 minutes each, 15 minutes in all for one batch. */
export const DOCUMENTS_RATE_LIMIT: RateLimitPolicy = { maxWaitMs: 5 * 60_000, maxTotalWaitMs: 15 * 60_000 };

/** The wait when the server does not say: 2 s, doubling, at most 60 s (as the AI SDK backs off). */
export const backoffMs = (waitsSoFar: number) => Math.min(60_000, 2_000 * 2 ** waitsSoFar);

/** A `429` from the embedding server, as the provider's `fetch` saw it. */
export interface RateLimitResponse {
  /** The wait the server asked for (`Retry-After`, `retry-after-ms`), in ms, if it said. */
  retryAfterMs: number | undefined;
  /** OpenAI's `insufficient_quota`: the account's quota is used up, and waiting will not help. */
  quotaUsedUp: boolean;
}

/** Reads a `429`'s headers and body (`{"error":{"code":"insufficient_quota"}}` is OpenAI's used-up quota). */
export function readRateLimit(headers: Headers | Record<string, string | undefined> | undefined, body: string): RateLimitResponse {
  return { retryAfterMs: retryAfterMs(headers), quotaUsedUp: /"(code|type)"\s*:\s*"insufficient_quota"/.test(body) };
}

/**
 * What to do after the `waits`-th rate limit of one request, having waited `waitedMs` in all:
 * `{ waitMs }` to wait and try again, or `{ giveUp }` with why (a phrase to follow the server's
 * message).
 */
export function nextRateLimitStep(
  limit: RateLimitResponse,
  policy: RateLimitPolicy,
  waits: number,
  waitedMs: number,
): { waitMs: number } | { giveUp: string } {
  if (limit.quotaUsedUp) return { giveUp: 'the quota is used up: waiting will not help' };
  const waitMs = limit.retryAfterMs ?? backoffMs(waits);
  if (waitMs > policy.maxWaitMs || waitedMs + waitMs > policy.maxTotalWaitMs) {
    return { giveUp: waitedMs > 0 ? `still rate limited after waiting ${formatWait(waitedMs)}` : 'rate limited' };
  }
  return { waitMs };
}

/** A rate limit's wait as people read it ({@link formatDuration}): at least `1 s`, seconds up to `119 s`, then `2 min`, `2 min 30 s`. */
export function formatWait(ms: number): string {
  return formatDuration(Math.max(ms, 1), { minutesFrom: 120 });
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
