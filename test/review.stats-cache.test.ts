import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import type { FeedbackStats } from '../server/feedback/review';
import { createStatsCache, STATS_CACHE_TTL_MS } from '../server/feedback/stats-cache';
import { createApp } from '../server/http/app';
import { createClient } from './helpers/client';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { SERVER_DOCS } from './helpers/docs';
import { createHashingEmbedder } from './helpers/embedder';
import { seedDocuments } from './helpers/seed';
import { chatBody, readChunks } from './helpers/ui-stream';

const ADMIN_TOKEN = 'stats-cache-admin-token-0123456789';
const statsOf = (feedback: number) => ({ totals: { feedback } }) as unknown as FeedbackStats;
/** Lets the cache read its stamp and start the computation. */
const started = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createStatsCache', () => {
  it('keeps the statistics of a filter for its time, whatever page of the list was asked for', async () => {
    let time = 0;
    let computed = 0;
    const cache = createStatsCache({ now: () => time });
    const compute = async () => statsOf(++computed);
    expect(await cache.get({ vote: 'down' }, compute)).toEqual(statsOf(1));
    time = STATS_CACHE_TTL_MS - 1;
    expect(await cache.get({ vote: 'down', limit: 10, offset: 50 }, compute)).toEqual(statsOf(1));
    expect(await cache.get({ vote: 'up' }, compute)).toEqual(statsOf(2));
    expect(await cache.get({ vote: 'down', timeZone: 'Europe/Paris' }, compute)).toEqual(statsOf(3));
    time = STATS_CACHE_TTL_MS;
    expect(await cache.get({ vote: 'down' }, compute)).toEqual(statsOf(4));
  });

  it('shares one computation among identical requests that arrive together', async () => {
    let computed = 0;
    let finish!: () => void;
    const cache = createStatsCache();
    const compute = () => new Promise<FeedbackStats>((resolve) => (finish = () => resolve(statsOf(++computed))));
    const both = Promise.all([cache.get({}, compute), cache.get({ timeZone: 'UTC' }, compute)]);
    await started();
    finish();
    expect(await both).toEqual([statsOf(1), statsOf(1)]);
  });

  it('forgets everything on invalidate, also statistics still being read when feedback changed, and never keeps a failure', async () => {
    let computed = 0;
    const cache = createStatsCache();
    const compute = async () => statsOf(++computed);
    await cache.get({}, compute);
    cache.invalidate();
    expect(await cache.get({}, compute)).toEqual(statsOf(2));

    let finish!: () => void;
    const reading = cache.get({ rating: 1 }, () => new Promise<FeedbackStats>((resolve) => (finish = () => resolve(statsOf(++computed)))));
    await started();
    cache.invalidate();
    finish();
    expect(await reading).toEqual(statsOf(3));
    expect(await cache.get({ rating: 1 }, compute)).toEqual(statsOf(4));

    await expect(cache.get({ rating: 2 }, () => Promise.reject(new Error('database closed')))).rejects.toThrow('database closed');
    expect(await cache.get({ rating: 2 }, compute)).toEqual(statsOf(5));
  });

  it('uses kept statistics only while their stamp (the indexed pages) is the same', async () => {
    let computed = 0;
    let pages = 'v1';
    const cache = createStatsCache({ stamp: async () => pages });
    const compute = async () => statsOf(++computed);
    await cache.get({}, compute);
    expect(await cache.get({}, compute)).toEqual(statsOf(1));
    pages = 'v2';
    expect(await cache.get({}, compute)).toEqual(statsOf(2));
  });

  it('keeps nothing with ttlMs 0', async () => {
    let computed = 0;
    const cache = createStatsCache({ ttlMs: 0 });
    await cache.get({}, async () => statsOf(++computed));
    expect(await cache.get({}, async () => statsOf(++computed))).toEqual(statsOf(2));
  });
});

