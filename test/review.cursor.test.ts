import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { createApp } from '../server/http/app';
import { createTestDatabase, type TestDatabase } from './helpers/database';

const ADMIN_TOKEN = 'review-cursor-admin-token-0123456789';
const ROWS = 23;

interface Page {
  items: { feedbackId: string; vote: string; updatedAt: string }[];
  total: number;
  limit: number;
  offset: number;
  nextCursor: string | null;
}

describe('GET /api/review/feedback: cursor (keyset) paging beside offset paging', () => {
  let database: TestDatabase;
  let app: ReturnType<typeof createApp>;
  const get = async (query: string) => app.request(`/api/review/feedback?${query}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const page = async (query: string) => {
    const res = await get(query);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as Page;
  };
  /** Every page from the first, following `nextCursor`; the ids in order and each page's offset. */
  const walk = async (query: string) => {
    const ids: string[] = [];
    const offsets: number[] = [];
    let next: string | null = null;
    do {
      const p: Page = await page(`${query}${next ? `&cursor=${encodeURIComponent(next)}` : ''}`);
      offsets.push(p.offset);
      ids.push(...p.items.map((i) => i.feedbackId));
      next = p.nextCursor;
    } while (next);
    return { ids, offsets };
  };

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    app = createApp({ database, config: loadConfig({ ADMIN_TOKEN }), siteDir: false });
    // 23 rated answers. Their updated_at: groups of three share one instant exactly, and
    // neighbouring groups differ by microseconds only (a JavaScript date would make them equal).
    await database.db.execute(sql`insert into users (id) values ('00000000-0000-4000-8000-000000000001')`);
    await database.db.execute(sql`insert into chats (id, user_id, client_chat_id, title)
      select ('00000000-0000-4000-9000-' || lpad(g::text, 12, '0'))::uuid, '00000000-0000-4000-8000-000000000001', 'c' || g, 'q' || g
      from generate_series(1, ${ROWS}) g`);
    await database.db.execute(sql`insert into messages (id, chat_id, role, content)
      select ('00000000-0000-4000-a000-' || lpad(g::text, 12, '0'))::uuid, ('00000000-0000-4000-9000-' || lpad(g::text, 12, '0'))::uuid, 'assistant', 'answer ' || g
      from generate_series(1, ${ROWS}) g`);
    await database.db.execute(sql`insert into message_feedback (id, message_id, user_id, vote, updated_at)
      select gen_random_uuid(), ('00000000-0000-4000-a000-' || lpad(g::text, 12, '0'))::uuid, '00000000-0000-4000-8000-000000000001',
             (case when g % 3 = 0 then 'down' else 'up' end)::feedback_vote,
             timestamptz '2026-01-01 10:00:00.000100+00' + ((g / 3) || ' microseconds')::interval
      from generate_series(1, ${ROWS}) g`);
  });
  afterAll(async () => database?.close());

  it('following nextCursor gives every row once, in the offset listing’s order, each page with its offset; null after the last', async () => {
    const all = (await page('limit=200')).items.map((i) => i.feedbackId);
    expect(all).toHaveLength(ROWS);
    const { ids, offsets } = await walk('limit=5');
    expect(ids).toEqual(all);
    expect(offsets).toEqual([0, 5, 10, 15, 20]);
    // Offset pages are as before, and also give the cursor of what follows them.
    const byOffset = await page('limit=5&offset=5');
    expect(byOffset.items.map((i) => i.feedbackId)).toEqual(all.slice(5, 10));
    expect(byOffset.offset).toBe(5);
    expect((await page(`limit=5&cursor=${byOffset.nextCursor}`)).items.map((i) => i.feedbackId)).toEqual(all.slice(10, 15));
    expect((await page('limit=3&offset=20')).nextCursor).toBeNull();
  });

  it('with filters: the cursor pages through the filtered list', async () => {
    const downs = (await page('vote=down&limit=200')).items;
    expect(downs.length).toBe(7);
    const { ids, offsets } = await walk('vote=down&limit=2');
    expect(ids).toEqual(downs.map((i) => i.feedbackId));
    expect(offsets).toEqual([0, 2, 4, 6]);
  });

  it('feedback changed while paging moves to the top: later pages neither repeat nor skip a row', async () => {
    const first = await page('limit=5');
    const all = (await page('limit=200')).items.map((i) => i.feedbackId);
    const changed = all[12]!;
    await database.db.execute(sql`update message_feedback set updated_at = now(), vote = 'down' where id = ${changed}::uuid`);
    const rest: string[] = [];
    let next = first.nextCursor;
    while (next) {
      const p = await page(`limit=5&cursor=${encodeURIComponent(next)}`);
      rest.push(...p.items.map((i) => i.feedbackId));
      next = p.nextCursor;
    }
    expect(rest).toEqual(all.slice(5).filter((id) => id !== changed));
    expect((await page('limit=1')).items[0]!.feedbackId).toBe(changed);
  });

  it('refuses a cursor it did not give, and a cursor with an offset, with a clear 400', async () => {
    for (const cursor of ['nope', 'bm9wZQ', Buffer.from('2026-01-01T10:00:00.000100|not-a-uuid').toString('base64url'), 'x'.repeat(201)]) {
      const res = await get(`cursor=${cursor}`);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toEqual({ code: 'invalid_query', message: 'Invalid query parameters: cursor: cursor must be the nextCursor of a page of this list' });
    }
    const { nextCursor } = await page('limit=5');
    const both = await get(`limit=5&offset=5&cursor=${nextCursor}`);
    expect(both.status).toBe(400);
    expect((await both.json()).error.message).toMatch(/give cursor or offset, not both/);
  });

  it('the CSV export takes the cursor too', async () => {
    const { nextCursor } = await page('limit=20');
    const res = await app.request(`/api/review/feedback.csv?cursor=${nextCursor}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    expect((await res.text()).trim().split('\r\n')).toHaveLength(1 + ROWS - 20);
  });
});
