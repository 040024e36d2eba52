import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { sessions, users } from '../server/db/schema';
import { type App, type AppOptions, createApp } from '../server/http/app';
import { clientAddress } from '../server/http/rate-limit';
import { DEFAULT_RETRIEVAL_SETTINGS } from '../server/retrieval/settings';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { SERVER_DOCS } from './helpers/docs';
import { createHashingEmbedder } from './helpers/embedder';
import { seedDocuments } from './helpers/seed';
import { chatBody } from './helpers/ui-stream';

const embedder = createHashingEmbedder();
const ADMIN = 'rate-limit-admin-token-0123456789';

describe('clientAddress on a real socket', () => {
  it('is the TCP peer address by default, whatever X-Forwarded-For says', async () => {
    const app = new Hono();
    app.get('/', (c) => c.text(`${clientAddress(c, { trustProxy: 0 })}|${clientAddress(c, { trustProxy: 1 })}`));
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-forwarded-for': '198.51.100.4, 203.0.113.9' } });
      const [direct, proxied] = (await res.text()).split('|');
      expect(direct).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
      expect(proxied).toBe('203.0.113.9');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('limits that keep one client from flooding the server', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDocuments(database.db, embedder, SERVER_DOCS);
  });
  afterAll(async () => {
    await database?.close();
  });

  // app.request() has no socket: the test's peer address comes from a header only it sets.
  const limitedApp = (options: Partial<AppOptions> = {}, env: Record<string, string> = {}) =>
    createApp({
      database,
      config: loadConfig({ ADMIN_TOKEN: ADMIN, ...env }),
      embedder,
      siteDir: false,
      peerAddress: (c) => c.req.header('x-test-peer'),
      ...options,
    });
  const rows = async () => {
    const [[u], [s]] = await Promise.all([
      database.db.select({ n: count() }).from(users),
      database.db.select({ n: count() }).from(sessions),
    ]);
    return { users: u!.n, sessions: s!.n };
  };
  const putSettings = (app: App, peer: string, cookie?: string) =>
    app.request('/api/settings', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-test-peer': peer, ...(cookie ? { cookie: `docent_session=${cookie}` } : {}) },
      body: JSON.stringify({ ...DEFAULT_RETRIEVAL_SETTINGS, maxResults: 4 }),
    });
  const login = (app: App, peer: string) =>
    app.request('/api/admin/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-peer': peer },
      body: JSON.stringify({ token: ADMIN }),
    });
  const cookieOf = (res: Response) => /docent_session=([^;]+)/.exec(res.headers.getSetCookie().join('\n'))?.[1];

  describe('new users per client address', () => {
    it('refuses a cookie-less client beyond the limit with 429 before inserting anything', async () => {
      const app = limitedApp({ newUserRateLimit: { max: 3, windowMs: 60_000 } });
      const before = await rows();
      for (let i = 0; i < 3; i++) expect((await putSettings(app, '203.0.113.20')).status).toBe(200);
      expect(await rows()).toEqual({ users: before.users + 3, sessions: before.sessions + 3 });

      for (const res of [await putSettings(app, '203.0.113.20'), await login(app, '203.0.113.20')]) {
        expect(res.status).toBe(429);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(res.headers.getSetCookie()).toEqual([]);
        const body = await res.json();
        expect(body.error.code).toBe('too_many_requests');
        expect(body.error.message).toMatch(/Too many new readers from your address: at most 3 per 60 s/);
      }
      expect(await rows()).toEqual({ users: before.users + 3, sessions: before.sessions + 3 });

      // Another address has a limit of its own.
      expect((await putSettings(app, '198.51.100.20')).status).toBe(200);
      expect((await rows()).users).toBe(before.users + 4);
    });

    it('also covers the first question of a cookie-less visitor', async () => {
      const app = limitedApp({ newUserRateLimit: { max: 1, windowMs: 60_000 } });
      const ask = () =>
        app.request('/api/chat', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-test-peer': '203.0.113.21' },
          body: JSON.stringify(chatBody(`new-user-${Math.random()}`, 'How do I set a cookie?')),
        });
      expect((await ask()).status).toBe(200);
      const before = await rows();
      const limited = await ask();
      expect(limited.status).toBe(429);
      expect((await limited.json()).error.code).toBe('too_many_requests');
      expect(await rows()).toEqual(before);
    });

    it('does not limit visitors who send their cookie back', async () => {
      const app = limitedApp({ newUserRateLimit: { max: 1, windowMs: 60_000 } });
      const first = await putSettings(app, '203.0.113.22');
      expect(first.status).toBe(200);
      const cookie = cookieOf(first);
      expect(cookie).toBeDefined();
      for (let i = 0; i < 5; i++) expect((await putSettings(app, '203.0.113.22', cookie)).status).toBe(200);
      expect((await putSettings(app, '203.0.113.22')).status).toBe(429);
    });

    it('with TRUST_PROXY, keys on the address the trusted proxy wrote', async () => {
      const app = limitedApp({ newUserRateLimit: { max: 1, windowMs: 60_000 } }, { TRUST_PROXY: '1' });
      const put = (forwardedFor: string) =>
        app.request('/api/settings', {
          method: 'PUT',
          headers: { 'content-type': 'application/json', 'x-test-peer': '10.0.0.9', 'x-forwarded-for': forwardedFor },
          body: JSON.stringify(DEFAULT_RETRIEVAL_SETTINGS),
        });
      expect((await put('spoof-1, 203.0.113.23')).status).toBe(200);
      expect((await put('spoof-2, 203.0.113.23')).status).toBe(429);
      expect((await put('spoof-1, 198.51.100.23')).status).toBe(200);
    });

    it('defaults to 20 a minute and can be turned off', async () => {
      const app = limitedApp();
      for (let i = 0; i < 20; i++) expect((await putSettings(app, '203.0.113.24')).status).toBe(200);
      expect((await putSettings(app, '203.0.113.24')).status).toBe(429);
      const unlimited = limitedApp({ newUserRateLimit: false });
      for (let i = 0; i < 25; i++) expect((await putSettings(unlimited, '203.0.113.25')).status).toBe(200);
    });
  });

  describe('GET /api/search', () => {
    const searchFrom = (app: App, peer: string, cookie?: string) =>
      app.request('/api/search?q=set%20a%20cookie&k=1', {
        headers: { 'x-test-peer': peer, ...(cookie ? { cookie: `docent_session=${cookie}` } : {}) },
      });

    it('limits a visitor without a cookie per address', async () => {
      const app = limitedApp({ searchRateLimit: { max: 2, windowMs: 60_000 } });
      expect((await searchFrom(app, '203.0.113.30')).status).toBe(200);
      expect((await searchFrom(app, '203.0.113.30')).status).toBe(200);
      const limited = await searchFrom(app, '203.0.113.30');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = await limited.json();
      expect(body.error.code).toBe('too_many_requests');
      expect(body.error.message).toMatch(/Too many searches: at most 2 per 60 s/);
      expect((await searchFrom(app, '198.51.100.30')).status).toBe(200);
    });

    it('limits a visitor with a session per user, wherever they search from', async () => {
      const app = limitedApp({ searchRateLimit: { max: 2, windowMs: 60_000 } });
      const cookie = cookieOf(await putSettings(app, '203.0.113.31'));
      expect(cookie).toBeDefined();
      expect((await searchFrom(app, '203.0.113.31', cookie)).status).toBe(200);
      expect((await searchFrom(app, '198.51.100.31', cookie)).status).toBe(200);
      expect((await searchFrom(app, '192.0.2.31', cookie)).status).toBe(429);
      // Others at the same address are not counted against this user.
      expect((await searchFrom(app, '203.0.113.31')).status).toBe(200);
    });

    it('defaults to 60 a minute and can be turned off', async () => {
      const app = limitedApp();
      for (let i = 0; i < 60; i++) expect((await searchFrom(app, '203.0.113.32')).status).toBe(200);
      expect((await searchFrom(app, '203.0.113.32')).status).toBe(429);
      const unlimited = limitedApp({ searchRateLimit: false });
      for (let i = 0; i < 65; i++) expect((await searchFrom(unlimited, '203.0.113.33')).status).toBe(200);
    });
  });
});
