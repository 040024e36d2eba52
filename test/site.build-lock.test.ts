/**
 * One site build at a time into a site folder (`site/build-lock.ts`): two Docents started at once
 * from one checkout do not both build the same site into the same place; the second waits and
 * serves what the first built. A lock left by a process that is gone, or not refreshed for long,
 * is taken over.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lastBuildDuration, runSiteBuild, siteInputsHash } from '../site/build';
import { siteBuildRoot } from './helpers/site-build-root';
import { acquireSiteBuildLock, siteBuildLockPath, type SiteBuildLockHolder } from '../site/build-lock';

/** The id of a process that has exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

const settle = (ms: number) => new Promise((resolveWait) => setTimeout(resolveWait, ms));

describe('acquireSiteBuildLock', () => {
  const root = mkdtempSync(join(tmpdir(), 'docent-build-lock-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;
  const outDir = () => join(root, `dist${++n}`);

  it('makes a second build wait until the first releases the lock, telling it who holds it', async () => {
    const dir = outDir();
    const first = await acquireSiteBuildLock(dir);
    first.update({ estimatedSeconds: 42 });
    const heard: SiteBuildLockHolder[] = [];
    let secondHolds = false;
    const second = acquireSiteBuildLock(dir, { pollMs: 20, onWaiting: (holder) => heard.push(holder) }).then((lock) => {
      secondHolds = true;
      return lock;
    });
    await settle(300);
    expect(secondHolds).toBe(false);
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatchObject({ pid: process.pid, estimatedSeconds: 42 });
    first.release();
    const lock = await second;
    expect(secondHolds).toBe(true);
    lock.release();
    expect(existsSync(siteBuildLockPath(dir))).toBe(false);
  });

  it('takes over a lock left by a process that is gone (a build killed mid-way)', async () => {
    const dir = outDir();
    const holder: SiteBuildLockHolder = { pid: deadPid(), hostname: hostname(), since: Date.now(), token: 'killed-build' };
    writeFileSync(siteBuildLockPath(dir), JSON.stringify(holder));
    let waited = false;
    const lock = await acquireSiteBuildLock(dir, { pollMs: 20, onWaiting: () => (waited = true) });
    expect(waited).toBe(false);
    expect(JSON.parse(readFileSync(siteBuildLockPath(dir), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('takes over a lock its live holder has not refreshed for long (a frozen process, a reused process id)', async () => {
    const dir = outDir();
    // This test's parent is alive: only the lock's age makes it stale.
    const holder: SiteBuildLockHolder = { pid: process.ppid, hostname: hostname(), since: Date.now() - 120_000, token: 'frozen-build' };
    writeFileSync(siteBuildLockPath(dir), JSON.stringify(holder));
    const old = new Date(Date.now() - 120_000);
    utimesSync(siteBuildLockPath(dir), old, old);
    const lock = await acquireSiteBuildLock(dir, { pollMs: 20, staleAfterMs: 60_000 });
    expect(JSON.parse(readFileSync(siteBuildLockPath(dir), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('takes over a lock file its writer left empty (killed while writing it), once it is old', async () => {
    const dir = outDir();
    writeFileSync(siteBuildLockPath(dir), '');
    const old = new Date(Date.now() - 30_000);
    utimesSync(siteBuildLockPath(dir), old, old);
    const lock = await acquireSiteBuildLock(dir, { pollMs: 20 });
    expect(JSON.parse(readFileSync(siteBuildLockPath(dir), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
    expect(readdirSync(root).filter((name) => name.startsWith(`dist${n}.`))).toEqual([]);
  });

  it('does not release a lock another build has taken over since', async () => {
    const dir = outDir();
    const lock = await acquireSiteBuildLock(dir);
    const other: SiteBuildLockHolder = { pid: process.ppid, hostname: hostname(), since: Date.now(), token: 'the-next-build' };
    writeFileSync(siteBuildLockPath(dir), JSON.stringify(other));
    lock.release();
    expect(JSON.parse(readFileSync(siteBuildLockPath(dir), 'utf8'))).toMatchObject({ token: 'the-next-build' });
  });

  it('is not one of the site inputs: a lock beside a site folder does not make the site stale', () => {
    const docs = join(root, 'docs');
    mkdirSync(docs, { recursive: true });
    writeFileSync(join(docs, 'index.md'), '# Home\n');
    const before = siteInputsHash(docs);
    writeFileSync(join(docs, 'dist.build-lock'), '{}');
    writeFileSync(join(docs, 'dist.build-lock.stale-1-abc'), '{}');
    expect(siteInputsHash(docs)).toBe(before);
  });
});

describe('runSiteBuild({ ifStale: true }) twice at once into one folder (two npm start of one checkout)', () => {
  const root = siteBuildRoot('docent-build-lock-');

  it('builds once: the second waits for the first and finds the site it built fresh; the build records how long it took', async () => {
    const docs = join(root, 'docs');
    mkdirSync(docs, { recursive: true });
    for (const page of ['index', 'one', 'two']) writeFileSync(join(docs, `${page}.md`), `---\ntitle: Page ${page}\n---\n\n# Page ${page}\n\nText.\n`);
    const out = join(root, 'dist');
    const logs: string[][] = [[], []];
    const building: number[][] = [[], []];
    let firstBuilding!: () => void;
    const firstStarted = new Promise<void>((resolveStarted) => (firstBuilding = resolveStarted));
    const run = (i: number) =>
      runSiteBuild({
        ifStale: true,
        contentDir: docs,
        outDir: out,
        cacheDir: join(root, 'cache'),
        log: (l) => logs[i]!.push(l),
        warn: (l) => logs[i]!.push(l),
        onBuilding: (s) => {
          building[i]!.push(s);
          if (i === 0) firstBuilding();
        },
      });
    const first = run(0);
    // The second starts once the first is building (as a second `npm start` a moment later).
    await firstStarted;
    const results = await Promise.all([first, run(1)]);
    expect(results).toEqual(['built', 'fresh']);
    expect(logs[1]!.join('\n')).toMatch(/another Docent \(process \d+\) is building the docs site into .*: waiting for it \(about \d+ s\)/);
    expect(logs[1]!.join('\n')).not.toMatch(/building the docs site from/);
    expect(building[1]!.length).toBe(1); // the server shows the site as being built meanwhile
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('Page index');
    expect(existsSync(siteBuildLockPath(out))).toBe(false);
    expect(readdirSync(root).filter((name) => name.startsWith('dist.'))).toEqual([]);
    expect(lastBuildDuration(out)).toEqual({ seconds: expect.any(Number), pages: 3 });
    expect(lastBuildDuration(out)!.seconds).toBeGreaterThan(0);
  }, 240_000);
});
