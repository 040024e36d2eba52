/**
 * One reader never reaches another's data, on every route that reads or writes chats, messages,
 * feedback or settings: by the other's ids (server or client, in the path or in the body), with a
 * forged or expired session cookie, or by racing two requests. The review data needs the admin
 * token, sent as a bearer token (or an admin session), and nothing else opens it.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { queryRows } from '../server/db/open';
import { sessions } from '../server/db/schema';
import { hashToken } from '../server/http/auth';
import { createApp } from '../server/http/app';
import { DEFAULT_RETRIEVAL_SETTINGS } from '../server/retrieval/settings';
import { createClient, type TestClient } from './helpers/client';
import { createTestDatabase, DRIVER_KINDS, type TestDatabase } from './helpers/database';
import { SERVER_DOCS } from './helpers/docs';
import { createHashingEmbedder } from './helpers/embedder';
import { seedDocuments } from './helpers/seed';
import { chatBody, readChunks } from './helpers/ui-stream';

const embedder = createHashingEmbedder();
const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** Asks `question` in the client chat `chatId`; the ids of the chat and of the answer. */
async function ask(client: TestClient, chatId: string, question: string) {
  const res = await client.json('/api/chat', 'POST', chatBody(chatId, question, `${chatId}-q`));
  expect(res.status).toBe(200);
  const start = (await readChunks(res))[0] as { messageMetadata: { chatId: string; messageId: string } };
  return start.messageMetadata;
}

/** Everything a reader has, as the API shows it to them. */
async function everythingOf(client: TestClient) {
  const { chats } = (await (await client.request('/api/chats')).json()) as { chats: { id: string }[] };
  const views = await Promise.all(chats.map(async (c) => (await client.request(`/api/chats/${c.id}`)).json()));
  const settings = await (await client.request('/api/settings')).json();
  return { chats: views, settings };
}

