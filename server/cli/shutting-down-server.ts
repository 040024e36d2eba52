/**
 * A Docent server that is shutting down: stopped (Ctrl+C) while it was still opening its
 * database, it closed its port at once but holds the embedded database, and the lock naming its
 * URL, until the database is closed (seconds). The commands that hand their work to a running
 * server (`npm run ingest`, search, ask) would find it locked, fail to reach the URL, and take the
 * lock for one left behind. Instead they wait for the server to release it, then open the
 * database themselves.
 */
import { connect } from 'node:net';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseLockedError, isLockReleased, type LockOwner } from '../db/lock';

/** How long a shutting-down server is waited for: it exits within 10 s of the signal (`server/main.ts`). */
const DEFAULT_RELEASE_TIMEOUT_MS = 15_000;

/** How often the lock is looked at while waiting, in ms. */
const POLL_MS = 100;

/** Thrown when a server that no longer listens still holds the database after the longest wait: try again later. */
export class ServerShutdownTimeoutError extends Error {
  override readonly name = 'ServerShutdownTimeoutError';
}

export interface OpenPastShutdownOptions {
  /** Told once, when the database is held by a server that is shutting down: the wait begins. */
  onWait?: (message: string) => void;
  /** How long to wait for the server to release the database, in ms. Default 15 s. */
  timeoutMs?: number;
  /** Stops the wait (its reason thrown). */
  signal?: AbortSignal;
}

/**
 * Whether the server at `url` refuses connections (it does not listen: it closed its port). Only a
 * TCP connection is opened, no request sent: a server that listens sees nothing in its log.
 */
function refusesConnections(url: string): Promise<boolean> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve(false);
  }
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
  return new Promise((resolve) => {
    const socket = connect({ host: target.hostname.replace(/^\[|\]$/g, ''), port, timeout: 5_000 });
    const done = (refused: boolean) => {
      socket.destroy();
      resolve(refused);
    };
    socket.once('connect', () => done(false));
    socket.once('timeout', () => done(false));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED'));
  });
}

/** Whether `owner` is a Docent server on this machine that no longer listens on its URL, its process still running. */
async function isShuttingDown(owner: LockOwner): Promise<boolean> {
  return owner.purpose === 'server' && owner.url !== undefined && owner.host === hostname() && (await refusesConnections(owner.url));
}

/**
 * Runs `open` (which opens the database, throwing {@link DatabaseLockedError} when another
 * process holds it). When the holder is a Docent server on this machine that is shutting down
 * (its process alive, its port closed), waits for it to release the database and runs `open`
 * again; throws {@link ServerShutdownTimeoutError} when it still holds it after the wait. Any
 * other error, and a lock held by a server that answers, is thrown as it is.
 */
export async function openPastShuttingDownServer<T>(open: () => Promise<T>, options: OpenPastShutdownOptions = {}): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (!(error instanceof DatabaseLockedError) || !(await isShuttingDown(error.owner))) throw error;
    const { owner, dataDir } = error;
    const timeoutMs = options.timeoutMs ?? DEFAULT_RELEASE_TIMEOUT_MS;
    options.onWait?.(`The Docent server at ${owner.url} (pid ${owner.pid}) is shutting down: waiting for it to close the database…`);
    const deadline = Date.now() + timeoutMs;
    while (!isLockReleased(`${dataDir}.lock`, owner)) {
      if (Date.now() >= deadline) {
        throw new ServerShutdownTimeoutError(
          `The Docent server at ${owner.url} (pid ${owner.pid}) no longer answers but still holds the embedded database at ${dataDir} ` +
            `after ${Math.round(timeoutMs / 1000)} s: it is shutting down. Run this again in a few seconds.`,
        );
      }
      await sleep(POLL_MS, undefined, { signal: options.signal });
    }
    return open();
  }
}
