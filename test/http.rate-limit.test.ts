import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { count } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
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

    it('counts neither a refused search nor a method the routes do not take; nor does the chat limit count a refused body', async () => {
      const app = limitedApp({ searchRateLimit: { max: 1, windowMs: 60_000 }, chatRateLimit: { max: 1, windowMs: 60_000 } });
      const peer = { 'x-test-peer': '203.0.113.34' };
      expect((await app.request('/api/search?k=1', { headers: peer })).status).toBe(400);
      expect((await app.request('/api/search?q=cookie', { method: 'POST', headers: peer })).status).toBe(405);
      expect((await searchFrom(app, '203.0.113.34')).status).toBe(200);
      const post = (body: unknown) => app.request('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json', ...peer }, body: JSON.stringify(body) });
      expect((await post({ id: 'limit-refused', messages: [] })).status).toBe(400);
      expect((await app.request('/api/chat', { headers: peer })).status).toBe(405);
      expect((await post(chatBody('limit-refused', 'How do I set a cookie?'))).status).toBe(200);
      expect((await post(chatBody('limit-refused-2', 'How do I set a cookie?'))).status).toBe(429);
    });

    it('defaults to 60 a minute and can be turned off', async () => {
      const app = limitedApp();
      for (let i = 0; i < 60; i++) expect((await searchFrom(app, '203.0.113.32')).status).toBe(200);
      expect((await searchFrom(app, '203.0.113.32')).status).toBe(429);
      const unlimited = limitedApp({ searchRateLimit: false });
      for (let i = 0; i < 65; i++) expect((await searchFrom(unlimited, '203.0.113.33')).status).toBe(200);
    });
  });

  describe('wrong admin tokens per client address', () => {
    const loginWith = (app: App, peer: string, token: string, headers: Record<string, string> = {}) =>
      app.request('/api/admin/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-test-peer': peer, ...headers },
        body: JSON.stringify({ token }),
      });
    const statsWith = (app: App, peer: string, headers: Record<string, string>) =>
      app.request('/api/review/stats', { headers: { 'x-test-peer': peer, ...headers } });
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    let warnings: string[] = [];
    const captureWarnings = () => {
      warnings = [];
      vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(' ')));
    };
    afterEach(() => vi.restoreAllMocks());

    it('answers the 11th wrong login within 15 minutes with 429, even with the right token, and not another address', async () => {
      captureWarnings();
      const app = limitedApp();
      const tried = Array.from({ length: 12 }, (_, i) => `guess-${i}-${'x'.repeat(16)}`);
      for (const token of tried.slice(0, 10)) {
        const res = await loginWith(app, '203.0.113.40', token);
        expect(res.status).toBe(401);
        expect((await res.json()).error.code).toBe('invalid_token');
      }
      const limited = await loginWith(app, '203.0.113.40', tried[10]!);
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(14 * 60);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      const body = await limited.json();
      expect(body.error.code).toBe('too_many_requests');
      expect(body.error.message).toMatch(/^Too many wrong admin tokens from your address: at most 10 per 15 min\. Try again in \d+ s\.$/);
      // The right token gets the same answer: a 200 would tell a guesser they found it.
      const right = await loginWith(app, '203.0.113.40', ADMIN);
      expect(right.status).toBe(429);
      expect(right.headers.getSetCookie()).toEqual([]);
      expect((await statsWith(app, '203.0.113.40', bearer(ADMIN))).status).toBe(429);

      // The admin at another address logs in as usual.
      const other = await loginWith(app, '198.51.100.40', ADMIN);
      expect(other.status).toBe(200);
      expect(await other.json()).toEqual({ admin: true });
      expect((await statsWith(app, '198.51.100.40', bearer(ADMIN))).status).toBe(200);

      // One line for the limited address, naming it, and never a token that was tried.
      const lines = warnings.filter((w) => w.includes('203.0.113.40'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^\[docent\] 10 wrong admin tokens from 203\.0\.113\.40 within 15 min \(the last on POST \/api\/admin\/login\): its admin tokens are refused for \d+ s$/);
      for (const line of warnings) {
        for (const token of [...tried, ADMIN]) expect(line).not.toContain(token);
        expect(line).not.toContain('guess-');
      }
    });

    it('counts wrong bearer tokens on admin routes, GET /api/admin/session included, with wrong logins', async () => {
      captureWarnings();
      const app = limitedApp({ adminFailureLimit: { max: 4, windowMs: 60_000 } });
      const peer = '203.0.113.41';
      expect((await statsWith(app, peer, bearer('wrong-bearer-1'))).status).toBe(401);
      expect((await app.request('/api/review/feedback.csv', { headers: { 'x-test-peer': peer, ...bearer('wrong-bearer-2') } })).status).toBe(401);
      const session = await app.request('/api/admin/session', { headers: { 'x-test-peer': peer, ...bearer('wrong-bearer-3') } });
      expect(await session.json()).toEqual({ configured: true, admin: false });
      expect((await loginWith(app, peer, 'wrong-login-4')).status).toBe(401);

      for (const res of [
        await statsWith(app, peer, bearer('wrong-bearer-5')),
        await app.request('/api/admin/session', { headers: { 'x-test-peer': peer, ...bearer(ADMIN) } }),
        await app.request('/api/admin/ingest', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-test-peer': peer, ...bearer(ADMIN) },
          body: JSON.stringify({ content: '/' }),
        }),
        await loginWith(app, peer, ADMIN),
      ]) {
        expect(res.status).toBe(429);
        expect((await res.json()).error.message).toMatch(/at most 4 per 1 min/);
      }
      expect(warnings.filter((w) => w.includes(peer))).toHaveLength(1);
      expect(warnings.join('\n')).not.toContain('wrong-');
    });

    it('counts neither requests without a token nor right tokens, and keeps admin sessions working at a limited address', async () => {
      captureWarnings();
      const app = limitedApp({ adminFailureLimit: { max: 3, windowMs: 60_000 } });
      const peer = '203.0.113.42';
      for (let i = 0; i < 10; i++) expect((await statsWith(app, peer, {})).status).toBe(401);
      for (let i = 0; i < 10; i++) expect((await statsWith(app, peer, bearer(ADMIN))).status).toBe(200);
      const loggedIn = await loginWith(app, peer, ADMIN);
      expect(loggedIn.status).toBe(200);
      const cookie = { cookie: `docent_session=${cookieOf(loggedIn)}` };

      for (let i = 0; i < 3; i++) expect((await statsWith(app, peer, bearer(`wrong-${i}`))).status).toBe(401);
      expect((await statsWith(app, peer, bearer('wrong-3'))).status).toBe(429);
      // The admin session involves no token: it still opens the review endpoints.
      expect((await statsWith(app, peer, cookie)).status).toBe(200);
      expect(await (await app.request('/api/admin/session', { headers: { 'x-test-peer': peer, ...cookie } })).json()).toEqual({ configured: true, admin: true });
    });

    it('with TRUST_PROXY, counts the address the trusted proxy wrote, whatever the client adds', async () => {
      captureWarnings();
      const app = limitedApp({ adminFailureLimit: { max: 2, windowMs: 60_000 } }, { TRUST_PROXY: '1' });
      const via = (forwardedFor: string, token: string) => loginWith(app, '10.0.0.9', token, { 'x-forwarded-for': forwardedFor });
      expect((await via('spoof-1, 203.0.113.43', 'wrong-a')).status).toBe(401);
      expect((await via('spoof-2, 203.0.113.43', 'wrong-b')).status).toBe(401);
      expect((await via('spoof-3, 203.0.113.43', 'wrong-c')).status).toBe(429);
      expect((await via('203.0.113.43, 198.51.100.43', ADMIN)).status).toBe(200);
    });

    it('can be turned off', async () => {
      const app = limitedApp({ adminFailureLimit: false });
      for (let i = 0; i < 15; i++) expect((await loginWith(app, '203.0.113.44', `wrong-${i}`)).status).toBe(401);
      expect((await loginWith(app, '203.0.113.44', ADMIN)).status).toBe(200);
    });

    it('refuses options that limit nothing or everything when the app is built', () => {
      expect(() => limitedApp({ adminFailureLimit: { max: 0, windowMs: 60_000 } })).toThrow(/max must be a whole number of 1 or more \(got 0\); pass false for no limit/);
      expect(() => limitedApp({ chatRateLimit: { max: 5, windowMs: Number.NaN } })).toThrow(/windowMs must be a positive number/);
    });
  });
});
