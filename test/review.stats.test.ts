import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { feedbackStats } from '../server/feedback/review';
import { createApp } from '../server/http/app';
import { createTestDatabase, type TestDatabase } from './helpers/database';

const ADMIN_TOKEN = 'review-stats-admin-token-0123456789';
const USER = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const CHAT = '00000000-0000-4000-9000-000000000001';
const ANSWER = (n: number) => `00000000-0000-4000-a000-00000000000${n}`;

interface Stats {
  totals: Record<string, unknown>;
  weekly: { week: string; feedback: number; up: number; down: number; averageRating: number | null }[];
  downvotedDocuments: { path: string; title: string; cited: number; retrieved: number; pageRemoved: boolean }[];
}

describe('GET /api/review/stats', () => {
  let database: TestDatabase;
  let app: ReturnType<typeof createApp>;
  const stats = async (query = '') => {
    const res = await app.request(`/api/review/stats${query}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as Stats;
  };

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    app = createApp({ database, config: loadConfig({ ADMIN_TOKEN }), siteDir: false });
    const { db } = database;
    await db.execute(sql`insert into users (id) values (${USER(1)}), (${USER(2)}), (${USER(3)})`);
    await db.execute(sql`insert into chats (id, user_id, client_chat_id, title) values (${CHAT}, ${USER(1)}, 'c', 'q')`);
    await db.execute(sql`insert into messages (id, chat_id, role, content) values
      (${ANSWER(1)}, ${CHAT}, 'assistant', 'a1'), (${ANSWER(2)}, ${CHAT}, 'assistant', 'a2'), (${ANSWER(3)}, ${CHAT}, 'assistant', 'a3')`);
    // Answer 1 retrieved two sections of install.md (citing the second) and one of config.md;
    // answer 2 retrieved config.md (uncited) and install.md (uncited); answer 3 only faq.md, cited.
    await db.execute(sql`insert into message_sources (message_id, rank, score, cited, source, path, title, heading, anchor, url, quote) values
      (${ANSWER(1)}, 1, 0.9, false, 'docs', 'install.md', 'Install', 'Install', '', '/install/', ''),
      (${ANSWER(1)}, 2, 0.8, true, 'docs', 'install.md', 'Install', 'Install › Linux', 'linux', '/install/#linux', ''),
      (${ANSWER(1)}, 3, 0.7, false, 'docs', 'config.md', 'Config', 'Config', '', '/config/', ''),
      (${ANSWER(2)}, 1, 0.9, false, 'docs', 'config.md', 'Config', 'Config', '', '/config/', ''),
      (${ANSWER(2)}, 2, 0.6, false, 'docs', 'install.md', 'Install', 'Install', '', '/install/', ''),
      (${ANSWER(3)}, 1, 0.9, true, 'docs', 'faq.md', 'FAQ', 'FAQ', '', '/faq/', '')`);
    // Answer 1 down-voted by two readers, answer 2 by one; answer 3 up-voted.
    await db.execute(sql`insert into message_feedback (message_id, user_id, vote, rating, comment, updated_at) values
      (${ANSWER(1)}, ${USER(1)}, 'down', 1, 'wrong', '2026-03-02T10:00:00Z'),
      (${ANSWER(1)}, ${USER(2)}, 'down', 2, null, '2026-03-08T23:30:00Z'),
      (${ANSWER(2)}, ${USER(1)}, 'down', null, '', '2026-03-09T00:30:00Z'),
      (${ANSWER(3)}, ${USER(3)}, 'up', 5, 'great', '2026-03-10T12:00:00Z')`);
  });
  afterAll(async () => database?.close());

  it('counts a page once per down-voted answer, however many of its sections or readers, and cited when any section was', async () => {
    const { downvotedDocuments } = await stats();
    expect(downvotedDocuments).toEqual([
      { source: 'docs', path: 'install.md', title: 'Install', cited: 1, retrieved: 2, pageRemoved: true },
      { source: 'docs', path: 'config.md', title: 'Config', cited: 0, retrieved: 2, pageRemoved: true },
    ]);
    expect((await stats('?from=2026-03-09')).downvotedDocuments).toEqual([
      { source: 'docs', path: 'config.md', title: 'Config', cited: 0, retrieved: 1, pageRemoved: true },
      { source: 'docs', path: 'install.md', title: 'Install', cited: 0, retrieved: 1, pageRemoved: true },
    ]);
  });

  it('gives totals over the filtered feedback and one row per UTC week (Monday) by default', async () => {
    const s = await stats();
    expect(s.totals).toMatchObject({ feedback: 4, up: 1, down: 3, withComment: 2, rated: 3, averageRating: 2.67, answers: 3 });
    expect(s.totals.ratings).toEqual({ '1': 1, '2': 1, '3': 0, '4': 0, '5': 1 });
    expect(s.weekly.map((w) => [w.week, w.feedback, w.up, w.down, w.averageRating])).toEqual([
      ['2026-03-02', 2, 0, 2, 1.5],
      ['2026-03-09', 2, 1, 1, 5],
    ]);
    expect((await stats('?vote=up')).totals).toMatchObject({ feedback: 1, up: 1, down: 0 });
  });

  it('counts weeks from Monday midnight in the timeZone given: west and east of UTC, feedback near midnight falls in the local week', async () => {
    const weeks = async (zone: string) => (await stats(`?timeZone=${encodeURIComponent(zone)}`)).weekly.map((w) => [w.week, w.feedback]);
    // Mar 9 00:30 UTC is Sunday Mar 8, 17:30 in Los Angeles (PDT from Mar 8); Mar 8 23:30 UTC is Monday Mar 9, 10:30 in Sydney.
    expect(await weeks('America/Los_Angeles')).toEqual([['2026-03-02', 3], ['2026-03-09', 1]]);
    expect(await weeks('Australia/Sydney')).toEqual([['2026-03-02', 1], ['2026-03-09', 3]]);
    expect(await weeks('UTC')).toEqual((await stats()).weekly.map((w) => [w.week, w.feedback]));
    // A zone named as the browser may spell it, and an alias.
    expect(await weeks('america/los_angeles')).toEqual([['2026-03-02', 3], ['2026-03-09', 1]]);
    expect(await weeks('Etc/GMT+8')).toEqual([['2026-03-02', 3], ['2026-03-09', 1]]);
    // The totals do not depend on the zone.
    expect((await stats('?timeZone=Australia/Sydney')).totals).toEqual((await stats()).totals);
  });

  it('with a source filter, counts only the feedback and answers of answers that retrieved that source', async () => {
    const s = await stats('?source=install.md');
    expect(s.totals).toMatchObject({ feedback: 3, up: 0, down: 3, withComment: 1, rated: 2, averageRating: 1.5, answers: 2 });
    expect(s.weekly.map((w) => [w.week, w.feedback])).toEqual([['2026-03-02', 2], ['2026-03-09', 1]]);
    expect(s.downvotedDocuments.map((d) => [d.path, d.cited, d.retrieved])).toEqual([['install.md', 1, 2], ['config.md', 0, 2]]);
    // A source name matches as well as a path prefix; a source nothing retrieved gives empty statistics.
    expect((await stats('?source=docs')).totals).toMatchObject({ feedback: 4, answers: 3 });
    const none = await stats('?source=nowhere.md');
    expect(none.totals).toMatchObject({ feedback: 0, answers: 0, positiveRate: null, averageRating: null });
    expect([none.weekly, none.downvotedDocuments]).toEqual([[], []]);
  });

  it('give the same figures read one answer a slice as read at once (slices of the feedback by answer, of the answers by time)', async () => {
    const oneBySlice = await feedbackStats(database.db, { source: 'install.md', vote: 'down' }, { slices: { rows: 1, targetMs: 0 } });
    expect(oneBySlice.totals).toMatchObject({ feedback: 3, answers: 2 });
    expect(oneBySlice).toEqual(await feedbackStats(database.db, { source: 'install.md', vote: 'down' }, { slices: { rows: 1000, targetMs: 0 } }));
  });

  it('counts as answers given only those readers can rate, and the ones that failed part-way apart', async () => {
    // January 2025, apart from the answers above: one of each status, and the feedback given on them
    // (the failed answer's rating from before failed answers stopped being rateable).
    const CHAT_2 = '00000000-0000-4000-9000-000000000002';
    const JAN = (n: number) => `00000000-0000-4000-c000-00000000000${n}`;
    const { db } = database;
    await db.execute(sql`insert into chats (id, user_id, client_chat_id, title) values (${CHAT_2}, ${USER(2)}, 'c2', 'q2')`);
    await db.execute(sql`insert into messages (id, chat_id, role, content, status, created_at) values
      (${JAN(1)}, ${CHAT_2}, 'assistant', 'complete', 'complete', '2025-01-10T10:00:00Z'),
      (${JAN(2)}, ${CHAT_2}, 'assistant', 'cut off', 'truncated', '2025-01-10T10:01:00Z'),
      (${JAN(3)}, ${CHAT_2}, 'assistant', 'stopped', 'aborted', '2025-01-10T10:02:00Z'),
      (${JAN(4)}, ${CHAT_2}, 'assistant', 'failed, rated', 'error', '2025-01-10T10:03:00Z'),
      (${JAN(5)}, ${CHAT_2}, 'assistant', 'failed', 'error', '2025-01-10T10:04:00Z'),
      (${JAN(6)}, ${CHAT_2}, 'assistant', 'being written', 'streaming', '2025-01-10T10:05:00Z')`);
    await db.execute(sql`insert into message_feedback (message_id, user_id, vote, updated_at) values
      (${JAN(1)}, ${USER(2)}, 'up', '2025-01-10T11:00:00Z'),
      (${JAN(3)}, ${USER(2)}, 'down', '2025-01-10T11:00:00Z'),
      (${JAN(4)}, ${USER(2)}, 'down', '2025-01-10T11:00:00Z')`);
    const january = await stats('?from=2025-01-01&to=2025-01-31');
    expect(january.totals).toMatchObject({ feedback: 3, answers: 3, failedAnswers: 2, ratedFailed: 1 });
    // The list shows the same three rated answers, the failed one with its status.
    const res = await app.request('/api/review/feedback?from=2025-01-01&to=2025-01-31', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const list = (await res.json()) as { total: number; items: { answer: string; status: string }[] };
    expect(list.total).toBe(3);
    expect(list.items.map((i) => [i.answer, i.status]).sort()).toEqual([['complete', 'complete'], ['failed, rated', 'error'], ['stopped', 'aborted']]);
  });

  it('refuses a time zone that is not an IANA name with 400 and the API’s JSON error', async () => {
    for (const zone of ['Mars/Olympus_Mons', '+01:00', 'UTC+3', "UTC'; select 1", '']) {
      const res = await app.request(`/api/review/stats?timeZone=${encodeURIComponent(zone)}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(res.status, zone).toBe(400);
      expect(await res.json()).toEqual({ error: { code: 'invalid_query', message: expect.stringContaining('timeZone must be an IANA time zone name') } });
    }
  });
});
