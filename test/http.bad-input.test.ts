/**
 * Bad input anywhere in the API gets a 4xx with the JSON error body, never a 500: input the
 * database cannot store (NUL characters) and values that pass a loose check but not Postgres.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { createApp } from '../server/http/app';
import { findNulString, withWellFormedStrings } from '../server/http/validate';
import { DEFAULT_RETRIEVAL_SETTINGS } from '../server/retrieval/settings';
import { createClient, type TestClient } from './helpers/client';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { SERVER_DOCS } from './helpers/docs';
import { createHashingEmbedder } from './helpers/embedder';
import { seedDocuments } from './helpers/seed';
import { chatBody, readChunks } from './helpers/ui-stream';

const embedder = createHashingEmbedder();
const ADMIN_TOKEN = 'test-admin-token-0123456789';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('bad input gets 4xx JSON, never 500', () => {
  let database: TestDatabase;
  let app: ReturnType<typeof createApp>;
  let client: TestClient;
  let answer: { chatId: string; messageId: string };

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDocuments(database.db, embedder, SERVER_DOCS);
    app = createApp({ database, config: loadConfig({ ADMIN_TOKEN }), embedder, siteDir: false });
    client = createClient(app);
    const chunks = await readChunks(await client.json('/api/chat', 'POST', chatBody('chat-1', 'How do I set a cookie?')));
    answer = (chunks[0] as { messageMetadata: { chatId: string; messageId: string } }).messageMetadata;
  });
  afterAll(async () => {
    await database?.close();
  });

  const expectError = async (res: Response, status: number, code: string, message?: RegExp) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = await res.json();
    expect(body.error.code).toBe(code);
    if (message) expect(body.error.message).toMatch(message);
    return body;
  };

  describe('NUL characters (Postgres text cannot hold them)', () => {
    it.each([
      ['the question', () => client.json('/api/chat', 'POST', chatBody('chat-nul', 'set a\u0000cookie')), /messages\.0\.parts\.0\.text: must not contain NUL/],
      ['the chat id', () => client.json('/api/chat', 'POST', chatBody('chat\u0000', 'set a cookie')), /id: must not contain NUL/],
      ['the message id', () => client.json('/api/chat', 'POST', chatBody('chat-1', 'set a cookie', 'm\u0000')), /messages\.0\.id/],
      [
        'a preferred source',
        () => client.json('/api/settings', 'PUT', { ...DEFAULT_RETRIEVAL_SETTINGS, preferredSources: ['guides\u0000'] }),
        /preferredSources\.0: must not contain NUL/,
      ],
      ['a feedback comment', () => client.json(`/api/messages/${answer.messageId}/feedback`, 'POST', { vote: 'up', comment: 'a\u0000b' }), /comment/],
      ['a key', () => client.json(`/api/messages/${answer.messageId}/feedback`, 'POST', { vote: 'up', 'a\u0000': 1 }), /NUL/],
    ])('in %s: 400 invalid_body', async (_name, send, message) => {
      await expectError(await send(), 400, 'invalid_body', message);
    });

    it.each([
      ['search', () => client.request('/api/search?q=set%00cookie'), /q: must not contain NUL/],
      ['review filters', () => client.request('/api/review/feedback?source=guides%00', { headers: admin }), /source: must not contain NUL/],
    ])('in a query parameter of %s: 400 invalid_query', async (_name, send, message) => {
      await expectError(await send(), 400, 'invalid_query', message);
    });

    it('in a chat id in the path: 404', async () => {
      await expectError(await client.request('/api/chats/chat%00'), 404, 'not_found');
      await expectError(await client.request('/api/chats/chat%00', { method: 'DELETE' }), 404, 'not_found');
    });

    it('finds them in deeply nested bodies without overflowing the stack', () => {
      let deep: unknown = 'x\u0000';
      for (let i = 0; i < 100_000; i++) deep = [deep];
      expect(findNulString({ a: deep })).toBe(`a${'.0'.repeat(100_000)}`);
      expect(findNulString({ a: [1, null, true, { b: 'fine' }] })).toBeUndefined();
    });
  });

  describe('lone UTF-16 surrogates (JSON escapes like \\ud800 that Postgres json cannot store)', () => {
    it('in the question, the chat id and the message id: answered, stored with U+FFFD in their place', async () => {
      const res = await client.json('/api/chat', 'POST', chatBody('sur\ud800', 'set a \ud800cookie\udc00 on the response', 'm\udfff'));
      expect(res.status).toBe(200);
      await readChunks(res);
      const chat = await (await client.request(`/api/chats/${encodeURIComponent('sur\ufffd')}`)).json();
      expect(chat).toMatchObject({ clientId: 'sur\ufffd', title: 'set a \ufffdcookie\ufffd on the response' });
      expect(chat.messages[0]).toMatchObject({
        clientId: 'm\ufffd',
        content: 'set a \ufffdcookie\ufffd on the response',
        parts: [{ type: 'text', text: 'set a \ufffdcookie\ufffd on the response' }],
      });
      const { chats } = await (await client.request('/api/chats')).json();
      expect(chats.find((c: { clientId: string }) => c.clientId === 'sur\ufffd').messageCount).toBe(2);
    });

    it('keeps surrogate pairs (emoji) as they are, and replaces lone ones in keys and nested values', () => {
      const value = { 'k\ud800': ['\ud83d\ude00', { deep: 'a\udc00\ud800b' }], pair: '\ud83d\ude00' };
      expect(withWellFormedStrings(value)).toEqual({ 'k\ufffd': ['\ud83d\ude00', { deep: 'a\ufffd\ufffdb' }], pair: '\ud83d\ude00' });
      expect(withWellFormedStrings('\ud800')).toBe('\ufffd');
      let deep: unknown = '\ud800';
      for (let i = 0; i < 100_000; i++) deep = [deep];
      let inner = withWellFormedStrings(deep);
      for (let i = 0; i < 100_000; i++) inner = (inner as unknown[])[0];
      expect(inner).toBe('\ufffd');
    });
  });

  describe("the reader's language", () => {
    it.each(['fr CA', 'fr;drop', 'x'.repeat(36), 'é'])('%j: 400 on the chat and on search', async (language) => {
      await expectError(await client.json('/api/chat', 'POST', { ...chatBody('chat-lang', 'How do I set a cookie?'), language }), 400, 'invalid_body', /language: /);
      await expectError(await client.request(`/api/search?q=cookie&language=${encodeURIComponent(language)}`), 400, 'invalid_query', /language: /);
    });

    it('is refused when it is not a string', async () => {
      await expectError(await client.json('/api/chat', 'POST', { ...chatBody('chat-lang', 'How do I set a cookie?'), language: ['fr'] }), 400, 'invalid_body', /language: language must be a string/);
    });

    it.each(['fr', 'pt-BR', 'zh-Hans-CN', 'de_AT', ''])('%j is accepted', async (language) => {
      expect((await client.json('/api/chat', 'POST', { ...chatBody(`chat-lang-${language}`, 'How do I set a cookie?'), language })).status).toBe(200);
      expect((await client.request(`/api/search?q=cookie&language=${encodeURIComponent(language)}`)).status).toBe(200);
    });
  });

  it('a field a body does not have is refused by name, as `unknown field "x"`, in every body', async () => {
    await expectError(
      await client.json(`/api/messages/${answer.messageId}/feedback`, 'POST', { vote: 'up', stars: 4 }),
      400,
      'invalid_body',
      /^Invalid request body: unknown field "stars"$/,
    );
    await expectError(await client.json('/api/admin/login', 'POST', { token: ADMIN_TOKEN, remember: true, user: 'me' }), 400, 'invalid_body', /unknown fields "remember", "user"/);
    await expectError(
      await client.json('/api/review/eval-cases', 'POST', { messageId: answer.messageId, gold: [{ path: 'a.md', heading: 'A', page: 1 }] }, admin),
      400,
      'invalid_body',
      /gold\.0: unknown field "page"/,
    );
    // The settings keep their own wording, which lists the fields they have.
    await expectError(await client.json('/api/settings', 'PUT', { ...DEFAULT_RETRIEVAL_SETTINGS, minscore: 0.5 }), 400, 'invalid_body', /unknown field "minscore" \(settings have enabled/);
  });

  it('a 404 for a very long id quotes at most 80 characters of it', async () => {
    const id = 'x'.repeat(5000);
    for (const res of [
      await client.request(`/api/chats/${id}`),
      await client.request(`/api/chats/${id}`, { method: 'DELETE' }),
      await client.json(`/api/messages/${id}/feedback`, 'POST', { vote: 'up' }),
    ]) {
      const body = await expectError(res, 404, 'not_found', new RegExp(`"${'x'.repeat(80)}…"`));
      expect(JSON.stringify(body).length).toBeLessThan(300);
    }
  });

  describe('number query parameters', () => {
    it.each([
      ['/api/chats?limit=abc', /limit must be a whole number from 1 to 100/],
      ['/api/chats?limit=2.5', /limit must be a whole number from 1 to 100/],
      ['/api/chats?offset=-1', /offset must be a whole number 0 or more/],
      ['/api/search?q=cookie&k=abc', /k must be a whole number from 1 to 50/],
      ['/api/review/feedback?limit=abc', /limit must be 1–200/],
      ['/api/review/feedback?offset=x', /offset must be a whole number 0 or more/],
      ['/api/review/feedback?rating=x', /rating must be 1–5/],
      ['/api/review/feedback.csv?limit=abc', /limit must be a whole number from 1 to/],
    ])('%s: 400 invalid_query naming the parameter and its range', async (path, message) => {
      const res = await client.request(path, { headers: admin });
      await expectError(res, 400, 'invalid_query', message);
    });

    it.each([
      ['/api/search?q=cookie&k=0x5', /k must be a whole number from 1 to 50/],
      ['/api/search?q=cookie&k=1e1', /k must be a whole number from 1 to 50/],
      ['/api/search?q=cookie&k=%205', /k must be a whole number from 1 to 50/],
      ['/api/search?q=cookie&k=%2B5', /k must be a whole number from 1 to 50/],
      ['/api/search?q=cookie&k=5.0', /k must be a whole number from 1 to 50/],
      ['/api/chats?limit=0x10', /limit must be a whole number from 1 to 100/],
      ['/api/chats?offset=1e3', /offset must be a whole number 0 or more/],
      ['/api/review/feedback?rating=0x2', /rating must be 1–5/],
      ['/api/review/feedback?limit=1e1', /limit must be 1–200/],
      ['/api/review/feedback?offset=%200', /offset must be a whole number 0 or more/],
      ['/api/review/stats?rating=2e0', /rating must be 1–5/],
      ['/api/review/feedback.csv?limit=0x10', /limit must be a whole number from 1 to 10000/],
    ])('%s: 400, numbers are plain decimal digits', async (path, message) => {
      await expectError(await client.request(path, { headers: admin }), 400, 'invalid_query', message);
    });

    it('a parameter given twice gets a 400 naming it, on every route with number parameters', async () => {
      for (const [path, name] of [
        ['/api/search?q=cookie&k=2&k=7', 'k'],
        ['/api/search?q=cookie&q=session', 'q'],
        ['/api/chats?limit=2&limit=7', 'limit'],
        ['/api/chats?offset=0&offset=0', 'offset'],
        ['/api/review/feedback?rating=2&rating=3', 'rating'],
        ['/api/review/feedback?limit=5&offset=0&limit=6', 'limit'],
        ['/api/review/stats?rating=2&rating=3&rating=4', 'rating'],
        ['/api/review/feedback.csv?limit=5&limit=6', 'limit'],
      ] as const) {
        await expectError(await client.request(path, { headers: admin }), 400, 'invalid_query', new RegExp(`^Invalid query parameters: ${name} is given \\d times: give it once$`));
      }
      // A parameter the route does not read is ignored, repeated or not.
      expect((await client.request('/api/chats?utm=a&utm=b')).status).toBe(200);
    });

    it('a whole number too large to count exactly says so, and the largest one is accepted', async () => {
      for (const path of ['/api/chats?offset=99999999999999999999', '/api/review/feedback?offset=99999999999999999999']) {
        await expectError(await client.request(path, { headers: admin }), 400, 'invalid_query', /offset is too large: it must be at most 9007199254740991/);
      }
      expect(await (await client.request('/api/chats?offset=9007199254740991')).json()).toEqual({ chats: [] });
      expect((await client.request('/api/review/feedback?offset=9007199254740991', { headers: admin })).status).toBe(200);
      expect((await client.request('/api/search?q=cookie&k=007')).status).toBe(200);
    });
  });

  it('a search question may be as long as a chat question (4,000 characters), and no longer', async () => {
    // `npm run search` through a running server failed on a question the chat would take.
    const question = (n: number) => encodeURIComponent(`How do I set a cookie? ${'x'.repeat(n - 23)}`);
    expect((await client.request(`/api/search?q=${question(1_500)}`)).status).toBe(200);
    expect((await client.request(`/api/search?q=${question(4_000)}`)).status).toBe(200);
    await expectError(await client.request(`/api/search?q=${question(4_001)}`), 400, 'invalid_query', /q is at most 4000 characters/);
  });

  it('a path asked with a method it does not take: 405 method_not_allowed with Allow; an unknown path stays 404', async () => {
    for (const [method, path, allow] of [
      ['PATCH', '/api/settings', 'GET, HEAD, PUT, DELETE, OPTIONS'],
      ['POST', '/api/chats/chat-1', 'GET, HEAD, DELETE, OPTIONS'],
      ['GET', '/api/chat', 'POST, OPTIONS'],
      ['POST', '/api/search?q=cookie', 'GET, HEAD, OPTIONS'],
      ['DELETE', '/api/review/stats', 'GET, HEAD, OPTIONS'],
    ] as const) {
      const res = await client.request(path, { method });
      const body = await expectError(res, 405, 'method_not_allowed');
      expect(res.headers.get('allow'), path).toBe(allow);
      expect(body.error.message).toBe(`${path.replace(/\?.*/, '')} does not take ${method}: it takes ${allow}.`);
    }
    await expectError(await client.request('/api/no-such-route', { method: 'PATCH' }), 404, 'not_found', /^No route for PATCH \/api\/no-such-route$/);
    await expectError(await client.request('/api/settings/', { method: 'PATCH' }), 404, 'not_found');
    expect((await client.request('/api/settings', { method: 'HEAD' })).status).toBe(200);
  });

  it('OPTIONS on a path of the API: 204 with Allow, the methods a 405 lists (RFC 9110 lets any resource take it); an unknown path stays 404', async () => {
    for (const [path, allow] of [
      ['/api/settings', 'GET, HEAD, PUT, DELETE, OPTIONS'],
      ['/api/chat', 'POST, OPTIONS'],
      ['/api/chats/chat-1', 'GET, HEAD, DELETE, OPTIONS'],
      ['/api/review/stats', 'GET, HEAD, OPTIONS'],
    ] as const) {
      const res = await client.request(path, { method: 'OPTIONS' });
      expect(res.status, path).toBe(204);
      expect(res.headers.get('allow'), path).toBe(allow);
      expect(await res.text()).toBe('');
    }
    await expectError(await client.request('/api/no-such-route', { method: 'OPTIONS' }), 404, 'not_found', /^No route for OPTIONS \/api\/no-such-route$/);
  });

  it('an empty or too long review source filter gets a 400 saying what source takes, on the list, the stats and the CSV', async () => {
    for (const path of ['/api/review/feedback', '/api/review/stats', '/api/review/feedback.csv']) {
      for (const source of ['', '%20%20']) {
        await expectError(
          await client.request(`${path}?source=${source}`, { headers: admin }),
          400,
          'invalid_query',
          /^Invalid query parameters: source: source cannot be empty: give a path prefix or a source name, or leave source out for every source$/,
        );
      }
      await expectError(await client.request(`${path}?source=${'s'.repeat(301)}`, { headers: admin }), 400, 'invalid_query', /source is at most 300 characters/);
      expect((await client.request(`${path}?source=${'s'.repeat(300)}`, { headers: admin })).status, path).toBe(200);
    }
  });

  describe('review date filters', () => {
    it.each([
      'from=99999',
      'to=275760-09-13',
      'to=%2B275760-09-13T00:00:00.000Z',
      'from=-271821-04-20',
      'to=9999-12-31',
      'from=0000-06-01',
      'from=hello%205',
      'from=2026-02-31',
      'to=2025-02-29',
      'from=2025-04-31T10:00:00Z',
      'to=2025-06-31T00:00:00%2B02:00',
    ])('%s: 400 invalid_query, on the list, the stats and the CSV', async (query) => {
      for (const path of ['/api/review/feedback', '/api/review/stats', '/api/review/feedback.csv']) {
        await expectError(await client.request(`${path}?${query}`, { headers: admin }), 400, 'invalid_query', /must be a date like 2025-01-31/);
      }
    });

    it.each([
      ['from=2026-12-07&to=2026-12-01', /^Invalid query parameters: from \(2026-12-07\) is after to \(2026-12-01\): nothing can be in between$/],
      ['from=2026-12-01T12:00:00Z&to=2026-12-01T11:59:59Z', /from \(2026-12-01T12:00:00Z\) is after to \(2026-12-01T11:59:59Z\)/],
      ['from=2026-12-02&to=2026-12-01', /from \(2026-12-02\) is after to \(2026-12-01\)/],
    ])('%s: 400 invalid_query saying from is after to, on the list, the stats and the CSV', async (query, message) => {
      for (const path of ['/api/review/feedback', '/api/review/stats', '/api/review/feedback.csv']) {
        await expectError(await client.request(`${path}?${query}`, { headers: admin }), 400, 'invalid_query', message);
      }
    });

    it.each(['from=2026-12-01&to=2026-12-01', 'from=2026-12-01T23:59:59Z&to=2026-12-01', 'from=2026-12-01T10:00:00Z&to=2026-12-01T10:00:00Z'])('%s (one day, one instant) is accepted', async (query) => {
      for (const path of ['/api/review/feedback', '/api/review/stats', '/api/review/feedback.csv']) {
        expect((await client.request(`${path}?${query}`, { headers: admin })).status, path).toBe(200);
      }
    });

    it.each(['from=2025-01-31', 'to=2025-01-31T10:00:00Z', 'from=0001-01-01&to=9999-12-30', 'to=2025-01-31T10:00:00%2B02:00', 'from=2024-02-29&to=2024-12-31'])(
      '%s is accepted',
      async (query) => {
        expect((await client.request(`/api/review/feedback?${query}`, { headers: admin })).status).toBe(200);
      },
    );
  });
});
