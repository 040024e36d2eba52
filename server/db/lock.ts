/**
 * A lock file that keeps a second process from opening the same embedded (PGlite) database.
 *
 * PGlite has no lock of its own: two processes on one data directory silently lose writes.
 * The lock holds the owner's pid and host; a lock whose process is gone is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

export interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
  /** What holds the database, e.g. `server` or `ingest`. */
  purpose: string;
  /** Where the holder can be reached to take over a job (the running server's URL), if anywhere. */
  url?: string;
}

/** Thrown when another live process holds the database. */
export class DatabaseLockedError extends Error {
  override readonly name = 'DatabaseLockedError';
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    super(lockedMessage(dataDir, owner));
  }
}

/**
 * What to tell someone who cannot open the database. The commands that can hand their work to a
 * running server (ingest, search, ask) do so before this is shown; a server that is still
 * starting (ingesting its content, no URL yet) will be able to take it in a moment.
 */
function lockedMessage(dataDir: string, owner: LockOwner): string {
  const who = `pid ${owner.pid} on ${owner.host}, since ${owner.startedAt}`;
  const postgres = 'or point DATABASE_URL at a Postgres server that several processes can share.';
  if (owner.purpose === 'server' && !owner.url) {
    return (
      `The embedded database at ${dataDir} is in use by a Docent server that is still starting (${who}): ` +
      'it ingests its content before it serves. Run this again once it serves (npm run ingest, search and ask ' +
      `then go through it), stop it, ${postgres}`
    );
  }
  const holder = owner.purpose === 'server' && owner.url ? `the Docent server at ${owner.url}` : `another Docent process (${owner.purpose})`;
  return `The embedded database at ${dataDir} is in use by ${holder} (${who}). Only one process can open it at a time: stop that process first, ${postgres}`;
}

export interface HeldLock {
  readonly path: string;
  /** The owner of a lock this process found left behind (its process gone) and replaced, if any. */
  readonly tookOver?: LockOwner;
  update(fields: Partial<Pick<LockOwner, 'url' | 'purpose'>>): void;
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads the owner recorded in a lock file, or `undefined` when there is none or it is unreadable. */
export function readLockOwner(lockPath: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(lockPath, 'utf8')) as LockOwner;
    return typeof parsed.pid === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the lock at `lockPath` for this process, or throws {@link DatabaseLockedError} naming
 * the live process that holds it. A stale lock (its process is gone) is replaced.
 */
export function acquireLock(lockPath: string, dataDir: string, purpose: string): HeldLock {
  mkdirSync(dirname(lockPath), { recursive: true });
  const owner: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), purpose };

  let tookOver: LockOwner | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(lockPath, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const current = readLockOwner(lockPath);
      const sameHost = current?.host === owner.host;
      if (current && (!sameHost || isAlive(current.pid)) && current.pid !== process.pid) {
        throw new DatabaseLockedError(dataDir, current);
      }
      // Stale (dead process, unreadable, or left by this very process): take it over.
      if (current && current.pid !== process.pid) tookOver = current;
      try {
        unlinkSync(lockPath);
      } catch {
        /* another process removed it first; try again */
      }
      continue;
    }
    writeSync(fd, JSON.stringify(owner));
    closeSync(fd);

    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.off('exit', release);
      if (readLockOwner(lockPath)?.pid === process.pid) {
        try {
          unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      }
    };
    process.on('exit', release);
    return {
      path: lockPath,
      ...(tookOver ? { tookOver } : {}),
      update(fields) {
        Object.assign(owner, fields);
        if (!released) writeFileSync(lockPath, JSON.stringify(owner));
      },
      release,
    };
  }
  throw new Error(`Could not take the database lock ${lockPath}: it keeps changing hands.`);
}
