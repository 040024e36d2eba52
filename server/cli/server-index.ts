/**
 * Whether a running Docent server has an index to work from, for the commands that hand their
 * work to it (`npm run ask`, `npm run search`): its `GET /api/health`. A server still starting
 * (opening its database) is waited for; one that serves an empty index is said as such, as the
 * commands say of an empty local database, rather than asked and left to abstain.
 */
import { NoIndexError } from '../db/open-index';
import { waitForServerStart } from './server-start';

/** The parts of a Docent server's `GET /api/health` that decide whether it can be asked; empty when unreadable. */
export async function readServerHealth(url: string): Promise<{ status?: unknown; documents?: unknown }> {
  const res = await fetch(`${url}/api/health`);
  return ((await res.json().catch(() => undefined)) as { status?: unknown; documents?: unknown } | undefined) ?? {};
}

/** What `onWait` is told while the server is still starting. */
export const SERVER_STARTING_WAIT = '(the server is still starting, opening its database: waiting for it)';

export interface RequireServerIndexOptions {
  /** Told once ({@link SERVER_STARTING_WAIT}) when the server is still starting and is waited for. */
  onWait?: (message: string) => void;
  /** Longest wait for a server still starting, in ms. Default 10 minutes (`waitForServerStart`). */
  startTimeoutMs?: number;
}

/**
 * Resolves when the Docent server at `url` serves with something indexed (or is building its first
 * index, or answers its health unreadably: its own API then says why). Waits for a server still
 * starting; throws {@link NoIndexError} when it serves an empty index, the fetch error when it
 * cannot be reached, and `ServerStartTimeoutError` when it still starts after the longest wait.
 */
export async function requireServerIndex(url: string, options: RequireServerIndexOptions = {}): Promise<void> {
  let health = await readServerHealth(url);
  if (health.status === 'starting') {
    options.onWait?.(SERVER_STARTING_WAIT);
    await waitForServerStart(url, options.startTimeoutMs === undefined ? {} : { timeoutMs: options.startTimeoutMs });
    health = await readServerHealth(url);
  }
  if (health.status === 'ok' && health.documents === 0) {
    throw new NoIndexError(
      `the Docent server at ${url} has nothing indexed yet: run \`npm run ingest\` (it sends the run to that server), or check the server's CONTENT_DIR.`,
    );
  }
}
