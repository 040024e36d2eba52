import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestOptions, IngestProgress, IngestSummary } from '../ingest/types';
import { loadConfig } from '../server/config';
import { messages } from '../server/db/schema';
import { createApp } from '../server/http/app';
import { answerClientErrorsWithJson } from '../server/http/client-errors';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { SERVER_DOCS } from './helpers/docs';
import { createHashingEmbedder } from './helpers/embedder';
import { type OpenAIStub, startOpenAIStub } from './helpers/openai-stub';
import { seedDocuments } from './helpers/seed';
import { assemble, chatBody, readChunks, textOf } from './helpers/ui-stream';

const embedder = createHashingEmbedder();
const ADMIN_TOKEN = 'server-test-admin-token';
/** A widget.js big enough to compress (varied lines, as real code is). */
const WIDGET_JS = Array.from({ length: 2000 }, (_, i) => `var v${i} = ${i * 7919} % 101; // widget line ${i}\n`).join('');

const summary: IngestSummary = {
  documents: { added: 2, updated: 0, unchanged: 0, removed: 0, failed: 0 },
  chunks: { embedded: 5, reused: 0, removed: 0, total: 5 },
  embeddingModel: 'test:hashing@512',
  durationMs: 12,
  errors: [],
  warnings: [],
};

