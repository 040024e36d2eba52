/**
 * Waiting for a Docent server that is still starting. The server binds its port before it opens
 * its database, and names its URL in the embedded database's lock from then on: meanwhile its
 * `GET /api/health` says `starting` and the rest of its API answers `503 server_starting`. The
 * commands that hand their work to it (`npm run ingest`, search, ask) wait for it rather than fail.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** The error code of the API's answers while the server starts (see `server/http/starting-app.ts`). */
export const SERVER_STARTING_CODE = 'server_starting';

/** How often the server's health is asked while it starts, in ms. */
const DEFAULT_POLL_MS = 500;

/** How long a start is waited for: opening and migrating a large database can take minutes. */
const DEFAULT_TIMEOUT_MS = 10 * 60_000;

export interface WaitForServerStartOptions {
  /** Stops waiting (its reason thrown). */
  signal?: AbortSignal;
  /** How often to ask, in ms. Default 500. */
  pollMs?: number;
  /** How long to wait at most, in ms. Default 10 minutes. */
  timeoutMs?: number;
}

/** Thrown when the server is still starting after the longest wait. */
export class ServerStartTimeoutError extends Error {
  override readonly name = 'ServerStartTimeoutError';
}

/** Whether an error body (`{error:{code}}`, as JSON text) is the server's "still starting" answer. */
export function isServerStartingBody(body: string): boolean {
  try {
    return (JSON.parse(body) as { error?: { code?: unknown } })?.error?.code === SERVER_STARTING_CODE;
  } catch {
    return false;
  }
}

/** Whether `response` is the server's "still starting" answer (`503 server_starting`); its body stays unread. */
export async function isServerStartingResponse(response: Response): Promise<boolean> {
  return response.status === 503 && isServerStartingBody(await response.clone().text());
}

/**
 * Resolves once the Docent server at `url` has started (`GET /api/health` no longer says
 * `starting`). Throws the fetch error when the server cannot be reached, and
 * {@link ServerStartTimeoutError} when it still starts after `timeoutMs`.
 */
export async function waitForServerStart(url: string, options: WaitForServerStartOptions = {}): Promise<void> {
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    options.signal?.throwIfAborted();
    const res = await fetch(`${url.replace(/\/+$/, '')}/api/health`, { signal: options.signal });
    const body = (await res.json().catch(() => undefined)) as { status?: unknown } | undefined;
    if (body?.status !== 'starting') return;
    if (Date.now() >= deadline) {
      throw new ServerStartTimeoutError(
        `The Docent server at ${url} is still starting (opening its database) after ${Math.round(timeoutMs / 1000)} s: run this again once it serves.`,
      );
    }
    await sleep(pollMs, undefined, { signal: options.signal });
  }
}
