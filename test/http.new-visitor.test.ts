/**
 * A new visitor (no session cookie yet) gets one user. The widget's first load only reads
 * (`GET /api/settings`, `/api/sources`, `/api/chats`), which creates no user. Two requests that
 * write, sent at once, would each create one on the server (it cannot tell they come from one
 * browser); the widget's client sends them in turn until one has succeeded (site/src/chat/first-write.ts).
 */
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../server/config';
import { queryRows } from '../server/db/open';
import { createApp } from '../server/http/app';
import { DEFAULT_RETRIEVAL_SETTINGS } from '../server/retrieval/settings';
import { createDocentApi } from '../site/src/chat/api';
import { createReviewApi } from '../site/src/review/api';
import { fetchInTurn, resetTurns } from '../site/src/chat/first-write';
import { DocentChatTransport } from '../site/src/chat/transport';
import type { DocentMessage } from '../site/src/chat/types';
import { createClient } from './helpers/client';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { SERVER_DOCS } from './helpers/docs';
import { createHashingEmbedder } from './helpers/embedder';
import { seedDocuments } from './helpers/seed';
import { chatBody, readChunks } from './helpers/ui-stream';

const embedder = createHashingEmbedder();

describe('a new visitor', () => {
  let database: TestDatabase;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDocuments(database.db, embedder, SERVER_DOCS);
    app = createApp({ database, config: loadConfig({}), embedder, siteDir: false, chatRateLimit: false });
  });
  afterAll(async () => database?.close());
  afterEach(() => {
    vi.unstubAllGlobals();
    resetTurns();
  });

  const countUsers = async () => (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from users`))[0]!.n;
  const settingsOwners = async () => queryRows<{ user_id: string }>(database.db, sql`select user_id from user_retrieval_settings`);
  const chatOwners = async () => queryRows<{ user_id: string }>(database.db, sql`select user_id from chats`);
  const clearUsers = async () => {
    await database.db.execute(sql`delete from users`);
  };

  it('gets no user and no cookie from the widget’s first load, all its reads at once', async () => {
    await clearUsers();
    const client = createClient(app);
    const responses = await Promise.all(['/api/settings', '/api/sources', '/api/chats'].map((path) => client.request(path)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(responses.flatMap((r) => r.headers.getSetCookie())).toEqual([]);
    expect(await countUsers()).toBe(0);
  });

  it('gets two users from the server when two writes without a cookie arrive at once (what the client avoids)', async () => {
    await clearUsers();
    const client = createClient(app);
    const [asked, saved] = await Promise.all([
      client.json('/api/chat', 'POST', chatBody('c-server-race', 'How do I configure the server?')),
      client.json('/api/settings', 'PUT', { ...DEFAULT_RETRIEVAL_SETTINGS, maxResults: 3 }),
    ]);
    await readChunks(asked);
    expect([asked.status, saved.status]).toEqual([200, 200]);
    expect(await countUsers()).toBe(2);
  });

  it('gets one user when the widget saves settings and asks at once: both are the visitor’s', async () => {
    await clearUsers();
    // The browser: one cookie jar, which keeps the cookie of the last response that set one.
    const browser = createClient(app);
    vi.stubGlobal('fetch', (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : String(input), 'http://localhost');
      return browser.request(`${url.pathname}${url.search}`, init);
    });
    const api = createDocentApi('');
    // As ChatSession builds its transport.
    const transport = new DocentChatTransport<DocentMessage>({ api: api.url('/api/chat'), credentials: 'include', fetch: fetchInTurn(api.base) });
    const ask = async () => {
      const stream = await transport.sendMessages({
        chatId: 'c-widget-race',
        messages: [{ id: 'q1', role: 'user', parts: [{ type: 'text', text: 'How do I configure the server?' }] }],
        trigger: 'submit-message',
        messageId: undefined,
        abortSignal: undefined,
      });
      const reader = stream.getReader();
      while (!(await reader.read()).done);
    };
    await Promise.all([ask(), api.putSettings({ ...DEFAULT_RETRIEVAL_SETTINGS, maxResults: 3 })]);

    expect(await countUsers()).toBe(1);
    const [owner] = await chatOwners();
    expect(await settingsOwners()).toEqual([owner]);
    // What the visitor sees with the cookie the browser kept: the chat and the saved settings.
    expect((await api.listChats()).map((c) => c.clientChatId)).toEqual(['c-widget-race']);
    expect((await api.getSettings()).maxResults).toBe(3);
  });

  it('gets one user when the review page logs in while the widget saves settings: the admin session and the settings are the visitor’s', async () => {
    await clearUsers();
    const adminToken = 'new-visitor-admin-token-0123456789';
    const browser = createClient(createApp({ database, config: loadConfig({ ADMIN_TOKEN: adminToken }), embedder, siteDir: false, chatRateLimit: false }));
    vi.stubGlobal('fetch', (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : String(input), 'http://localhost');
      return browser.request(`${url.pathname}${url.search}`, init);
    });
    const api = createDocentApi('');
    await Promise.all([createReviewApi(api).login(adminToken), api.putSettings({ ...DEFAULT_RETRIEVAL_SETTINGS, maxResults: 3 })]);

    expect(await countUsers()).toBe(1);
    expect(await createReviewApi(api).session()).toEqual({ configured: true, admin: true });
    expect((await api.getSettings()).maxResults).toBe(3);
  });
});