describe('the server on a real port', () => {
  let database: TestDatabase;
  let llm: OpenAIStub;
  let server: ServerType;
  let base: string;
  let siteDir: string;
  const ingestCalls: IngestOptions[] = [];
  let releaseIngest: (() => void) | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDocuments(database.db, embedder, SERVER_DOCS);
    llm = await startOpenAIStub(() => ({ text: 'Use setCookie [1].' }));
    siteDir = mkdtempSync(join(tmpdir(), 'docent-site-'));
    mkdirSync(join(siteDir, 'guides/cookies'), { recursive: true });
    mkdirSync(join(siteDir, '_astro'), { recursive: true });
    mkdirSync(join(siteDir, 'api/routing'), { recursive: true });
    writeFileSync(join(siteDir, 'api/routing/index.html'), '<!doctype html><title>Routing</title>');
    writeFileSync(join(siteDir, 'index.html'), '<!doctype html><title>Home</title>');
    writeFileSync(join(siteDir, 'guides/cookies/index.html'), '<!doctype html><title>Cookies</title>');
    writeFileSync(join(siteDir, '404.html'), '<!doctype html><title>Not found</title>');
    writeFileSync(join(siteDir, '_astro/app.123.js'), 'console.log(1)');
    writeFileSync(join(siteDir, 'widget.js'), WIDGET_JS);
    writeFileSync(join(tmpdir(), 'docent-secret.txt'), 'secret');

    const app = createApp({
      database,
      config: loadConfig({ OPENAI_BASE_URL: llm.url, ADMIN_TOKEN }),
      embedder,
      siteDir,
      runIngest: async (options, onProgress) => {
        ingestCalls.push(options);
        onProgress({ phase: 'scan', done: 0, total: 2 });
        await new Promise<void>((resolve) => (releaseIngest = resolve));
        onProgress({ phase: 'document', done: 1, total: 2, path: 'a.md' });
        if (options.source === 'broken') throw new Error('a.md:3: unterminated frontmatter');
        onProgress({ phase: 'done', done: 2, total: 2 });
        return summary;
      },
    });
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    answerClientErrorsWithJson(server);
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await llm?.close();
    await database?.close();
    rmSync(siteDir, { recursive: true, force: true });
  });

  it('streams an answer over HTTP with the session cookie', async () => {
    const res = await fetch(`${base}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chatBody('port-chat', 'How do I set a cookie?')),
    });
    expect(res.status).toBe(200);
    // fetch accepts gzip: the answer's stream is still sent as it is written, uncompressed.
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(res.headers.getSetCookie()[0]).toMatch(/^docent_session=.+HttpOnly/);
    const message = await assemble(await readChunks(res));
    expect(textOf(message)).toBe('Use setCookie [1].');
    expect(message.parts.some((p) => p.type === 'source-url')).toBe(true);
  });

  it('records an aborted message when the client disconnects mid-answer', async () => {
    llm.setReply(() => ({ text: Array.from({ length: 60 }, (_, i) => `w${i} `), chunkDelayMs: 20 }));
    const controller = new AbortController();
    const res = await fetch(`${base}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chatBody('port-abort', 'How do I set a cookie?')),
      signal: controller.signal,
    });
    const messageId = res.headers.get('x-docent-message-id')!;
    const reader = res.body!.getReader();
    let seen = '';
    while (!seen.includes('w3')) seen += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    let status = 'streaming';
    for (let i = 0; i < 200 && status === 'streaming'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      const [row] = await database.db.select({ status: messages.status }).from(messages).where(eq(messages.id, messageId));
      status = row!.status;
    }
    expect(status).toBe('aborted');
  });

  describe('the built site', () => {
    it('serves pages at /path/, redirects /path to /path/, and assets with long caching', async () => {
      const home = await fetch(`${base}/`);
      expect(home.status).toBe(200);
      expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await home.text()).toContain('<title>Home</title>');
      expect(await (await fetch(`${base}/guides/cookies/`)).text()).toContain('Cookies');
      const redirect = await fetch(`${base}/guides/cookies?x=1`, { redirect: 'manual' });
      expect(redirect.status).toBe(308);
      expect(redirect.headers.get('location')).toBe('/guides/cookies/?x=1');
      const asset = await fetch(`${base}/_astro/app.123.js`);
      expect(asset.headers.get('cache-control')).toContain('immutable');
      expect(asset.headers.get('content-type')).toContain('text/javascript');
    });

    it('compresses widget.js for clients that accept gzip, and still answers a revalidation with 304', async () => {
      const gzipped = await fetch(`${base}/widget.js`, { headers: { 'accept-encoding': 'gzip' } });
      expect(gzipped.headers.get('content-encoding')).toBe('gzip');
      expect(gzipped.headers.get('vary')).toMatch(/accept-encoding/i);
      expect(gzipped.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
      expect(await gzipped.text()).toBe(WIDGET_JS);
      const plain = await fetch(`${base}/widget.js`, { headers: { 'accept-encoding': 'identity' } });
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(plain.headers.get('content-length')).toBe(String(Buffer.byteLength(WIDGET_JS)));
      expect(await plain.text()).toBe(WIDGET_JS);
      const lastModified = gzipped.headers.get('last-modified')!;
      const revalidated = await fetch(`${base}/widget.js`, { headers: { 'accept-encoding': 'gzip', 'if-modified-since': lastModified } });
      expect(revalidated.status).toBe(304);
      expect(await revalidated.text()).toBe('');
      // Small files are not worth it.
      expect((await fetch(`${base}/_astro/app.123.js`, { headers: { 'accept-encoding': 'gzip' } })).headers.get('content-encoding')).toBeNull();
    });

    it('answers unknown pages with the site’s 404.html and unknown API routes with JSON', async () => {
      const page = await fetch(`${base}/no/such/page/`);
      expect(page.status).toBe(404);
      expect(await page.text()).toContain('Not found');
      const api = await fetch(`${base}/api/no-such-route`);
      expect(api.status).toBe(404);
      expect((await api.json()).error.code).toBe('not_found');
    });

    it('answers requests the HTTP parser rejects with the JSON error body (431 headers too large, 400 malformed)', async () => {
      const { port } = server.address() as AddressInfo;
      const raw = (request: string) =>
        new Promise<string>((resolve, reject) => {
          let response = '';
          const socket = connect(port, '127.0.0.1', () => socket.write(request));
          socket.on('data', (d) => (response += d));
          socket.on('close', () => resolve(response));
          socket.on('error', reject);
        });
      const big = await raw(`GET /api/health HTTP/1.1\r\nHost: x\r\nCookie: ${'a'.repeat(20_000)}\r\n\r\n`);
      expect(big).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
      expect(big).toContain('content-type: application/json');
      expect(JSON.parse(big.split('\r\n\r\n')[1]!)).toEqual({ error: { code: 'headers_too_large', message: expect.stringContaining('headers are too large') } });
      const malformed = await raw('GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n');
      expect(malformed).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(JSON.parse(malformed.split('\r\n\r\n')[1]!).error.code).toBe('bad_request');
      expect((await fetch(`${base}/api/health`)).status).toBe(200); // the server goes on
    });

    it('serves docs pages under /api/ (an api/ folder is common) without shadowing the API', async () => {
      const page = await fetch(`${base}/api/routing/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>Routing</title>');
      // Only existing pages, only with the trailing slash: the rest stays the API's.
      for (const path of ['/api/routing', '/api/no-such-page/', '/api/chats/']) {
        const res = await fetch(`${base}${path}`);
        expect(res.status, path).toBe(404);
        expect((await res.json()).error.code, path).toBe('not_found');
      }
      expect((await fetch(`${base}/api/chats`)).headers.get('content-type')).toContain('application/json');
      expect((await fetch(`${base}/api/..%2f..%2fdocent-secret.txt/`)).status).toBe(404);
    });

    it('never serves files outside the site folder', async () => {
      for (const path of ['/..%2fdocent-secret.txt', '/%2e%2e/docent-secret.txt', '/../docent-secret.txt']) {
        const res = await fetch(`${base}${path}`);
        expect(await res.text()).not.toBe('secret');
      }
    });
  });

  describe('POST /api/admin/ingest', () => {
    const post = (body: unknown, token = ADMIN_TOKEN) =>
      fetch(`${base}/api/admin/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });

    it('streams progress then the summary as NDJSON, one ingest at a time (409)', async () => {
      const res = await post({ content: siteDir, source: 'docs', force: true });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/x-ndjson');
      expect(res.headers.get('content-encoding')).toBeNull();
      const reader = res.body!.getReader();
      let text = new TextDecoder().decode((await reader.read()).value);
      expect(JSON.parse(text.split('\n')[0]!)).toEqual({ type: 'progress', phase: 'scan', done: 0, total: 2 });

      const busy = await post({ content: siteDir });
      expect(busy.status).toBe(409);
      expect((await busy.json()).error.code).toBe('ingest_running');

      releaseIngest!();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { type: string } & Partial<IngestProgress>);
      expect(lines.map((l) => l.type)).toEqual(['progress', 'progress', 'progress', 'summary']);
      expect(lines.at(-1)).toEqual({ type: 'summary', summary });
      expect(ingestCalls.at(-1)).toMatchObject({ contentDir: siteDir, source: 'docs', force: true });
    });

    it('ends with an error line when the ingest fails', async () => {
      const res = await post({ content: siteDir, source: 'broken' });
      setTimeout(() => releaseIngest!(), 50);
      const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
      expect(lines.at(-1)).toEqual({ type: 'error', error: { code: 'ingest_failed', message: 'a.md:3: unterminated frontmatter' } });
    });

    it('refuses non-admins, relative paths and missing folders', async () => {
      expect((await post({ content: siteDir }, 'wrong-token-wrong')).status).toBe(401);
      const relative = await post({ content: 'content' });
      expect(relative.status).toBe(400);
      expect((await relative.json()).error.message).toMatch(/absolute path/);
      const missing = await post({ content: join(siteDir, 'nope') });
      expect(missing.status).toBe(400);
      expect((await missing.json()).error.message).toMatch(/is not a directory/);
      const typo = await post({ content: siteDir, dryrun: true });
      expect(typo.status).toBe(400);
    });

    it('refuses a baseUrl that npm run ingest refuses, before any ingest runs (it would be in every citation link)', async () => {
      const runs = ingestCalls.length;
      // `docs/` would make each link relative to the page the chat is on; a space or a scheme
      // other than http(s) is no link at all.
      // `//docs.example.com/` is another site to a browser, and `https:///docs` a URL without its host.
      for (const baseUrl of ['docs/', 'docs v2', '/docs v2/', 'javascript:alert(1)', 'ftp://docs.example.com/', '', '//docs.example.com/', 'https:///docs']) {
        const res = await post({ content: siteDir, source: 'docs', baseUrl, dryRun: true });
        expect(res.status, baseUrl).toBe(400);
        expect((await res.json()).error).toEqual({
          code: 'invalid_body',
          message: 'Invalid request body: baseUrl: baseUrl must be an http(s) URL or a path starting with "/" (not "//")',
        });
      }
      expect(ingestCalls.length).toBe(runs);
    });

    it('takes a source name as long as npm run ingest and readers\' settings do (300 characters), and refuses a longer one saying so', async () => {
      const long = await post({ content: siteDir, source: 's'.repeat(301), dryRun: true });
      expect(long.status).toBe(400);
      expect((await long.json()).error).toEqual({
        code: 'invalid_body',
        message: "Invalid request body: source: source is at most 300 characters (a reader's settings could not prefer or exclude a longer one)",
      });
      const res = await post({ content: siteDir, source: 's'.repeat(300), dryRun: true });
      expect(res.status).toBe(200);
      setTimeout(() => releaseIngest!(), 50);
      await res.text();
      expect(ingestCalls.at(-1)).toMatchObject({ contentDir: siteDir, source: 's'.repeat(300) });
    });
  });

  describe('CORS and origins', () => {
    it('refuses writes from an origin that is not allowed', async () => {
      const res = await fetch(`${base}/api/settings`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
        body: JSON.stringify({ enabled: true, maxResults: 3, minScore: 0.2, preferredSources: [], excludedSources: [] }),
      });
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('forbidden_origin');
    });
  });
});