describe('GET /api/review/stats on the embedded database', () => {
  let database: TestDatabase;
  let statements = 0;
  let app: ReturnType<typeof createApp>;
  const embedder = createHashingEmbedder();

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDocuments(database.db, embedder, SERVER_DOCS);
    const counting = new Proxy(database.db, {
      get(target, key, receiver) {
        if (key !== 'execute') return Reflect.get(target, key, receiver);
        return (...args: Parameters<typeof target.execute>) => {
          statements++;
          return target.execute(...args);
        };
      },
    });
    app = createApp({ database: { ...database, db: counting }, config: loadConfig({ ADMIN_TOKEN }), embedder, siteDir: false });
  });
  afterAll(async () => database?.close());

  const stats = async () => {
    const before = statements;
    const res = await app.request('/api/review/stats', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as FeedbackStats;
    // Kept statistics cost one statement, the stamp of the indexed pages; read ones more (the stamp, then the statistics' slices).
    const read = statements - before;
    expect(read).toBeGreaterThan(0);
    return { feedback: body.totals.feedback, down: body.totals.down, kept: read === 1 };
  };

  it('answers the same filters again with one read of the indexed pages only, and shows new or changed feedback at once', async () => {
    expect(await stats()).toEqual({ feedback: 0, down: 0, kept: false });
    expect(await stats()).toEqual({ feedback: 0, down: 0, kept: true });

    const reader = createClient(app);
    const chunks = await readChunks(await reader.json('/api/chat', 'POST', chatBody('stats-cache-chat', 'How do I set a cookie?')));
    const { chatId, messageId } = (chunks[0] as { messageMetadata: { chatId: string; messageId: string } }).messageMetadata;
    expect((await reader.json(`/api/messages/${messageId}/feedback`, 'POST', { vote: 'up' })).status).toBe(201);
    expect(await stats()).toMatchObject({ feedback: 1, down: 0, kept: false });
    expect((await reader.json(`/api/messages/${messageId}/feedback`, 'POST', { vote: 'down' })).status).toBe(200);
    expect(await stats()).toMatchObject({ feedback: 1, down: 1, kept: false });
    // A reader deleting their chat takes its feedback with it.
    expect((await reader.request(`/api/chats/${chatId}`, { method: 'DELETE' })).status).toBe(200);
    expect(await stats()).toMatchObject({ feedback: 0, kept: false });
  });

  it('does not use kept statistics once a page was removed: they say which pages are', async () => {
    await stats();
    expect((await stats()).kept).toBe(true);
    await database.db.execute(sql`delete from documents where id = (select id from documents order by path limit 1)`);
    expect((await stats()).kept).toBe(false);
  });

  it('is not kept on Postgres, which answers requests side by side and may be written by other instances', async () => {
    const postgresApp = createApp({ database: { ...database, kind: 'postgres' }, config: loadConfig({ ADMIN_TOKEN }), siteDir: false });
    const feedback = async () =>
      ((await (await postgresApp.request('/api/review/stats', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as FeedbackStats).totals.feedback;
    expect(await feedback()).toBe(0);
    // Feedback written by another instance: this one's statistics show it on the next request.
    await database.db.execute(sql`with u as (insert into users default values returning id),
        c as (insert into chats (user_id, client_chat_id, title) select id, 'other', 'q' from u returning id, user_id),
        m as (insert into messages (chat_id, role, content) select id, 'assistant', 'a' from c returning id)
      insert into message_feedback (message_id, user_id, vote) select m.id, c.user_id, 'up' from m, c`);
    expect(await feedback()).toBe(1);
  });

  it('reads the statistics in slices on the embedded database, and at once on Postgres (which runs readers beside them)', async () => {
    // 300 rated answers: more than the embedded database's first slices.
    await database.db.execute(sql`with u as (insert into users default values returning id),
        c as (insert into chats (user_id, client_chat_id, title) select id, 'many', 'q' from u returning id, user_id),
        m as (insert into messages (chat_id, role, content) select c.id, 'assistant', 'a' || g from c, generate_series(1, 300) g returning id)
      insert into message_feedback (message_id, user_id, vote) select m.id, c.user_id, 'down' from m, c`);
    const counted = (kind: 'pglite' | 'postgres') => {
      let count = 0;
      const db = new Proxy(database.db, {
        get: (target, key, receiver) =>
          key === 'execute' ? (...args: Parameters<typeof target.execute>) => (count++, target.execute(...args)) : Reflect.get(target, key, receiver),
      });
      const counter = createApp({ database: { ...database, db, kind }, config: loadConfig({ ADMIN_TOKEN }), siteDir: false, statsCacheMs: 0 });
      return async () => {
        count = 0;
        const body = (await (await counter.request('/api/review/stats', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as FeedbackStats;
        return { down: body.totals.down, statements: count };
      };
    };
    const embedded = await counted('pglite')();
    const postgres = await counted('postgres')();
    expect(postgres.down).toBe(embedded.down);
    expect(embedded.down).toBeGreaterThanOrEqual(300);
    // Feedback and answers each in one slice, and one more that finds none left; then the figures put together.
    expect(postgres.statements).toBe(5);
    expect(embedded.statements).toBeGreaterThan(5);
  });
});
