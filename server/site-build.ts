/**
 * The docs site build `npm start` runs after binding its port: `site/build-for-server.ts` in a
 * child process (the server's event loop stays free), which rebuilds the site only when its
 * inputs changed and swaps the new build in only when it succeeded. Meanwhile the site built
 * before is served; {@link SiteBuild.state} tells the static pages and `GET /api/health` how far
 * it is.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the build on start is: `checking` (comparing the site's inputs with the last build's),
 * `building` (with `estimatedSeconds` and `startedAt`), `ready` (up to date or built) or `failed`
 * (with `reason`; the site built before, if any, is served) until a build succeeds.
 */
export type SiteBuildState =
  | { state: 'checking' }
  | { state: 'building'; startedAt: number; estimatedSeconds: number }
  | { state: 'ready' }
  | { state: 'failed'; reason: string };

/** Milliseconds since the epoch when the site in `siteDir` was last built (its stamp written), if it was. */
function builtAt(siteDir: string): number | undefined {
  try {
    return statSync(join(siteDir, '.docent-build')).mtimeMs;
  } catch {
    return undefined;
  }
}

/** What the build child tells the server over IPC (`site/build-for-server.ts`). */
export type SiteBuildMessage = { siteBuild: 'building'; estimatedSeconds: number } | { siteBuild: 'fresh' | 'built' } | { siteBuild: 'failed'; reason: string };

export interface SiteBuild {
  /** The build's state now. */
  state(): SiteBuildState;
  /** Resolves when the build child has exited (at once when it has). */
  done: Promise<void>;
  /** Stops the build (its child and the Astro build it runs); the site served stays as it was. */
  stop(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('../site/build-for-server.ts', import.meta.url));

/** What a failed build with no other word from the child says. */
const FAILED = 'The docs site could not be built: the server log says why.';

/**
 * Starts the site build on start of `contentDir` into `siteDir` (the folder the server serves) in
 * a child process, whose output goes to this process's. The child runs in its own process group,
 * so {@link SiteBuild.stop} ends the Astro build it spawned too.
 */
export function buildSiteInBackground(options: { contentDir: string; siteDir: string }): SiteBuild {
  let current: SiteBuildState = { state: 'checking' };
  let failedAt = 0;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CHILD, resolve(options.siteDir)], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...process.env, CONTENT_DIR: options.contentDir },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
  });
  child.on('message', (message: SiteBuildMessage) => {
    if (message.siteBuild === 'building') current = { state: 'building', startedAt: Date.now(), estimatedSeconds: message.estimatedSeconds };
    else if (message.siteBuild === 'failed') {
      current = { state: 'failed', reason: message.reason };
      failedAt = Date.now();
    }
    else current = { state: 'ready' };
  });
  let stopped = false;
  // The child has its own process group, so it would outlive a server that exits (a database
  // locked, a crash): it is stopped with it.
  const killOnExit = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // gone already
    }
  };
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const done = new Promise<void>((resolveDone) => {
    const finish = (error?: Error) => {
      if (current.state === 'checking' || current.state === 'building') {
        const why = stopped ? 'The docs site build was stopped.' : error ? `The docs site build could not be started: ${error.message}` : FAILED;
        if (error) console.error(`[docent] ${why}`);
        current = { state: 'failed', reason: why };
        failedAt = Date.now();
      }
      resolveDone();
    };
    child.once('error', finish);
    child.once('exit', () => finish());
  });
  return {
    // A failed build is over once `npm run build:site` built the site since.
    state: () => (current.state === 'failed' && (builtAt(options.siteDir) ?? 0) > failedAt ? { state: 'ready' } : current),
    done,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      stopped = true;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        return; // gone already
      }
      const killer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // gone already
        }
      }, 3_000);
      await done;
      clearTimeout(killer);
    },
  };
}

/** What `GET /api/health` says of the site build: `{ state: 'building', secondsLeft }` or `{ state: 'failed', reason }`, nothing once it is ready. */
export function siteHealth(state: SiteBuildState | undefined): { state: 'building'; secondsLeft: number } | { state: 'failed'; reason: string } | undefined {
  if (state?.state === 'building') return { state: 'building', secondsLeft: secondsLeft(state) };
  if (state?.state === 'failed') return { state: 'failed', reason: state.reason };
  return undefined;
}

/** The `site` field of `GET /api/health`, spread into it: there while `npm start` builds the site or after that build failed. */
export function withSite(siteBuild: (() => SiteBuildState | undefined) | undefined): { site?: NonNullable<ReturnType<typeof siteHealth>> } {
  const site = siteHealth(siteBuild?.());
  return site ? { site } : {};
}

/** The estimated seconds left of a build, at least 5 (a build past its estimate is about to end). */
export function secondsLeft(state: { startedAt: number; estimatedSeconds: number }): number {
  return Math.max(5, Math.round(state.estimatedSeconds - (Date.now() - state.startedAt) / 1000));
}