describe('CORS_ORIGINS', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
  });
  afterAll(async () => database?.close());

  it('allows credentials for configured origins only, and gives them a partitioned cross-site cookie over https', async () => {
    const app = createApp({ database, config: loadConfig({ CORS_ORIGINS: 'https://docs.example.com' }), embedder, siteDir: false });
    const preflight = await app.request('https://docent.example.com/api/chat', {
      method: 'OPTIONS',
      headers: { origin: 'https://docs.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://docs.example.com');
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    // A preflight is an OPTIONS like any other: the same Allow as without CORS_ORIGINS.
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('allow')).toBe('POST, OPTIONS');
    const other = await app.request('https://docent.example.com/api/settings', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();

    const put = await app.request('https://docent.example.com/api/settings', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', origin: 'https://docs.example.com' },
      body: JSON.stringify({ enabled: true, maxResults: 3, minScore: 0.2, preferredSources: [], excludedSources: [] }),
    });
    expect(put.status).toBe(200);
    const cookie = put.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/SameSite=None/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/Partitioned/);
    expect(cookie).toMatch(/HttpOnly/);
  });

  it("a preflight allows the path's own methods, the same as its Allow and its 405; a path no route has, none", async () => {
    const app = createApp({ database, config: loadConfig({ CORS_ORIGINS: 'https://docs.example.com' }), embedder, siteDir: false });
    const preflight = (path: string, method: string) =>
      app.request(`https://docent.example.com${path}`, {
        method: 'OPTIONS',
        headers: { origin: 'https://docs.example.com', 'access-control-request-method': method, 'access-control-request-headers': 'content-type' },
      });
    const cases: [string, string][] = [
      ['/api/chat', 'POST, OPTIONS'],
      ['/api/settings', 'GET, HEAD, PUT, DELETE, OPTIONS'],
      ['/api/chats/some-chat', 'GET, HEAD, DELETE, OPTIONS'],
      ['/api/messages/00000000-0000-4000-8000-000000000000/feedback', 'POST, OPTIONS'],
      ['/api/review/feedback', 'GET, HEAD, OPTIONS'],
    ];
    for (const [path, methods] of cases) {
      const res = await preflight(path, 'PATCH');
      expect(res.status, path).toBe(204);
      expect(res.headers.get('access-control-allow-methods'), path).toBe(methods.replaceAll(', ', ','));
      expect(res.headers.get('allow'), path).toBe(methods);
      // What a request with a method the path does not take would hear: the same list.
      const wrong = await app.request(`https://docent.example.com${path}`, { method: 'PATCH', headers: { origin: 'https://docs.example.com' } });
      expect(wrong.status, path).toBe(405);
      expect(wrong.headers.get('allow'), path).toBe(methods);
    }
    const unknown = await preflight('/api/no-such-route', 'DELETE');
    expect(unknown.status).toBe(204);
    expect(unknown.headers.get('access-control-allow-methods')).toBeNull();
    expect(unknown.headers.get('allow')).toBeNull();
    // A GET, which needs no method allowed, still reads the 404.
    const notFound = await app.request('https://docent.example.com/api/no-such-route', { headers: { origin: 'https://docs.example.com' } });
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get('access-control-allow-origin')).toBe('https://docs.example.com');
  });

  it('keeps the session cookie Secure when SITE_URL is https behind a proxy that forwards X-Forwarded-Proto: http', async () => {
    // A load balancer ends TLS before nginx, whose `$scheme` is then `http`.
    const settings = JSON.stringify({ enabled: true, maxResults: 3, minScore: 0.2, preferredSources: [], excludedSources: [] });
    const put = (env: Record<string, string>, headers: Record<string, string>) =>
      createApp({ database, config: loadConfig(env), embedder, siteDir: false }).request('http://docs.example.com/api/settings', {
        method: 'PUT',
        headers: { 'content-type': 'application/json', origin: 'http://docs.example.com', ...headers },
        body: settings,
      });
    const behindBalancer = await put({ SITE_URL: 'https://docs.example.com' }, { 'x-forwarded-proto': 'http' });
    expect(behindBalancer.status).toBe(200);
    expect(behindBalancer.headers.getSetCookie()[0]).toMatch(/;\s*Secure/);
    const plainHttp = await put({ SITE_URL: 'http://docs.example.com' }, { 'x-forwarded-proto': 'http' });
    expect(plainHttp.status).toBe(200);
    expect(plainHttp.headers.getSetCookie()[0]).not.toMatch(/Secure/);
    const proxiedHttps = await put({ SITE_URL: 'http://docs.example.com' }, { 'x-forwarded-proto': 'https' });
    expect(proxiedHttps.headers.getSetCookie()[0]).toMatch(/;\s*Secure/);
  });

  it('lets the allowed origins frame the full-page chat, and no other page', async () => {
    const siteDir = mkdtempSync(join(tmpdir(), 'docent-site-frames-'));
    try {
      for (const page of ['chat', 'review']) {
        mkdirSync(join(siteDir, page));
        writeFileSync(join(siteDir, page, 'index.html'), `<!doctype html><title>${page}</title>`);
      }
      const app = createApp({ database, config: loadConfig({ CORS_ORIGINS: 'https://docs.example.com' }), embedder, siteDir });
      const chat = await app.request('https://docent.example.com/chat/');
      expect(chat.status).toBe(200);
      expect(chat.headers.get('content-security-policy')).toBe("frame-ancestors 'self' https://docs.example.com");
      const review = await app.request('https://docent.example.com/review/');
      expect(review.headers.get('content-security-policy')).toBe("frame-ancestors 'self'");
      expect(review.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    } finally {
      rmSync(siteDir, { recursive: true, force: true });
    }
  });
});

