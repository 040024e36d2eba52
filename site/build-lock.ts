/**
 * The lock that lets one site build at a time write a site folder: `site/dist.build-lock` beside
 * `site/dist`, a file naming the process that holds it. Two Docents started at once from one
 * checkout (two `npm start`, `npm run build:site` during a start) would otherwise both build the
 * same site into the same place at the same time: twice the time on shared cores, and two folder
 * swaps racing. The second one waits for the first, then finds the site fresh (or builds after).
 *
 * A lock whose process is gone (killed mid-build), or that its holder has not refreshed for
 * {@link STALE_AFTER_MS} (a frozen process, or a process id reused since), is taken over.
 */
import { linkSync, openSync, readFileSync, renameSync, rmSync, utimesSync, writeSync, closeSync, statSync } from 'node:fs';
import { hostname } from 'node:os';

/** What the lock file says: who holds it and since when, with that build's estimate. */
export interface SiteBuildLockHolder {
  pid: number;
  hostname: string;
  /** Milliseconds since the epoch when the holder took the lock. */
  since: number;
  /** The holder's estimate of its build, in seconds, once it has one. */
  estimatedSeconds?: number;
  /** Tells this holding from any other (a takeover checks it took over the lock it found stale). */
  token: string;
}

/** How often the holder refreshes the lock's modification time. */
const HEARTBEAT_MS = 5_000;
/** A lock not refreshed for this long is stale, whoever it names. */
export const STALE_AFTER_MS = 60_000;

/** The lock file of the site folder `outDir` (its real path: the folder a symbolic link points at). */
export function siteBuildLockPath(outDir: string): string {
  return `${outDir}.build-lock`;
}

/** A held lock: {@link SiteBuildLock.update} records the holder's estimate, {@link SiteBuildLock.release} lets the next build in. */
export interface SiteBuildLock {
  update(fields: { estimatedSeconds: number }): void;
  release(): void;
}

/**
 * Takes the build lock of `outDir`, waiting while another live build holds it. `onWaiting` hears
 * the holder once when this call starts to wait (and again when another holder takes over). The
 * lock must be released (`finally`); a process that dies holding it leaves a stale lock, taken
 * over by the next build.
 */
export async function acquireSiteBuildLock(
  outDir: string,
  options: { onWaiting?: (holder: SiteBuildLockHolder) => void; pollMs?: number; staleAfterMs?: number } = {},
): Promise<SiteBuildLock> {
  const path = siteBuildLockPath(outDir);
  const pollMs = options.pollMs ?? 250;
  const staleAfterMs = options.staleAfterMs ?? STALE_AFTER_MS;
  let heardToken: string | undefined;
  for (;;) {
    const me: SiteBuildLockHolder = { pid: process.pid, hostname: hostname(), since: Date.now(), token: `${process.pid}-${Math.random().toString(36).slice(2, 10)}` };
    if (tryCreate(path, me)) return held(path, me);
    const found = readHolder(path);
    if (found === 'gone') continue;
    if (found === 'unreadable' || (found !== 'writing' && isStale(path, found, staleAfterMs))) {
      takeOver(path, found === 'unreadable' ? undefined : found.token);
      continue;
    }
    if (found !== 'writing' && found.token !== heardToken) {
      heardToken = found.token;
      options.onWaiting?.(found);
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, pollMs));
  }
}

function tryCreate(path: string, holder: SiteBuildLockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${JSON.stringify(holder)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * The holder the lock file names; `gone` when there is no lock file, `writing` while its holder
 * writes it, `unreadable` when it names none (a holder killed while writing it).
 */
function readHolder(path: string): SiteBuildLockHolder | 'gone' | 'writing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const holder = JSON.parse(text) as SiteBuildLockHolder;
    return typeof holder.pid === 'number' && typeof holder.token === 'string' ? holder : 'unreadable';
  } catch {
    // Being written this instant, or its writer was killed: stale once not refreshed for long.
    return Date.now() - mtime(path) > HEARTBEAT_MS * 2 ? 'unreadable' : 'writing';
  }
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Date.now();
  }
}

function isStale(path: string, holder: SiteBuildLockHolder, staleAfterMs: number): boolean {
  if (holder.hostname === hostname() && !isRunning(holder.pid)) return true;
  return Date.now() - mtime(path) > staleAfterMs;
}

/** Whether a process `pid` of this machine is alive (one of another user's counts: `EPERM`). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the stale lock at `path` whose token is `staleToken`: renamed aside first (one of two
 * builds taking over at once wins the rename), then checked to be the stale one and not a lock
 * another build has just taken, which is put back.
 */
function takeOver(path: string, staleToken: string | undefined): void {
  const aside = `${path}.stale-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const taken = readHolder(aside);
  const wasStale = taken === 'unreadable' || taken === 'gone' || (taken !== 'writing' && taken.token === staleToken);
  if (!wasStale) {
    try {
      linkSync(aside, path);
    } catch {
      // Another build holds the path meanwhile; the one moved aside finds its lock gone when it ends.
    }
  }
  rmSync(aside, { force: true });
}

function held(path: string, me: SiteBuildLockHolder): SiteBuildLock {
  const heartbeat = setInterval(() => {
    const now = new Date();
    try {
      utimesSync(path, now, now);
    } catch {
      // taken over (this process was frozen past STALE_AFTER_MS): its build still swaps in whole
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  let released = false;
  return {
    update(fields) {
      Object.assign(me, fields);
      const current = readHolder(path);
      if (typeof current === 'object' && current.token === me.token) {
        const next = `${path}.next-${me.token}`;
        try {
          tryCreate(next, me);
          renameSync(next, path);
        } catch {
          rmSync(next, { force: true }); // the lock stays as it was: only the waiters' estimate is older
        }
      }
    },
    release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      const current = readHolder(path);
      // Only this holding's lock: after a takeover, the lock is another build's.
      if (typeof current === 'object' && current.token === me.token) rmSync(path, { force: true });
    },
  };
}
