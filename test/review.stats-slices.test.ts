import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, queryRows } from '../server/db/open';
import { ONE_SLICE } from '../server/db/slices';
import { feedbackStats, type ReviewStatsQuery } from '../server/feedback/review';
import { createHashingEmbedder } from './helpers/embedder';
import { createTestDatabase, DRIVER_KINDS, type TestDatabase } from './helpers/database';
import { feedbackStatsInOneStatement } from './helpers/review-stats-one-statement';
import { seedDocuments } from './helpers/seed';

const ANSWERS = 60;
const READERS = 4;

/**
 * 60 answers in 8 weeks, three at a time given at the same instant (slices end inside such ties),
 * some failed, cut off or still being written; up to 4 readers' feedback on each (several
 * down-votes of one answer), ratings, comments, feedback near midnight; 1–4 sources per answer
 * among 29 pages of two sources, 10 of them still indexed, titles that changed between answers.
 */
async function seed(db: Database) {
  const uuid = (prefix: string, n: ReturnType<typeof sql>) => sql`(${prefix} || lpad(to_hex(${n}), 12, '0'))::uuid`;
  const user = (n: ReturnType<typeof sql>) => uuid('00000000-0000-4000-8000-', n);
  const answer = uuid('00000000-0000-4000-a000-', sql`g`);
  const answeredAt = sql`(timestamptz '2026-01-05T00:00:00Z' + (g / 3) * interval '22 hours 7 minutes')`;
  await db.execute(sql`insert into users (id) select ${user(sql`u`)} from generate_series(1, ${READERS}) u`);
  await db.execute(sql`insert into chats (id, user_id, client_chat_id, title)
    select ${user(sql`u`)}, ${user(sql`u`)}, 'c' || u, 'q' from generate_series(1, ${READERS}) u`);
  await db.execute(sql`insert into messages (id, chat_id, role, content, created_at)
    select ${uuid('00000000-0000-4000-b000-', sql`g`)}, ${user(sql`1 + g % ${READERS}`)}, 'user', 'question ' || g, ${answeredAt} - interval '1 second'
    from generate_series(1, ${ANSWERS}) g`);
  await db.execute(sql`insert into messages (id, chat_id, role, content, status, created_at)
    select ${answer}, ${user(sql`1 + g % ${READERS}`)}, 'assistant', 'answer ' || g,
           (case when g % 13 = 0 then 'error' when g % 17 = 0 then 'streaming' when g % 11 = 0 then 'truncated' else 'complete' end)::message_status,
           ${answeredAt}
    from generate_series(1, ${ANSWERS}) g`);
  await db.execute(sql`insert into message_sources (message_id, rank, score, cited, source, path, title, heading, anchor, url, quote)
    select ${answer}, r, 0.9 - r * 0.1, (r = 1 and g % 2 = 0) or r = 3, case when (g * r) % 29 < 20 then 'docs' else 'blog' end,
           'guides/page-' || (g * r) % 29 || '.md', 'Page ' || (g * r) % 29 || case when g % 4 = 0 then ' (old title)' else '' end,
           'Page', '', '/p/', ''
    from generate_series(1, ${ANSWERS}) g, generate_series(1, 4) r where r <= 1 + g % 4`);
  await db.execute(sql`insert into message_feedback (message_id, user_id, vote, rating, comment, created_at, updated_at)
    select ${answer}, ${user(sql`u`)}, (case when (g + u) % 2 = 0 then 'down' else 'up' end)::feedback_vote,
           case when (g + u) % 4 = 0 then null else 1 + (g * u) % 5 end,
           case (g + u) % 3 when 0 then null when 1 then '' else 'comment ' || g end,
           ${answeredAt}, ${answeredAt} + u * interval '5 hours 13 minutes'
    from generate_series(1, ${ANSWERS}) g, generate_series(1, ${READERS}) u where (g * u) % 3 <> 0`);
  const pages = Array.from({ length: 10 }, (_, n) => ({ path: `guides/page-${n}.md`, title: `Page ${n}`, sections: [{ text: `Page ${n}.` }] }));
  await seedDocuments(db, createHashingEmbedder(), pages);
}

