/**
 * Retrying a write while the database is briefly unreachable (a Postgres restart, a failover), so
 * that what cannot be asked for again, such as a finished answer, is not lost to a few seconds
 * without a database. Only for idempotent writes: a write whose connection dropped may have
 * committed before the retry.
 */
import { isDatabaseUnreachable } from './connect-error';

export interface RetryWhileUnreachableOptions {
  /** How long to keep trying after the first failure, in ms. Default 30,000. */
  timeoutMs?: number;
  /** The first pause between tries, in ms; each later one is twice as long, up to 2 s. Default 250. */
  firstDelayMs?: number;
  /** Called once, on the first failure that will be retried (to log that the write waits). */
  onRetry?: (error: unknown) => void;
}

/** Longest pause between two tries, in ms. */
const MAX_DELAY_MS = 2_000;

/**
 * Runs `write`, and while it fails because the database cannot be reached
 * (`isDatabaseUnreachable`), runs it again after a growing pause, for up to `timeoutMs`. Any other
 * error, or the last one once the time is up, is thrown.
 */
export async function retryWhileUnreachable<T>(write: () => Promise<T>, options: RetryWhileUnreachableOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let delay = options.firstDelayMs ?? 250;
  let told = false;
  for (;;) {
    try {
      return await write();
    } catch (error) {
      if (!isDatabaseUnreachable(error) || Date.now() + delay > deadline) throw error;
      if (!told) options.onRetry?.(error);
      told = true;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
  }
}
