/**
 * `npm start` binds its port first and rebuilds an out-of-date docs site in the background: the
 * port answers during the build, the site built before is served meanwhile and the new one once
 * it is swapped in; with no site built before, pages say it is being built. Site builds are slow
 * (20–50 s): one build runs to the end here.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '..');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
  return port;
}

/** Polls `check` every 200 ms until it returns a value, or throws after `ms` with `what` and the server's output. */
async function until<T>(what: string, ms: number, output: () => string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms; server output:\n${output()}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  }
}

describe('npm start builds an out-of-date docs site after binding its port', () => {
  const root = mkdtempSync(join(tmpdir(), 'docent-build-on-start-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });

  /** Starts server/main.ts as `npm start` does, in `cwd` (whose `site/dist` it serves), on a fresh port. */
  const start = async (cwd: string, contentDir: string) => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href, join(REPO, 'server/main.ts')], {
      cwd,
      env: {
        ...process.env,
        npm_lifecycle_event: 'start',
        CONTENT_DIR: contentDir,
        DATABASE_URL: 'memory://',
        INGEST_ON_START: 'false',
        HOST: '127.0.0.1',
        PORT: String(port),
        OPENAI_API_KEY: '',
        OPENAI_BASE_URL: '',
        LANGSMITH_TRACING: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
    return { url: `http://127.0.0.1:${port}`, child, output: () => output, exited };
  };
  /** A content folder of one page titled `title`. */
  const docs = (name: string, title: string) => {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'index.md'), `---\ntitle: ${title}\n---\n\n# ${title}\n\nA page of the fixture site.\n`);
    return dir;
  };

  it('answers on its port during the build, serving the site built before, then the new one once it is swapped in', async () => {
    const cwd = join(root, 'rebuilt');
    const dist = join(cwd, 'site', 'dist');
    mkdirSync(dist, { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Built before</title><h1>Built before</h1>');
    writeFileSync(join(dist, 'widget.js'), '/* widget */');
    writeFileSync(join(dist, '.docent-build'), 'an earlier hash\n');
    const server = await start(cwd, docs('rebuilt-docs', 'Rebuilt home'));

    // Within seconds, long before a build could end: health says the site is being built, and the old site is served.
    const health = await until('health did not say the site is being built', 20_000, server.output, async () => {
      const body = (await (await fetch(`${server.url}/api/health`)).json()) as { site?: { state: string; secondsLeft?: number } };
      return body.site?.state === 'building' ? body : undefined;
    });
    expect(health.site!.secondsLeft).toBeGreaterThan(0);
    const during = await fetch(`${server.url}/`);
    expect(during.status).toBe(200);
    expect(await during.text()).toContain('Built before');

    await until('the new site was not served', 240_000, server.output, async () => {
      const html = await (await fetch(`${server.url}/`)).text();
      return html.includes('Rebuilt home') ? html : undefined;
    });
    expect(((await (await fetch(`${server.url}/widget.js`)).text()).length)).toBeGreaterThan(100);
    const after = (await (await fetch(`${server.url}/api/health`)).json()) as { status: string; site?: unknown };
    expect(after.site).toBeUndefined();
    expect(after.status).toBe('ok');
    expect(server.output()).toMatch(/\[docent\] building the docs site from .*rebuilt-docs\/ \(about \d+ s\) …/);
    expect(server.output()).toMatch(/\[docent\] site built in \d+\.\d s/);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 300_000);

  it('with no site built before, answers pages 503 "being built" meanwhile, and stops the build when it stops', async () => {
    const cwd = join(root, 'first');
    mkdirSync(cwd, { recursive: true });
    const server = await start(cwd, docs('first-docs', 'First home'));
    const page = await until('the pages did not say the site is being built', 20_000, server.output, async () => {
      const res = await fetch(`${server.url}/guides/`);
      return res.status === 503 ? res : undefined;
    });
    expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await page.text()).toContain('The docs site is being built');
    // The API works as usual meanwhile.
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    // The build child (named by the site folder it builds) is gone with the server, and with it the Astro build it ran.
    await until('the build did not stop', 10_000, server.output, async () => {
      try {
        execFileSync('pgrep', ['-f', join(cwd, 'site', 'dist')]);
        return undefined;
      } catch {
        return true;
      }
    });
  }, 60_000);
});
