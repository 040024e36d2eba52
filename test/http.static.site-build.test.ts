/**
 * The docs site while `npm start` builds it in the background: with no site built before, every
 * page says it is being built (or could not be), and `GET /api/health` says so too; a site built
 * before is served meanwhile, and a new build swapped in is served from the next request, even one
 * made in the instant between the swap's two renames.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { createStartingApp } from '../server/http/starting-app';
import { serveSite } from '../server/http/static';
import type { SiteBuildState } from '../server/site-build';

const ORIGIN = 'http://docs.test';

describe('the docs site while npm start builds it', () => {
  const root = mkdtempSync(join(tmpdir(), 'docent-site-build-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;
  /** A site folder, with an `index.html` of `title` when given. */
  const site = (title?: string) => {
    const dir = join(root, `dist${++n}`);
    mkdirSync(dir, { recursive: true });
    if (title) writeFileSync(join(dir, 'index.html'), `<!doctype html><title>${title}</title>`);
    return dir;
  };
  const serve = (dir: string, state: SiteBuildState | undefined) => new Hono().use('*', serveSite(dir, { siteBuild: () => state }));

  it('answers every page with 503, Retry-After and a page that reloads itself while the first build runs', async () => {
    const app = serve(site(), { state: 'building', startedAt: Date.now() - 10_000, estimatedSeconds: 40 });
    for (const path of ['/', '/guides/setup/', '/widget.js']) {
      const res = await app.request(`${ORIGIN}${path}`);
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      const html = await res.text();
      expect(html).toContain('The docs site is being built');
      expect(html).toMatch(/about 30 s more/);
      expect(html).toMatch(/<meta http-equiv="refresh" content="10">/);
      expect(html).not.toContain('<script');
    }
  });

  it('says the site could not be built, and why, when the first build failed', async () => {
    const app = serve(site(), { state: 'failed', reason: 'The docs site could not be built (the server log names the page) <here>.' });
    const res = await app.request(`${ORIGIN}/`);
    expect(res.status).toBe(503);
    const html = await res.text();
    expect(html).toContain('The docs site could not be built');
    expect(html).toContain('names the page) &#60;here&#62;.');
    expect(html).not.toContain('http-equiv="refresh"');
  });

  it('serves the site built before while a build runs, and after one failed', async () => {
    const dir = site('Built before');
    for (const state of [{ state: 'building', startedAt: Date.now(), estimatedSeconds: 40 }, { state: 'failed', reason: 'x' }] as const) {
      const res = await serve(dir, state).request(`${ORIGIN}/`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Built before');
    }
  });

  it('serves a build swapped in from the next request, even one made between the two renames of the swap', async () => {
    const dir = site('Old');
    const app = serve(dir, { state: 'building', startedAt: Date.now(), estimatedSeconds: 40 });
    expect(await (await app.request(`${ORIGIN}/`)).text()).toContain('Old');
    // The swap of site/build.ts's replaceFolder, caught between its renames: the old site moved away, the new one not yet in place.
    const next = site('New');
    renameSync(dir, `${dir}.old-1-abc`);
    const during = app.request(`${ORIGIN}/`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    renameSync(next, dir);
    const res = await during;
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('New');
    rmSync(`${dir}.old-1-abc`, { recursive: true });
    expect(await (await app.request(`${ORIGIN}/`)).text()).toContain('New');
  });

  it('sends a file whole when its folder is swapped out and removed while it is sent', async () => {
    const dir = site('Page');
    const big = 'x'.repeat(4 * 1024 * 1024);
    writeFileSync(join(dir, 'big.txt'), big);
    const res = await serve(dir, undefined).request(`${ORIGIN}/big.txt`);
    rmSync(dir, { recursive: true });
    expect(Number(res.headers.get('content-length'))).toBe(big.length);
    expect((await res.text()).length).toBe(big.length);
  });

  it('says in GET /api/health, while the server starts, that the site is being built', async () => {
    const app = createStartingApp({
      config: { corsOrigins: [] },
      databaseKind: 'pglite',
      siteDir: site(),
      siteBuild: () => ({ state: 'building', startedAt: Date.now(), estimatedSeconds: 40 }),
    });
    expect(await (await app.request(`${ORIGIN}/api/health`)).json()).toEqual({ status: 'starting', database: 'pglite', index: { state: 'starting' }, site: { state: 'building', secondsLeft: 40 } });
    const ready = createStartingApp({ config: { corsOrigins: [] }, databaseKind: 'pglite', siteDir: site(), siteBuild: () => ({ state: 'ready' }) });
    expect(await (await ready.request(`${ORIGIN}/api/health`)).json()).toEqual({ status: 'starting', database: 'pglite', index: { state: 'starting' } });
  });
});
