import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStartingApp, STARTING_RETRY_AFTER_S } from '../server/http/starting-app';

describe('createStartingApp() (what the server answers while its database opens)', () => {
  const siteDir = mkdtempSync(join(tmpdir(), 'docent-starting-'));
  mkdirSync(join(siteDir, 'guides'));
  writeFileSync(join(siteDir, 'index.html'), '<!doctype html><title>Home</title>');
  writeFileSync(join(siteDir, 'guides', 'index.html'), '<!doctype html><title>Guides</title>');
  afterAll(() => rmSync(siteDir, { recursive: true, force: true }));
  const app = createStartingApp({ config: { corsOrigins: ['https://docs.example.com'] }, databaseKind: 'postgres', siteDir });

  it('GET /api/health answers 200 with status and index state starting, naming the database', async () => {
    const res = await app.request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'starting', database: 'postgres', index: { state: 'starting' } });
  });

  it('chat, search and every other API route answer 503 server_starting with Retry-After', async () => {
    for (const [method, path] of [
      ['POST', '/api/chat'],
      ['GET', '/api/search?q=install'],
      ['GET', '/api/settings'],
      ['POST', '/api/admin/ingest'],
    ] as const) {
      const res = await app.request(path, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
      expect(res.status, path).toBe(503);
      expect(res.headers.get('retry-after')).toBe(String(STARTING_RETRY_AFTER_S));
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('server_starting');
      expect(body.error.message).toMatch(/starting/);
    }
  });

  it('serves the docs site as usual', async () => {
    const home = await app.request('/');
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<title>Home</title>');
    expect((await app.request('/guides/')).status).toBe(200);
  });

  it('answers the CORS origins of CORS_ORIGINS already, so an embedded widget reads the 503', async () => {
    const res = await app.request('/api/chat', { method: 'POST', headers: { origin: 'https://docs.example.com' }, body: '{}' });
    expect(res.status).toBe(503);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://docs.example.com');
    // The routes are not known yet: a preflight lets every method of the API's routes through to the 503.
    const preflight = await app.request('/api/chats/x', {
      method: 'OPTIONS',
      headers: { origin: 'https://docs.example.com', 'access-control-request-method': 'DELETE' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET,POST,PUT,DELETE,OPTIONS');
  });
});
