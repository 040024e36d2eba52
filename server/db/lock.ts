/**
 * A lock file that keeps a second process from opening the same embedded (PGlite) database.
 *
 * PGlite has no lock of its own: two processes on one data directory silently lose writes.
 * The lock holds the owner's pid and host; a lock whose process is gone is taken over.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
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
 * running server (ingest, search, ask) do so before this is shown, when the lock names the
 * server's URL: a server records it from the moment it takes the lock (its port is bound first).
 * A server lock without one was taken by a Docent from before that, still opening the database.
 */
function lockedMessage(dataDir: string, owner: LockOwner): string {
  const who = `pid ${owner.pid} on ${owner.host}, since ${owner.startedAt}`;
  const postgres = 'or point DATABASE_URL at a Postgres server that several processes can share.';
  if (owner.purpose === 'server' && !owner.url) {
    return (
      `The embedded database at ${dataDir} is in use by a Docent server that is still opening it (${who}). ` +
      'Run this again in a few seconds, once it serves (npm run ingest, search and ask then go through it), stop it, ' +
      postgres
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

/** The owner a lock file's text records, or `undefined` when it is not a lock's. */
function parseLockOwner(text: string | undefined): LockOwner | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as LockOwner;
    return typeof parsed?.pid === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the owner recorded in a lock file, or `undefined` when there is none or it is unreadable. */
export function readLockOwner(lockPath: string): LockOwner | undefined {
  return parseLockOwner(readLockText(lockPath));
}

/**
 * Whether the process that held a lock as `owner` no longer does: the lock file is gone or names
 * another process, or (on this machine) its process is gone.
 */
export function isLockReleased(lockPath: string, owner: LockOwner): boolean {
  const current = readLockOwner(lockPath);
  if (!current || current.pid !== owner.pid || current.host !== owner.host || current.startedAt !== owner.startedAt) return true;
  return current.host === hostname() && !isAlive(current.pid);
}

/** Blocks the thread for `ms` (lock attempts are synchronous; the waits are a few milliseconds). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The lock file's text, or `undefined` when there is none. */
function readLockText(lockPath: string): string | undefined {
  try {
    return readFileSync(lockPath, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Creates `path` holding `text`, atomically: it exists only with its whole text (written under a
 * temporary name, then hard-linked into place, which fails if `path` exists). A process reading
 * it never sees it empty or half-written, which it would take for a lock left behind. Returns
 * false when `path` already exists. On a file system without hard links, falls back to an
 * exclusive create followed by the write.
 */
function createExclusive(path: string, text: string): boolean {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, text);
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, text);
      closeSync(fd);
      return true;
    } catch (fallbackError) {
      if ((fallbackError as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw fallbackError;
    }
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** Replaces `path`'s text atomically (a new file renamed over it). */
function replaceAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** A takeover still in progress after this long was left by a process that died during it. */
const TAKEOVER_TIMEOUT_MS = 10_000;

/**
 * Removes the lock at `lockPath` if its text is still `staleText`, while holding the takeover
 * mutex (`<lock>.takeover`), so that of several processes finding the same stale lock at once
 * only one removes it (and none removes the fresh lock another one just created). Returns
 * whether it removed it, or `busy` when another process is taking it over.
 */
function removeStaleLock(lockPath: string, staleText: string, owner: LockOwner): boolean | 'busy' {
  const mutex = `${lockPath}.takeover`;
  if (!createExclusive(mutex, JSON.stringify(owner))) {
    try {
      if (Date.now() - statSync(mutex).mtimeMs > TAKEOVER_TIMEOUT_MS) rmSync(mutex, { force: true });
    } catch {
      /* gone already */
    }
    return 'busy';
  }
  try {
    if (readLockText(lockPath) !== staleText) return false;
    rmSync(lockPath, { force: true });
    return true;
  } finally {
    rmSync(mutex, { force: true });
  }
}

/**
 * Takes the lock at `lockPath` for this process, or throws {@link DatabaseLockedError} naming
 * the live process that holds it. A stale lock (its process is gone, or its text unreadable) is
 * replaced; when several processes start at once, exactly one gets the lock. `url` (where this
 * process can be reached, a server's) is in the lock from the moment it exists.
 */
export function acquireLock(lockPath: string, dataDir: string, purpose: string, url?: string): HeldLock {
  mkdirSync(dirname(lockPath), { recursive: true });
  const owner: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), purpose, ...(url ? { url } : {}) };

  let tookOver: LockOwner | undefined;
  for (let attempt = 0; attempt < 50; attempt++) {
    if (!createExclusive(lockPath, JSON.stringify(owner))) {
      const text = readLockText(lockPath);
      if (text === undefined) continue; // released meanwhile: try again
      const current = parseLockOwner(text);
      if (!current && attempt < 3) {
        // Unreadable: a lock written by an older Docent may be caught half-written. Look again.
        sleepSync(20);
        continue;
      }
      const sameHost = current?.host === owner.host;
      if (current && (!sameHost || isAlive(current.pid)) && current.pid !== process.pid) {
        throw new DatabaseLockedError(dataDir, current);
      }
      // Stale (dead process, unreadable, or left by this very process): take it over.
      const removed = removeStaleLock(lockPath, text, owner);
      if (removed === 'busy') sleepSync(5 + Math.random() * 20);
      else if (removed && current && current.pid !== process.pid) tookOver = current;
      continue;
    }

    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.off('exit', release);
      if (readLockOwner(lockPath)?.pid === process.pid) rmSync(lockPath, { force: true });
    };
    process.on('exit', release);
    return {
      path: lockPath,
      ...(tookOver ? { tookOver } : {}),
      update(fields) {
        Object.assign(owner, fields);
        if (!released) replaceAtomically(lockPath, JSON.stringify(owner));
      },
      release,
    };
  }
  throw new Error(`Could not take the database lock ${lockPath}: it keeps changing hands.`);
}
