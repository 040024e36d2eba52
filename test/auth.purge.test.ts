import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../server/db/open';
import { purgeExpiredSessions } from '../server/http/auth';
import { createTestDatabase, DRIVER_KINDS, type TestDatabase } from './helpers/database';

const USER = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const CHAT = '00000000-0000-4000-9000-000000000001';
const ANSWER = '00000000-0000-4000-a000-000000000001';

describe.each(DRIVER_KINDS)('purgeExpiredSessions (%s)', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => database?.close());

  const users = async () => (await queryRows<{ id: string }>(database.db, sql`select id from users order by id`)).map((r) => r.id);
  const sessionsOf = async (user: string) =>
    (await queryRows<{ n: number | string }>(database.db, sql`select count(*) as n from sessions where user_id = ${user}`)).map((r) => Number(r.n))[0];

  it('deletes expired sessions and the readers they leave with no session, chat, feedback or settings; keeps every other reader', async () => {
    const { db } = database;
    await db.execute(sql`insert into users (id, role) values (${USER(1)}, 'visitor'), (${USER(2)}, 'visitor'), (${USER(3)}, 'visitor'),
      (${USER(4)}, 'visitor'), (${USER(5)}, 'visitor'), (${USER(6)}, 'visitor'), (${USER(7)}, 'visitor'), (${USER(8)}, 'admin')`);
    const session = (user: number, n: number, live: boolean) =>
      sql`(${USER(user)}, ${`hash-${user}-${n}`}, now() ${live ? sql`+` : sql`-`} interval '1 day')`;
    await db.execute(sql`insert into sessions (user_id, token_hash, expires_at) values
      ${session(1, 1, false)},                       -- 1: only an expired session: nothing left
      ${session(2, 1, true)},                        -- 2: a live session, nothing else
      ${session(3, 1, false)},                       -- 3: expired, but asked a question (a chat)
      ${session(4, 1, false)},                       -- 4: expired, but rated an answer
      ${session(5, 1, false)},                       -- 5: expired, but saved settings
      ${session(7, 1, true)}, ${session(7, 2, false)}, -- 7: one live session, one expired
      ${session(8, 1, false)}`); // 8: an admin's expired session; 6 has no session at all
    await db.execute(sql`insert into chats (id, user_id, client_chat_id, title) values (${CHAT}, ${USER(3)}, 'c', 'q')`);
    await db.execute(sql`insert into messages (id, chat_id, role, content) values (${ANSWER}, ${CHAT}, 'assistant', 'a')`);
    await db.execute(sql`insert into message_feedback (message_id, user_id, vote) values (${ANSWER}, ${USER(4)}, 'up')`);
    await db.execute(sql`insert into user_retrieval_settings (user_id, max_results, min_score) values (${USER(5)}, 3, 0.5)`);

    expect(await purgeExpiredSessions(db)).toEqual({ sessions: 6, users: 3 });
    expect(await users()).toEqual([USER(2), USER(3), USER(4), USER(5), USER(7)]);
    // Their chats, feedback and settings are all there; only live sessions are left.
    const [kept] = await queryRows<{ chats: number | string; feedback: number | string; settings: number | string; sessions: number | string }>(
      db,
      sql`select (select count(*) from chats) as chats, (select count(*) from message_feedback) as feedback,
                 (select count(*) from user_retrieval_settings) as settings, (select count(*) from sessions) as sessions`,
    );
    expect(Object.values(kept!).map(Number)).toEqual([1, 1, 1, 2]);
    expect([await sessionsOf(USER(2)), await sessionsOf(USER(7))]).toEqual([1, 1]);

    // Nothing more the next time.
    expect(await purgeExpiredSessions(db)).toEqual({ sessions: 0, users: 0 });
  });
});
