import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { createApp } from '../server/http/app';
import { queryRows } from '../server/db/open';
import { documents, messageFeedback, messages, sessions } from '../server/db/schema';
import { NO_SESSION_MESSAGE } from '../server/http/routes/feedback';
import { csvCell } from '../server/feedback/csv';
import { createClient, type TestClient } from './helpers/client';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { SERVER_DOCS } from './helpers/docs';
import { createHashingEmbedder } from './helpers/embedder';
import { seedDocuments } from './helpers/seed';
import { chatBody, readChunks } from './helpers/ui-stream';

const embedder = createHashingEmbedder();
const ADMIN_TOKEN = 'test-admin-token-0123456789';

describe('feedback, isolation and review', () => {
  let database: TestDatabase;
  let app: ReturnType<typeof createApp>;
  let alice: TestClient;
  let aliceChat: { chatId: string; messageId: string };
  const evalDir = mkdtempSync(join(tmpdir(), 'docent-eval-'));
  const evalCasesFile = join(evalDir, 'eval', 'review-cases.jsonl');

  const ask = async (client: TestClient, chatId: string, question: string) => {
    const chunks = await readChunks(await client.json('/api/chat', 'POST', chatBody(chatId, question)));
    const start = chunks[0] as { messageMetadata: { chatId: string; messageId: string } };
    return start.messageMetadata;
  };

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDocuments(database.db, embedder, SERVER_DOCS);
    app = createApp({ database, config: loadConfig({ ADMIN_TOKEN }), embedder, siteDir: false, evalCasesFile });
    alice = createClient(app);
    aliceChat = await ask(alice, 'alice-chat', 'How do I set a cookie?');
  });
  afterAll(async () => {
    await database?.close();
    rmSync(evalDir, { recursive: true, force: true });
  });

  describe('POST /api/messages/:id/feedback', () => {
    it('creates the feedback (201), then updates it (200) keeping fields left out', async () => {
      const first = await alice.json(`/api/messages/${aliceChat.messageId}/feedback`, 'POST', { vote: 'down', rating: 2 });
      expect(first.status).toBe(201);
      expect((await first.json()).feedback).toMatchObject({ messageId: aliceChat.messageId, vote: 'down', rating: 2, comment: null });

      const second = await alice.json(`/api/messages/${aliceChat.messageId}/feedback`, 'POST', {
        vote: 'down',
        comment: 'It does not say how to set httpOnly.',
      });
      expect(second.status).toBe(200);
      expect((await second.json()).feedback).toMatchObject({ vote: 'down', rating: 2, comment: 'It does not say how to set httpOnly.' });

      const chat = await (await alice.request(`/api/chats/${aliceChat.chatId}`)).json();
      expect(chat.messages[1].feedback).toMatchObject({ vote: 'down', rating: 2, comment: 'It does not say how to set httpOnly.' });
    });

    it.each([
      [{}, /vote must be "up" or "down"/],
      [{ vote: 'meh' }, /vote must be "up" or "down"/],
      [{ vote: 'up', rating: 6 }, /rating must be from 1 to 5/],
      [{ vote: 'up', rating: 2.5 }, /rating must be a whole number/],
      [{ vote: 'up', comment: 'x'.repeat(2001) }, /comment must be at most 2000 characters/],
      [{ vote: 'up', extra: 1 }, /extra/],
    ])('refuses %j with 400', async (body, message) => {
      const res = await alice.json(`/api/messages/${aliceChat.messageId}/feedback`, 'POST', body);
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toMatch(message);
    });

    it('answers 404 for a user message, an unknown id, or a malformed id', async () => {
      const chat = await (await alice.request(`/api/chats/${aliceChat.chatId}`)).json();
      for (const id of [chat.messages[0].id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
        const res = await alice.json(`/api/messages/${id}/feedback`, 'POST', { vote: 'up' });
        expect(res.status).toBe(404);
      }
    });

    it('tells a visitor whose browser sent no session cookie that the cookie was not kept, not "no answer <uuid>"', async () => {
      const res = await createClient(app).json(`/api/messages/${aliceChat.messageId}/feedback`, 'POST', { vote: 'up' });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'not_found', message: NO_SESSION_MESSAGE } });
      // A reader with a session still gets the plain 404 for an answer that is not theirs.
      const unknown = await alice.json('/api/messages/00000000-0000-4000-8000-000000000000/feedback', 'POST', { vote: 'up' });
      expect((await unknown.json()).error.message).toMatch(/^No answer "00000000-/);
    });

    it('answers 409 for an answer still being written (the reader saw part of it), 404 for anyone else', async () => {
      const chat = await ask(alice, 'alice-unfinished', 'How do I delete a cookie?');
      try {
        // As an answer whose response a proxy cut while the server was still writing it.
        await database.db.update(messages).set({ status: 'streaming' }).where(eq(messages.id, chat.messageId));
        const res = await alice.json(`/api/messages/${chat.messageId}/feedback`, 'POST', { vote: 'up' });
        expect(res.status).toBe(409);
        expect(await res.json()).toEqual({
          error: { code: 'answer_not_finished', message: 'That answer is still being written: rate it once it is complete.' },
        });
        expect((await createClient(app).json(`/api/messages/${chat.messageId}/feedback`, 'POST', { vote: 'up' })).status).toBe(404);
        // Once finished, it can be rated; a stopped or cut-off answer too (the review page shows its status).
        for (const status of ['complete', 'aborted', 'truncated'] as const) {
          await database.db.update(messages).set({ status }).where(eq(messages.id, chat.messageId));
          const rated = await alice.json(`/api/messages/${chat.messageId}/feedback`, 'POST', { vote: 'down' });
          expect(rated.status).toBeLessThan(300);
        }
        const view = await (await alice.request(`/api/chats/${chat.chatId}`)).json();
        expect(view.messages[1].feedback).toMatchObject({ vote: 'down' });
      } finally {
        // Gone again: the review tests below count only their own ratings.
        await alice.request(`/api/chats/${chat.chatId}`, { method: 'DELETE' });
      }
    });

    it('answers 409 answer_failed for an answer that failed part-way, and keeps the feedback it had', async () => {
      const chat = await ask(alice, 'alice-failed', 'How do I sign a cookie?');
      try {
        const first = await alice.json(`/api/messages/${chat.messageId}/feedback`, 'POST', { vote: 'up', rating: 4 });
        expect(first.status).toBe(201);
        // As an answer the model broke off after some text (turn.ts records it `error`, with what it had written).
        await database.db.update(messages).set({ status: 'error', error: 'The language model failed while answering.' }).where(eq(messages.id, chat.messageId));
        const res = await alice.json(`/api/messages/${chat.messageId}/feedback`, 'POST', { vote: 'down', rating: 1 });
        expect(res.status).toBe(409);
        expect(await res.json()).toEqual({
          error: {
            code: 'answer_failed',
            message: 'That answer failed before its end, so it cannot be rated: ask the question again, and rate the new answer.',
          },
        });
        // Someone else's failed answer is still a 404 (nothing said about it).
        expect((await createClient(app).json(`/api/messages/${chat.messageId}/feedback`, 'POST', { vote: 'up' })).status).toBe(404);
        // The rating given before is neither lost nor changed.
        const view = await (await alice.request(`/api/chats/${chat.chatId}`)).json();
        expect(view.messages[1]).toMatchObject({ status: 'error', feedback: { vote: 'up', rating: 4 } });
      } finally {
        // Gone again: the review tests below count only their own ratings.
        await alice.request(`/api/chats/${chat.chatId}`, { method: 'DELETE' });
      }
    });
  });

  describe('user isolation', () => {
    it('a second visitor gets 404 on the first visitor’s chat, message and feedback, and sees none of it', async () => {
      const bob = createClient(app);
      await ask(bob, 'bob-chat', 'How do I group routes?');
      expect(bob.cookie).toBeTruthy();
      expect(bob.cookie).not.toBe(alice.cookie);

      expect((await bob.request(`/api/chats/${aliceChat.chatId}`)).status).toBe(404);
      expect((await bob.request('/api/chats/alice-chat')).status).toBe(404);
      expect((await bob.request(`/api/chats/${aliceChat.chatId}`, { method: 'DELETE' })).status).toBe(404);
      const rate = await bob.json(`/api/messages/${aliceChat.messageId}/feedback`, 'POST', { vote: 'up' });
      expect(rate.status).toBe(404);
      const list = await (await bob.request('/api/chats')).json();
      expect(list.chats.map((c: { clientId: string }) => c.clientId)).toEqual(['bob-chat']);

      // The same client chat id from another user is another chat.
      const bobSameId = await ask(bob, 'alice-chat', 'How do I delete a cookie?');
      expect(bobSameId.chatId).not.toBe(aliceChat.chatId);
      const aliceView = await (await alice.request(`/api/chats/${aliceChat.chatId}`)).json();
      expect(aliceView.messages).toHaveLength(2);
      expect(aliceView.messages[1].feedback.vote).toBe('down');

      // No cookie at all: nothing to see either.
      const stranger = createClient(app);
      expect((await stranger.request(`/api/chats/${aliceChat.chatId}`)).status).toBe(404);
      expect(await (await stranger.request('/api/chats')).json()).toEqual({ chats: [] });
      expect(stranger.cookie).toBeUndefined();
    });

    it('ignores a forged or unknown session cookie (a new visitor, not an error)', async () => {
      const res = await app.request('/api/chats', { headers: { cookie: 'docent_session=forged' } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ chats: [] });
    });

    it('DELETE /api/chats/:id deletes the user’s own chat', async () => {
      const carol = createClient(app);
      const chat = await ask(carol, 'carol-chat', 'How do I write middleware?');
      const res = await carol.request(`/api/chats/${chat.chatId}`, { method: 'DELETE' });
      expect(await res.json()).toEqual({ deleted: true, id: chat.chatId });
      expect((await carol.request(`/api/chats/${chat.chatId}`)).status).toBe(404);
    });
  });

  describe('session cookie', () => {
    it('is httpOnly and SameSite=Lax, Secure only over https; only its hash is stored', async () => {
      const res = await app.request('http://localhost/api/chat', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(chatBody('cookie-check', 'How do I set a cookie?')),
      });
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('docent_session='))!;
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).not.toMatch(/Secure/);
      const token = /^docent_session=([^;]+)/.exec(cookie)![1]!;
      const { rows } = (await database.pglite!.query(`select token_hash from sessions`)) as { rows: { token_hash: string }[] };
      expect(rows.some((r) => r.token_hash === token)).toBe(false);
      expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);

      const https = await app.request('https://docs.example.com/api/chat', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(chatBody('cookie-check-2', 'How do I set a cookie?')),
      });
      expect(https.headers.getSetCookie().find((c) => c.startsWith('docent_session='))).toMatch(/Secure/);
    });

    it('is cleared, when unknown, with the attributes it is set with', async () => {
      const embedding = createApp({ database, config: loadConfig({ ADMIN_TOKEN, CORS_ORIGINS: 'https://docs.example.com' }), embedder, siteDir: false });
      const sessionCookie = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith('docent_session='))!;
      /** The cookie's attributes, without its value and lifetime. */
      const attributes = (cookie: string) =>
        cookie
          .split(';')
          .slice(1)
          .map((a) => a.trim())
          .filter((a) => !/^(Max-Age|Expires)=/i.test(a))
          .sort();
      const cases: [string, Record<string, string>, string[]][] = [
        ['http://localhost', {}, ['HttpOnly', 'Path=/', 'SameSite=Lax']],
        ['https://docent.example.com', {}, ['HttpOnly', 'Path=/', 'SameSite=Lax', 'Secure']],
        ['https://docent.example.com', { origin: 'https://docs.example.com' }, ['HttpOnly', 'Partitioned', 'Path=/', 'SameSite=None', 'Secure']],
      ];
      for (const [base, headers, expected] of cases) {
        const put = (cookie?: string) =>
          embedding.request(`${base}/api/settings`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json', ...headers, ...(cookie ? { cookie } : {}) },
            body: JSON.stringify({ enabled: true, maxResults: 3, minScore: 0.2, preferredSources: [], excludedSources: [] }),
          });
        const set = sessionCookie(await put());
        expect(attributes(set), `${base} set`).toEqual(expected);
        const cleared = await embedding.request(`${base}/api/settings`, { headers: { ...headers, cookie: 'docent_session=forged' } });
        expect(cleared.status).toBe(200);
        const clearing = sessionCookie(cleared);
        expect(clearing, base).toMatch(/^docent_session=; Max-Age=0;/);
        expect(attributes(clearing), `${base} cleared`).toEqual(expected);
      }
    });
  });

  describe('review endpoints', () => {
    const bearer = { authorization: `Bearer ${ADMIN_TOKEN}` };

    it('refuse visitors (401) and wrong tokens (401); accept the bearer token', async () => {
      const visitor = await alice.request('/api/review/feedback');
      expect(visitor.status).toBe(401);
      expect((await visitor.json()).error.code).toBe('unauthorized');
      const wrong = await app.request('/api/review/feedback', { headers: { authorization: 'Bearer nope-nope-nope-nope' } });
      expect(wrong.status).toBe(401);
      expect((await wrong.json()).error.code).toBe('invalid_token');
      expect((await app.request('/api/review/feedback', { headers: bearer })).status).toBe(200);
    });

    it('answer 403 with a message to set ADMIN_TOKEN when none is configured', async () => {
      const noAdmin = createApp({ database, config: loadConfig({}), embedder, siteDir: false });
      const res = await noAdmin.request('/api/review/feedback', { headers: bearer });
      expect(res.status).toBe(403);
      expect((await res.json()).error).toMatchObject({ code: 'admin_disabled', message: expect.stringContaining('ADMIN_TOKEN') });
      const login = await createClient(noAdmin).json('/api/admin/login', 'POST', { token: ADMIN_TOKEN });
      expect(login.status).toBe(403);
    });

    it('POST /api/admin/login turns the visitor’s own session into an admin session; logout ends it', async () => {
      const admin = createClient(app);
      expect(await (await admin.request('/api/admin/session')).json()).toEqual({ configured: true, admin: false });
      expect((await admin.json('/api/admin/login', 'POST', { token: 'wrong-token-wrong-token' })).status).toBe(401);
      expect((await admin.request('/api/review/stats')).status).toBe(401);
      const login = await admin.json('/api/admin/login', 'POST', { token: ADMIN_TOKEN });
      expect(login.status).toBe(200);
      expect(admin.cookie).toBeTruthy();
      expect(await (await admin.request('/api/admin/session')).json()).toEqual({ configured: true, admin: true });
      expect((await admin.request('/api/review/stats')).status).toBe(200);
      await admin.request('/api/admin/logout', { method: 'POST' });
      expect((await admin.request('/api/review/stats')).status).toBe(401);
    });

    it('an admin session keeps working behind a proxy that sends its own Authorization (HTTP Basic), which is not a wrong token', async () => {
      const limited = createApp({ database, config: loadConfig({ ADMIN_TOKEN }), embedder, siteDir: false, adminFailureLimit: { max: 1, windowMs: 60_000 } });
      const admin = createClient(limited);
      expect((await admin.json('/api/admin/login', 'POST', { token: ADMIN_TOKEN })).status).toBe(200);
      const basic = { authorization: 'Basic cmVhZGVyOnNlY3JldA==' };
      for (let i = 0; i < 3; i++) expect((await admin.request('/api/review/stats', { headers: basic })).status).toBe(200);
      expect(await (await admin.request('/api/admin/session', { headers: basic })).json()).toEqual({ configured: true, admin: true });
      // Without a session, a Basic credential is no admin right either, and no wrong token.
      const visitor = createClient(limited);
      const refused = await visitor.request('/api/review/stats', { headers: basic });
      expect(refused.status).toBe(401);
      expect((await refused.json()).error.code).toBe('unauthorized');
      // Bearer tokens are still checked: right opens, wrong is refused (and counted).
      expect((await limited.request('/api/review/stats', { headers: { authorization: `bearer ${ADMIN_TOKEN}` } })).status).toBe(200);
      expect((await limited.request('/api/review/stats', { headers: { authorization: 'Bearer nope-nope-nope-nope' } })).status).toBe(401);
    });

    it('POST /api/admin/login gives the session a new token: a token known before the login never becomes admin', async () => {
      const victim = createClient(app);
      await ask(victim, 'fixation-chat', 'How do I set a cookie?');
      const planted = victim.cookie!;
      const login = await victim.json('/api/admin/login', 'POST', { token: ADMIN_TOKEN });
      expect(login.status).toBe(200);
      expect(victim.cookie).toBeTruthy();
      expect(victim.cookie).not.toBe(planted);
      expect((await victim.request('/api/review/stats')).status).toBe(200);
      // Same reader: their chats stay theirs.
      expect((await victim.request('/api/chats/fixation-chat')).status).toBe(200);

      const attacker = createClient(app);
      attacker.cookie = planted;
      expect((await attacker.request('/api/review/stats')).status).toBe(401);
      expect(await (await attacker.request('/api/admin/session')).json()).toEqual({ configured: true, admin: false });
    });

    it('an admin session ends when ADMIN_TOKEN is rotated, and only that session is admin', async () => {
      const admin = createClient(app);
      expect((await admin.json('/api/admin/login', 'POST', { token: ADMIN_TOKEN })).status).toBe(200);
      expect((await admin.request('/api/review/stats')).status).toBe(200);

      const rotated = createApp({
        database,
        config: loadConfig({ ADMIN_TOKEN: 'a-brand-new-admin-token-0123' }),
        embedder,
        siteDir: false,
      });
      const sameBrowser = createClient(rotated);
      sameBrowser.cookie = admin.cookie;
      expect((await sameBrowser.request('/api/review/stats')).status).toBe(401);
      expect(await (await sameBrowser.request('/api/admin/session')).json()).toEqual({ configured: true, admin: false });

      const stored = await database.db.select({ digest: sessions.adminTokenDigest }).from(sessions);
      expect(stored.some((row) => row.digest !== null)).toBe(true);
      expect(stored.every((row) => row.digest === null || !row.digest.includes(ADMIN_TOKEN))).toBe(true);
      // Another session of no admin stays a visitor.
      expect((await alice.request('/api/review/stats')).status).toBe(401);
    });

    it('GET /api/review/feedback lists rated answers with question, sources, scores, settings and comment, filtered', async () => {
      const dave = createClient(app);
      const up = await ask(dave, 'dave-chat', 'How do I write middleware?');
      await dave.json(`/api/messages/${up.messageId}/feedback`, 'POST', { vote: 'up', rating: 5 });

      const all = await (await app.request('/api/review/feedback', { headers: bearer })).json();
      expect(all.total).toBe(2);
      expect(all.items[0]).toMatchObject({ messageId: up.messageId, vote: 'up', rating: 5, question: 'How do I write middleware?' });
      const down = all.items[1];
      expect(down).toMatchObject({
        messageId: aliceChat.messageId,
        chatId: aliceChat.chatId,
        vote: 'down',
        rating: 2,
        comment: 'It does not say how to set httpOnly.',
        question: 'How do I set a cookie?',
        status: 'complete',
        model: 'extractive',
        retrievalSettings: { enabled: true, maxResults: 5, minScore: 0.45 },
      });
      expect(down.answer).toContain('setCookie');
      expect(down.sources[0]).toMatchObject({ rank: 1, path: 'guides/cookies.md', heading: 'Set a cookie', cited: true });
      expect(down.sources[0].score).toBeGreaterThan(0);

      const get = async (query: string) => (await (await app.request(`/api/review/feedback?${query}`, { headers: bearer })).json()).items.map((i: { vote: string }) => i.vote);
      expect(await get('vote=down')).toEqual(['down']);
      expect(await get('rating=5')).toEqual(['up']);
      expect(await get('hasComment=true')).toEqual(['down']);
      expect(await get('hasComment=false')).toEqual(['up']);
      expect(await get('source=guides/cookies')).toEqual(['down']);
      expect(await get('source=guides/middleware.md')).toEqual(['up']);
      expect(await get('from=2000-01-01&to=2000-12-31')).toEqual([]);
      const today = new Date().toISOString().slice(0, 10);
      expect(await get(`from=${today}&to=${today}`)).toHaveLength(2);
      expect(await get('limit=1&offset=1')).toEqual(['down']);

      const bad = await app.request('/api/review/feedback?rating=9&from=yesterday', { headers: bearer });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.message).toMatch(/rating must be 1–5.*from must be a date/);
    });

    it('GET /api/review/stats counts votes, the positive rate per week and documents behind down-votes', async () => {
      const stats = await (await app.request('/api/review/stats', { headers: bearer })).json();
      expect(stats.totals).toMatchObject({ feedback: 2, up: 1, down: 1, positiveRate: 0.5, withComment: 1, rated: 2, averageRating: 3.5 });
      expect(stats.totals.ratings).toEqual({ '1': 0, '2': 1, '3': 0, '4': 0, '5': 1 });
      expect(stats.totals.answers).toBeGreaterThanOrEqual(5);
      expect(stats.weekly).toHaveLength(1);
      expect(stats.weekly[0]).toMatchObject({ feedback: 2, up: 1, down: 1, positiveRate: 0.5 });
      expect(stats.weekly[0].week).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(stats.downvotedDocuments[0]).toMatchObject({ path: 'guides/cookies.md', cited: 1, retrieved: 1 });
    });

    it('GET /api/review/stats?source= counts only the answers that retrieved that source', async () => {
      const answers = async (query: string) => (await (await app.request(`/api/review/stats${query}`, { headers: bearer })).json()).totals.answers;
      const all = await answers('');
      const cookies = await answers('?source=guides/cookies.md');
      expect(cookies).toBeGreaterThan(0);
      expect(cookies).toBeLessThan(all);
      expect(await answers('?source=no-such-page.md')).toBe(0);
    });

    it('GET /api/review/feedback.csv exports the filtered list in UTF-8 with a byte-order mark, safe for spreadsheets', async () => {
      const eve = createClient(app);
      const m = await ask(eve, 'eve-chat', 'How do I delete a cookie?');
      await eve.json(`/api/messages/${m.messageId}/feedback`, 'POST', { vote: 'down', comment: '=HYPERLINK("http://evil")' });
      const res = await app.request('/api/review/feedback.csv?vote=down', { headers: bearer });
      expect(res.headers.get('content-type')).toContain('text/csv');
      expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="docent-feedback-/);
      const bytes = new Uint8Array(await res.arrayBuffer());
      // Excel reads a CSV without the UTF-8 byte-order mark in the local ANSI code page.
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
      const lines = csv.split('\r\n');
      expect(lines[0]).toBe(
        'feedback_id,message_id,created_at,vote,rating,comment,question,answer,status,model,latency_ms,sources,cited,invalid_citations,retrieval_settings,retrieval_query,updated_at',
      );
      expect(lines.filter((l) => l.startsWith('\uFEFF'))).toEqual([]);
      expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
      for (const formula of ['+1+1', '-1+1', '@SUM(A1)', '\tcmd', '＝1+1', '＋1', '－1', '＠SUM(A1)']) expect(csvCell(formula)).toBe(`'${formula}`);
      expect(csvCell('1 = 1')).toBe('1 = 1');
      expect(csv).toContain('It does not say how to set httpOnly.');
      expect(csv).not.toContain('How do I write middleware?');
    });

    it('POST /api/review/eval-cases appends the question and the gold sections to the eval JSONL (same id: replaced)', async () => {
      const gold = [{ path: 'guides/cookies.md', heading: 'Set a cookie' }];
      const denied = await alice.json('/api/review/eval-cases', 'POST', { messageId: aliceChat.messageId, gold });
      expect(denied.status).toBe(401);
      const res = await app.request('/api/review/eval-cases', {
        method: 'POST',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: JSON.stringify({ messageId: aliceChat.messageId, gold }),
      });
      expect(res.status).toBe(201);
      const body = await res.json();
      const id = `review-${aliceChat.messageId.slice(0, 8)}`;
      expect(body).toMatchObject({ id, case: { id, question: 'How do I set a cookie?', gold } });
      await app.request('/api/review/eval-cases', {
        method: 'POST',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: JSON.stringify({ messageId: aliceChat.messageId, gold: [...gold, { path: 'guides/cookies.md', heading: 'Delete a cookie' }], question: 'How to set cookies?' }),
      });
      const lines = readFileSync(evalCasesFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(lines).toEqual([{ id, question: 'How to set cookies?', gold: [...gold, { path: 'guides/cookies.md', heading: 'Delete a cookie' }] }]);
      const download = await app.request('/api/review/eval-cases.jsonl', { headers: bearer });
      expect((await download.text()).trim()).toBe(JSON.stringify(lines[0]));

      const bad = await app.request('/api/review/eval-cases', {
        method: 'POST',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: JSON.stringify({ messageId: aliceChat.messageId, gold: [] }),
      });
      expect((await bad.json()).error.message).toMatch(/mark at least one source as right/);

      // A gold page that is not in the index: the eval could never find it, and nothing is written.
      const unknown = await app.request('/api/review/eval-cases', {
        method: 'POST',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: JSON.stringify({ messageId: aliceChat.messageId, gold: [...gold, { path: 'guides/cokies.md', heading: 'Set a cookie' }], id: 'typo' }),
      });
      expect(unknown.status).toBe(400);
      expect((await unknown.json()).error).toEqual({ code: 'invalid_body', message: 'Invalid request body: gold: "guides/cokies.md" is not an indexed page' });
      expect(readFileSync(evalCasesFile, 'utf8')).not.toContain('typo');
    });

    it('POST /api/review/eval-cases refuses a gold heading its page does not have, and writes a loosely written one as the page has it', async () => {
      const exportCase = (gold: { path: string; heading: string }[], id: string) =>
        app.request('/api/review/eval-cases', {
          method: 'POST',
          headers: { ...bearer, 'content-type': 'application/json' },
          body: JSON.stringify({ messageId: aliceChat.messageId, gold, id }),
        });
      const written = () => readFileSync(evalCasesFile, 'utf8');

      // A typo: the eval could never hit that section; the heading meant is named.
      const typo = await exportCase([{ path: 'guides/cookies.md', heading: 'Set a cokie' }], 'heading-typo');
      expect(typo.status).toBe(400);
      expect((await typo.json()).error).toEqual({
        code: 'invalid_body',
        message: 'Invalid request body: gold.0.heading: "Set a cokie" is not a heading of guides/cookies.md (did you mean "Set a cookie"?)',
      });
      // Another page's heading, and no heading at all: nothing close to suggest.
      const elsewhere = await exportCase(
        [
          { path: 'guides/cookies.md', heading: 'Set a cookie' },
          { path: 'guides/cookies.md', heading: 'Writing middleware' },
          { path: 'api/routing.md', heading: '' },
        ],
        'heading-elsewhere',
      );
      expect(elsewhere.status).toBe(400);
      expect((await elsewhere.json()).error.message).toBe(
        'Invalid request body: gold.1.heading: "Writing middleware" is not a heading of guides/cookies.md; gold.2.heading: "" is not a heading of api/routing.md',
      );
      expect(written()).not.toMatch(/heading-typo|heading-elsewhere/);

      // Case, spacing, a copied `## ` and `{#id}`: the same heading, written as the page has it;
      // the page's title is a heading of each of its sections.
      const loose = await exportCase(
        [
          { path: 'guides/cookies.md', heading: '## set a  COOKIE {#set}' },
          { path: 'api/routing.md', heading: 'Routing' },
        ],
        'heading-loose',
      );
      expect(loose.status).toBe(201);
      const gold = [
        { path: 'guides/cookies.md', heading: 'Set a cookie' },
        { path: 'api/routing.md', heading: 'Routing' },
      ];
      expect((await loose.json()).case.gold).toEqual(gold);
      expect(written()).toContain(JSON.stringify({ id: 'heading-loose', question: 'How do I set a cookie?', gold }));
    });

    it('sorts, filters and charts feedback by when it was last given or changed, and keeps the first date', async () => {
      const frank = createClient(app);
      const answer = await ask(frank, 'frank-chat', 'How do I group routes?');
      const rate = (vote: 'up' | 'down') => frank.json(`/api/messages/${answer.messageId}/feedback`, 'POST', { vote, rating: 4, comment: null });
      expect((await rate('up')).status).toBe(201);
      const longAgo = new Date('2020-01-07T10:00:00Z');
      await database.db.update(messageFeedback).set({ createdAt: longAgo, updatedAt: longAgo }).where(eq(messageFeedback.messageId, answer.messageId));
      const list = async (query: string) => (await (await app.request(`/api/review/feedback?${query}`, { headers: bearer })).json()) as { items: { messageId: string; vote: string; createdAt: string; updatedAt: string }[] };
      const frankIn = async (query: string) => (await list(query)).items.find((i) => i.messageId === answer.messageId);
      expect(await frankIn('from=2020-01-07&to=2020-01-07')).toBeDefined();

      // The same feedback sent again (the widget sends every field each time) is no change.
      expect((await rate('up')).status).toBe(200);
      expect((await frankIn('from=2020-01-07&to=2020-01-07'))?.updatedAt).toBe(longAgo.toISOString());

      // The reader changes their mind today: the feedback is today's, first in the list.
      expect((await rate('down')).status).toBe(200);
      const today = new Date().toISOString().slice(0, 10);
      expect(await frankIn('from=2020-01-07&to=2020-01-07')).toBeUndefined();
      const changed = await frankIn(`from=${today}`);
      expect(changed).toMatchObject({ vote: 'down', createdAt: longAgo.toISOString() });
      expect(Date.parse(changed!.updatedAt)).toBeGreaterThan(Date.parse(changed!.createdAt));
      expect((await list('')).items[0]!.messageId).toBe(answer.messageId);
      const stats = await (await app.request('/api/review/stats', { headers: bearer })).json();
      expect(stats.weekly.map((w: { week: string }) => w.week)).not.toContain('2020-01-06');
      const csv = await (await app.request('/api/review/feedback.csv', { headers: bearer })).text();
      expect(csv.split('\r\n')[1]).toMatch(new RegExp(`^[^,]+,${answer.messageId},2020-01-07T10:00:00.000Z,down,.*,${today}T[^,]+$`, 's'));
    });

    it('marks sources whose page is no longer indexed, or whose section no longer exists', async () => {
      const sourcesOf = async (question: string) => {
        const { items } = (await (await app.request('/api/review/feedback?limit=200', { headers: bearer })).json()) as {
          items: { question: string; sources: { path: string; heading: string; pageRemoved: boolean; sectionRemoved: boolean }[] }[];
        };
        return items.find((i) => i.question === question)!.sources;
      };
      const cookie = async () => (await sourcesOf('How do I set a cookie?')).find((s) => s.path === 'guides/cookies.md' && s.heading === 'Set a cookie')!;
      expect(await cookie()).toMatchObject({ pageRemoved: false, sectionRemoved: false });

      // The heading was renamed: the page is there, its old anchor is not.
      await queryRows(database.db, sql`update chunks set anchor = anchor || '-renamed' where document_id in (select id from documents where path = 'guides/cookies.md')`);
      expect(await cookie()).toMatchObject({ pageRemoved: false, sectionRemoved: true });
      const middleware = (await sourcesOf('How do I write middleware?')).find((s) => s.path === 'guides/middleware.md')!;
      expect(middleware).toMatchObject({ pageRemoved: false, sectionRemoved: false });

      // The page was deleted: its links are dead, and the chart says so.
      await database.db.delete(documents).where(eq(documents.path, 'guides/cookies.md'));
      expect(await cookie()).toMatchObject({ pageRemoved: true, sectionRemoved: false });
      const stats = await (await app.request('/api/review/stats', { headers: bearer })).json();
      const documentsBehindDownVotes = stats.downvotedDocuments as { path: string; pageRemoved: boolean }[];
      expect(documentsBehindDownVotes.find((d) => d.path === 'guides/cookies.md')).toMatchObject({ pageRemoved: true });
      expect(documentsBehindDownVotes.filter((d) => d.path !== 'guides/cookies.md').every((d) => d.pageRemoved === false)).toBe(true);
    });
  });
});