describe.each(DRIVER_KINDS)('one reader and another’s data, through %s', (kind) => {
  let database: TestDatabase;
  let app: ReturnType<typeof createApp>;
  let alice: TestClient;
  let aliceTurn: { chatId: string; messageId: string };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedDocuments(database.db, embedder, SERVER_DOCS);
    app = createApp({ database, config: loadConfig({ ADMIN_TOKEN }), embedder, siteDir: false, chatRateLimit: false, newUserRateLimit: false });
    alice = createClient(app);
    aliceTurn = await ask(alice, 'alice-chat', 'How do I set a cookie?');
    expect((await alice.json(`/api/messages/${aliceTurn.messageId}/feedback`, 'POST', { vote: 'down', rating: 2, comment: 'Too short.' })).status).toBe(201);
    expect((await alice.json('/api/settings', 'PUT', { ...DEFAULT_RETRIEVAL_SETTINGS, maxResults: 3, excludedSources: ['docs/api/'] })).status).toBe(200);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('another reader gets 404 for every id of the first reader’s, in the path or in the body, and changes nothing of theirs', async () => {
    const before = await everythingOf(alice);
    const bob = createClient(app);
    const bobTurn = await ask(bob, 'bob-chat', 'How do I group routes?');

    for (const id of [aliceTurn.chatId, 'alice-chat']) {
      expect((await bob.request(`/api/chats/${id}`)).status, `GET ${id}`).toBe(404);
      expect((await bob.request(`/api/chats/${id}`, { method: 'DELETE' })).status, `DELETE ${id}`).toBe(404);
      // A follow-up in the first reader's chat, named by the body's chat id.
      const followUp = await bob.json('/api/chat', 'POST', {
        id,
        messages: [
          { id: 'alice-chat-q', role: 'user', parts: [{ type: 'text', text: 'How do I set a cookie?' }] },
          { id: aliceTurn.messageId, role: 'assistant', parts: [{ type: 'text', text: 'an answer' }] },
          { id: 'bob-q', role: 'user', parts: [{ type: 'text', text: 'What did I ask before?' }] },
        ],
        trigger: 'submit-message',
      });
      expect(followUp.status, `follow-up in ${id}`).toBe(404);
      expect(((await followUp.json()) as { error: { code: string } }).error.code).toBe('chat_not_found');
    }
    // The first reader's answer, named in the body of a regenerate in the reader's own chat.
    const named = await bob.json('/api/chat', 'POST', { ...chatBody('bob-chat', 'How do I group routes?', 'bob-chat-q'), trigger: 'regenerate-message', messageId: aliceTurn.messageId });
    expect(named.status).toBe(404);
    expect(((await named.json()) as { error: { code: string } }).error.code).toBe('message_not_found');
    // Rating it, and rating the first reader's question.
    const rated = await bob.json(`/api/messages/${aliceTurn.messageId}/feedback`, 'POST', { vote: 'up', rating: 5 });
    expect(rated.status).toBe(404);
    expect(await rated.json()).toEqual({ error: { code: 'not_found', message: `No answer "${aliceTurn.messageId}" among your messages.` } });
    // The reader's own answer's 404 and another's are the same: nothing tells that an id exists.
    const unknown = await bob.json('/api/messages/00000000-0000-4000-8000-000000000000/feedback', 'POST', { vote: 'up' });
    expect(unknown.status).toBe(404);
    // Their own settings, saved and then cleared, are theirs only.
    expect((await bob.json('/api/settings', 'PUT', { ...DEFAULT_RETRIEVAL_SETTINGS, maxResults: 7 })).status).toBe(200);
    expect((await bob.request('/api/settings', { method: 'DELETE' })).status).toBe(200);

    const bobs = await everythingOf(bob);
    expect(bobs.chats.map((c) => c.id)).toEqual([bobTurn.chatId]);
    expect(bobs.settings).toMatchObject({ maxResults: DEFAULT_RETRIEVAL_SETTINGS.maxResults, excludedSources: [] });
    expect(await everythingOf(alice)).toEqual(before);
    const [feedback] = await queryRows<{ n: number | string }>(database.db, sql`select count(*) as n from message_feedback`);
    expect(Number(feedback!.n)).toBe(1);
  });

  it('a forged or expired session cookie is a new visitor: it reads, rates and deletes nothing of the reader it was', async () => {
    const carol = createClient(app);
    const carolTurn = await ask(carol, 'carol-chat', 'How do I write middleware?');
    const stale = createClient(app);
    stale.cookie = carol.cookie;
    await database.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.tokenHash, hashToken(carol.cookie!)));
    for (const cookie of [carol.cookie!, 'forged', `${carol.cookie!.slice(0, -1)}A`]) {
      const visitor = createClient(app);
      visitor.cookie = cookie;
      expect(await (await visitor.request('/api/chats')).json()).toEqual({ chats: [] });
      expect((await visitor.request(`/api/chats/${carolTurn.chatId}`)).status).toBe(404);
      expect((await visitor.request(`/api/chats/${carolTurn.chatId}`, { method: 'DELETE' })).status).toBe(404);
      expect((await visitor.json(`/api/messages/${carolTurn.messageId}/feedback`, 'POST', { vote: 'up' })).status).toBe(404);
    }
    // A question with the expired cookie starts a new reader, with a new cookie, and a chat of its own.
    const asked = await ask(stale, 'carol-chat', 'How do I delete a cookie?');
    expect(stale.cookie).toBeTruthy();
    expect(stale.cookie).not.toBe(carol.cookie);
    expect(asked.chatId).not.toBe(carolTurn.chatId);
    const [row] = await queryRows<{ n: number | string }>(database.db, sql`select count(*) as n from messages where chat_id = ${carolTurn.chatId}`);
    expect(Number(row!.n)).toBe(2);
  });

  it('a rating sent while its chat is being deleted (in another tab) is saved or refused with 404, never a 500', async () => {
    for (let i = 0; i < 3; i++) {
      const turn = await ask(alice, `deleted-while-rated-${i}`, 'How do I delete a cookie?');
      const [rated, deleted] = await Promise.all([
        alice.json(`/api/messages/${turn.messageId}/feedback`, 'POST', { vote: 'up', comment: 'Clear.' }),
        alice.request(`/api/chats/${turn.chatId}`, { method: 'DELETE' }),
      ]);
      expect(deleted.status).toBe(200);
      expect([201, 404], await rated.clone().text()).toContain(rated.status);
      // Whichever came first, the rating went with the chat.
      const [left] = await queryRows<{ n: number | string }>(database.db, sql`select count(*) as n from message_feedback where message_id = ${turn.messageId}`);
      expect(Number(left!.n)).toBe(0);
    }
  });
});

