import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../server/db/open';
import { isVacuumDue, tableVisibility, VACUUM_DUE_MIN_PAGES, vacuumIfDue } from '../server/db/vacuum';
import { createTestDatabase, type TestDatabase } from './helpers/database';

const USER = '00000000-0000-4000-8000-000000000001';
const CHAT = '00000000-0000-4000-9000-000000000001';

/** Inserts `n` questions and answers (about 1 kB each, so that the table spans pages) after those there are. */
async function addAnswers(database: TestDatabase, n: number): Promise<void> {
  await database.db.execute(sql`insert into messages (chat_id, role, content)
    select ${CHAT}, case when g % 2 = 0 then 'assistant' else 'user' end::message_role, repeat('An answer about the docs. ', 40)
    from generate_series(1, ${n}) g`);
}

describe('vacuuming the embedded database (no autovacuum)', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await database.db.execute(sql`insert into users (id) values (${USER})`);
    await database.db.execute(sql`insert into chats (id, user_id, client_chat_id, title) values (${CHAT}, ${USER}, 'c', 'q')`);
  });
  afterAll(async () => database?.close());

  const messages = async () => (await tableVisibility(database)).find((t) => t.table === 'messages')!;

  it('leaves small tables alone: reading them costs little', async () => {
    await addAnswers(database, 200);
    expect(isVacuumDue(await messages())).toBe(false);
    expect((await vacuumIfDue(database)).tables).toEqual([]);
  });

  it('vacuums and analyzes a chat table once a fifth of its pages are new, so that answers are counted from the index alone', async () => {
    await addAnswers(database, 8 * VACUUM_DUE_MIN_PAGES);
    const before = await messages();
    expect(before.pages).toBeGreaterThan(VACUUM_DUE_MIN_PAGES);
    expect(before.allVisible).toBe(0);

    expect((await vacuumIfDue(database)).tables).toEqual(['messages']);
    const after = await messages();
    expect(after.allVisible).toBe(after.pages);
    // The planner's statistics exist (ANALYZE), and the review's count of answers reads no table page.
    expect(await queryRows(database.db, sql`select 1 from pg_stats where tablename = 'messages' and attname = 'role'`)).toHaveLength(1);
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      await tx.execute(sql`set local enable_bitmapscan = off`);
      const plan = (await queryRows<{ 'QUERY PLAN': string }>(tx, sql`explain (analyze, costs off) select count(*) from messages m where m.role = 'assistant'`))
        .map((r) => r['QUERY PLAN'])
        .join('\n');
      expect(plan).toContain('Index Only Scan using messages_assistant_created_at_idx');
      expect(plan).toContain('Heap Fetches: 0');
    });
  });

  it('is not due again until a fifth of the pages are new since', async () => {
    expect((await vacuumIfDue(database)).tables).toEqual([]);
    const { pages } = await messages();
    // Rows of about 1 kB: 7 a page. Fewer new pages than a fifth of the table, then more.
    await addAnswers(database, Math.floor(pages * 0.1 * 7));
    expect(isVacuumDue(await messages())).toBe(false);
    await addAnswers(database, Math.max(Math.ceil(pages * 0.3), VACUUM_DUE_MIN_PAGES) * 8);
    expect(isVacuumDue(await messages())).toBe(true);
    expect((await vacuumIfDue(database)).tables).toEqual(['messages']);
  });

  it('leaves a real Postgres to its autovacuum', async () => {
    expect(await vacuumIfDue({ ...database, kind: 'postgres' })).toEqual({ tables: [], ms: 0 });
  });
});