describe('the origin guard on writes', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
  });
  afterAll(async () => database?.close());

  const settings = JSON.stringify({ enabled: true, maxResults: 3, minScore: 0.2, preferredSources: [], excludedSources: [] });
  /** `PUT /api/settings` to `url` (whose host is what the `Host` header would say) with `headers`. */
  const put = (env: Record<string, string>, url: string, headers: Record<string, string>) =>
    createApp({ database, config: loadConfig(env), embedder, siteDir: false }).request(url, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...headers },
      body: settings,
    });

  it('ignores X-Forwarded-Host without TRUST_PROXY: anyone can send it', async () => {
    const res = await put({}, 'http://docent.example.com/api/settings', { origin: 'http://evil.example', 'x-forwarded-host': 'evil.example' });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden_origin');
  });

  it('accepts the reader’s own site through a proxy that passes Host on (the nginx example), without TRUST_PROXY', async () => {
    // nginx terminates TLS and forwards plain HTTP with `Host: $host`: only the scheme differs.
    const res = await put({}, 'http://docs.example.com/api/settings', { origin: 'https://docs.example.com', 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(200);
  });

  it('with TRUST_PROXY, reads the host the trusted proxy wrote in X-Forwarded-Host', async () => {
    // A proxy that rewrites Host to the backend's address.
    const proxied = { origin: 'https://docs.example.com', 'x-forwarded-host': 'docs.example.com' };
    expect((await put({ TRUST_PROXY: '1' }, 'http://10.0.0.7:4321/api/settings', proxied)).status).toBe(200);
    expect((await put({}, 'http://10.0.0.7:4321/api/settings', proxied)).status).toBe(403);

    // Entries left of the proxy's were sent by the client.
    const spoofed = await put({ TRUST_PROXY: '1' }, 'http://10.0.0.7:4321/api/settings', {
      origin: 'http://evil.example',
      'x-forwarded-host': 'evil.example, docs.example.com',
    });
    expect(spoofed.status).toBe(403);
    expect((await spoofed.json()).error.code).toBe('forbidden_origin');
  });
});