describe('the review data and the admin token', () => {
  let database: TestDatabase;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDocuments(database.db, embedder, SERVER_DOCS);
    // No limit on wrong tokens here: each answer below is the token's, not the limit's.
    app = createApp({ database, config: loadConfig({ ADMIN_TOKEN }), embedder, siteDir: false, evalCasesFile: join(tmpdir(), 'docent-isolation-no-cases', 'cases.jsonl'), adminFailureLimit: false, runIngest: async () => { throw new Error('no ingest in this test'); } });
    const reader = createClient(app);
    const turn = await ask(reader, 'rated', 'How do I set a cookie?');
    await reader.json(`/api/messages/${turn.messageId}/feedback`, 'POST', { vote: 'down', comment: 'A private comment.' });
  });
  afterAll(async () => {
    await database?.close();
  });

  const routes: [string, string, unknown?][] = [
    ['GET', '/api/review/feedback'],
    ['HEAD', '/api/review/feedback'],
    ['GET', '/api/review/stats'],
    ['GET', '/api/review/feedback.csv'],
    ['GET', '/api/review/eval-cases.jsonl'],
    ['POST', '/api/review/eval-cases', { messageId: '00000000-0000-4000-8000-000000000000', gold: [] }],
    ['POST', '/api/admin/ingest', { content: '/' }],
  ];
  const send = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it.each(routes)('%s %s: the right bearer token opens it; no token, and the token anywhere else, does not', async (method, path, body) => {
    const right = await send(method, path, body, { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(right.status, 'with the token').not.toBe(401);
    expect(right.status).toBeLessThan(500);

    const refused: [string, Record<string, string>, string][] = [
      ['no token', {}, ''],
      ['the token in the query string', {}, `?token=${ADMIN_TOKEN}&access_token=${ADMIN_TOKEN}&admin_token=${ADMIN_TOKEN}`],
      ['the token as the session cookie', { cookie: `docent_session=${ADMIN_TOKEN}` }, ''],
      ['the token as another cookie', { cookie: `admin_token=${ADMIN_TOKEN}; ADMIN_TOKEN=${ADMIN_TOKEN}` }, ''],
      ['the token in another scheme', { authorization: `Token ${ADMIN_TOKEN}` }, ''],
      ['the token as HTTP Basic', { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` }, ''],
      ['the token in another header', { 'x-admin-token': ADMIN_TOKEN }, ''],
      ['an empty bearer token', { authorization: 'Bearer ' }, ''],
      ['the token and one more character', { authorization: `Bearer ${ADMIN_TOKEN}x` }, ''],
      ['the token less its last character', { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}` }, ''],
      ['the token in another case', { authorization: `Bearer ${ADMIN_TOKEN.toUpperCase()}` }, ''],
      ['a token of 10,000 characters', { authorization: `Bearer ${'a'.repeat(10_000)}` }, ''],
    ];
    for (const [what, headers, query] of refused) {
      const res = await send(method, `${path}${query}`, body, headers);
      expect(res.status, what).toBe(401);
      const text = await res.text();
      if (method !== 'HEAD') expect(JSON.parse(text).error.code, what).toMatch(/^(unauthorized|invalid_token)$/);
      expect(text, what).not.toContain('private comment');
    }
  });
});