const FILTERS: Partial<ReviewStatsQuery>[] = [
  {},
  { vote: 'down' },
  { vote: 'up', rating: 3 },
  { from: '2026-01-20', to: '2026-02-10' },
  { from: '2026-01-12T13:00:00Z', timeZone: 'Australia/Sydney' },
  { hasComment: false, timeZone: 'America/Los_Angeles' },
  { source: 'guides/page-3' },
  { source: 'blog' },
  { source: 'docs', vote: 'down', hasComment: true },
  { source: 'nowhere' },
];

describe.each(DRIVER_KINDS)('review statistics read in slices (%s)', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seed(database.db);
  });
  afterAll(async () => database?.close());

  it('equal the statistics read in one statement, for every filter, whatever the size of the slices', async () => {
    const [counts] = await queryRows<{ feedback: number | string; answers: number | string }>(
      database.db,
      sql`select (select count(*) from message_feedback) as feedback, (select count(*) from messages where role = 'assistant') as answers`,
    );
    expect([Number(counts?.feedback), Number(counts?.answers)]).toEqual([120, ANSWERS]);
    for (const filters of FILTERS) {
      const oneStatement = await feedbackStatsInOneStatement(database.db, filters);
      // Not empty, except where nothing matches: the comparison compares something.
      if (filters.source !== 'nowhere') expect(oneStatement.totals.feedback, JSON.stringify(filters)).toBeGreaterThan(0);
      // A source filter's answers found first (few of them), or matched answer by answer in slices of all (fewSources 0).
      for (const fewSources of [undefined, 0]) {
        for (const rows of [1, 2, 7, 10_000]) {
          const sliced = await feedbackStats(database.db, filters, { slices: { rows, targetMs: 0 }, fewSources });
          expect(sliced, `${JSON.stringify(filters)}, ${rows} rows a slice, fewSources ${fewSources}`).toEqual(oneStatement);
        }
      }
      expect(await feedbackStats(database.db, filters), JSON.stringify(filters)).toEqual(oneStatement);
      // As the server reads them on Postgres: in one slice.
      expect(await feedbackStats(database.db, filters, { slices: ONE_SLICE }), JSON.stringify(filters)).toEqual(oneStatement);
    }
    // More than 20 pages behind down-votes, so that the first 20 are picked among ties.
    expect((await feedbackStatsInOneStatement(database.db, {})).downvotedDocuments).toHaveLength(20);
  });

  it('stay exact as feedback changes between two readings', async () => {
    const { db } = database;
    await db.execute(sql`update message_feedback set vote = 'down', rating = 5, comment = 'changed', updated_at = '2026-02-20T12:00:00Z'
      where message_id = '00000000-0000-4000-a000-000000000007'`);
    await db.execute(sql`delete from message_feedback where message_id = '00000000-0000-4000-a000-000000000008'`);
    await db.execute(sql`delete from chats where id = '00000000-0000-4000-8000-000000000002'`);
    for (const filters of FILTERS) {
      const oneStatement = await feedbackStatsInOneStatement(db, filters);
      for (const fewSources of [undefined, 0]) {
        expect(await feedbackStats(db, filters, { slices: { rows: 3, targetMs: 0 }, fewSources }), JSON.stringify(filters)).toEqual(oneStatement);
      }
    }
  });
});

describe('review statistics on the embedded database', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seed(database.db);
  });
  afterAll(async () => database?.close());

  it('give the database back between slices: a reader’s statement sent meanwhile runs before they are done', async () => {
    // PGlite runs one statement at a time on the server's thread: a reader's statement waits for
    // the one running, and must not wait for the whole statistics.
    const events: string[] = [];
    const recording = new Proxy(database.db, {
      get(target, key, receiver) {
        if (key !== 'execute') return Reflect.get(target, key, receiver);
        return async (...args: Parameters<typeof target.execute>) => {
          const result = await target.execute(...args);
          events.push('statistics');
          return result;
        };
      },
    });
    const statistics = feedbackStats(recording, {}, { slices: { rows: 20, targetMs: 0 } });
    const reader = queryRows(database.db, sql`select count(*) from chats`).then(() => events.push('reader'));
    await Promise.all([statistics, reader]);
    expect(events.indexOf('reader')).toBeGreaterThan(-1);
    // Statements of the statistics still ran after the reader's.
    expect(events.slice(events.indexOf('reader') + 1).length, events.join(' ')).toBeGreaterThan(3);
  });
});
