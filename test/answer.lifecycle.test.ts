/**
 * Answers that outlive their process: the sweep of answers left `streaming` (at start-up, and
 * every few minutes on Postgres, where other instances may be streaming theirs), and the time
 * limit that makes "older than any answer" a safe test of "no process is writing it".
 */
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ANSWER_TOO_LONG, SERVER_STOPPED } from '../server/answer/errors';
import { createChatModel } from '../server/answer/model';
import { startChatTurn } from '../server/answer/turn';
import { streamChunks } from '../server/answer/ui-stream';
import {
  abortStaleStreamingMessages,
  ANSWER_TIME_LIMIT_MS,
  findOrCreateChat,
  insertAssistantMessage,
  STALE_ANSWER_MS,
} from '../server/chats/store';
import { loadConfig } from '../server/config';
import { DEFAULT_RETRIEVAL_SETTINGS } from '../server/retrieval/settings';
import { messages, users } from '../server/db/schema';
import { createTestDatabase, DRIVER_KINDS, type TestDatabase } from './helpers/database';
import { SERVER_DOCS } from './helpers/docs';
import { createHashingEmbedder } from './helpers/embedder';
import { type OpenAIStub, startOpenAIStub } from './helpers/openai-stub';
import { seedDocuments } from './helpers/seed';

const embedder = createHashingEmbedder();

async function newUser(database: TestDatabase): Promise<string> {
  const [user] = await database.db.insert(users).values({}).returning({ id: users.id });
  return user!.id;
}

/** An assistant answer left `streaming`, created `ageMs` ago. */
async function streamingAnswer(database: TestDatabase, userId: string, ageMs: number): Promise<string> {
  const chat = await findOrCreateChat(database.db, userId, `chat-${Math.random()}`, 'A question');
  const id = await insertAssistantMessage(database.db, { chatId: chat.id, model: 'stub', retrievalSettings: DEFAULT_RETRIEVAL_SETTINGS });
  await database.db
    .update(messages)
    .set({ createdAt: sql`now() - ${`${ageMs} milliseconds`}::interval` })
    .where(eq(messages.id, id));
  return id;
}

async function statuses(database: TestDatabase, ids: string[]) {
  const rows = await database.db.select({ id: messages.id, status: messages.status, error: messages.error }).from(messages).where(inArray(messages.id, ids));
  return Object.fromEntries(rows.map((r) => [r.id, { status: r.status, error: r.error }]));
}

const STALE = { status: 'aborted', error: SERVER_STOPPED };
const LIVE = { status: 'streaming', error: null };

describe('the Postgres sweep relies on the time limit', () => {
  it('STALE_ANSWER_MS leaves an answer at the limit minutes to be recorded', () => {
    expect(STALE_ANSWER_MS - ANSWER_TIME_LIMIT_MS).toBeGreaterThanOrEqual(5 * 60_000);
  });
});

describe.each(DRIVER_KINDS)('answers left streaming, on %s', (kind) => {
  let database: TestDatabase;
  let userId: string;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedDocuments(database.db, embedder, SERVER_DOCS);
    userId = await newUser(database);
  });
  afterAll(async () => database?.close());

  it(
    kind === 'pglite'
      ? 'abortStaleStreamingMessages() at start-up marks every one: no other process can be writing to an embedded database'
      : 'abortStaleStreamingMessages() at start-up marks only those older than any answer lasts: other instances may be streaming the rest',
    async () => {
      const fresh = await streamingAnswer(database, userId, 1_000);
      const old = await streamingAnswer(database, userId, STALE_ANSWER_MS + 60_000);
      const marked = await abortStaleStreamingMessages(database.db);
      expect(marked).toBe(kind === 'pglite' ? 2 : 1);
      expect(await statuses(database, [fresh, old])).toEqual({ [fresh]: kind === 'pglite' ? STALE : LIVE, [old]: STALE });
      await abortStaleStreamingMessages(database.db, { olderThanMs: 0 });
    },
  );

  it('abortStaleStreamingMessages({ olderThanMs }) marks only answers created longer ago, and never a finished one', async () => {
    const fresh = await streamingAnswer(database, userId, 1_000);
    const old = await streamingAnswer(database, userId, 120_000);
    const finished = await streamingAnswer(database, userId, 120_000);
    await database.db.update(messages).set({ status: 'complete', content: 'Done.' }).where(eq(messages.id, finished));
    expect(await abortStaleStreamingMessages(database.db, { olderThanMs: 60_000 })).toBe(1);
    expect(await statuses(database, [fresh, old, finished])).toEqual({
      [fresh]: LIVE,
      [old]: STALE,
      [finished]: { status: 'complete', error: null },
    });
    await abortStaleStreamingMessages(database.db, { olderThanMs: 0 });
  });

  it(
    kind === 'pglite'
      ? 'a chat turn leaves other answers alone (the start-up sweep found every leftover)'
      : 'a chat turn first marks answers left streaming by a crashed instance, at most every few minutes',
    async () => {
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      try {
        const fresh = await streamingAnswer(database, userId, 1_000);
        const old = await streamingAnswer(database, userId, STALE_ANSWER_MS + 60_000);
        const ask = async () => {
          const turn = await startChatTurn({ db: database.db, embedder }, { userId, clientChatId: `turn-${Math.random()}`, question: 'How do I set a cookie?' });
          for await (const _ of streamChunks(turn.stream));
          expect(await turn.done).toEqual({ status: 'complete' });
        };
        await ask();
        expect(await statuses(database, [fresh, old])).toEqual({ [fresh]: LIVE, [old]: kind === 'pglite' ? LIVE : STALE });
        if (kind === 'postgres') {
          expect(log).toHaveBeenCalledWith('[docent] marked 1 answer(s) left unfinished by a stopped server as aborted');
          // Not at every turn: the next sweep waits a few minutes.
          const older = await streamingAnswer(database, userId, STALE_ANSWER_MS + 60_000);
          await ask();
          expect((await statuses(database, [older]))[older]).toEqual(LIVE);
        }
      } finally {
        log.mockRestore();
        await abortStaleStreamingMessages(database.db, { olderThanMs: 0 });
      }
    },
  );
});

describe('the answer time limit', () => {
  let database: TestDatabase;
  let stub: OpenAIStub;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDocuments(database.db, embedder, SERVER_DOCS);
    stub = await startOpenAIStub();
  });
  afterAll(async () => {
    await stub?.close();
    await database?.close();
  });

  it('stops an answer still streaming at the limit: recorded as error with its partial text, the reader gets an error part', async () => {
    stub.setReply(() => ({ text: Array.from({ length: 200 }, (_, i) => `word${i} `), chunkDelayMs: 20 }));
    const chatModel = createChatModel(loadConfig({ OPENAI_BASE_URL: stub.url, CHAT_MODEL: 'stub-model' }));
    const errors: unknown[] = [];
    const turn = await startChatTurn(
      { db: database.db, embedder, chatModel, timeLimitMs: 1_500, onError: (e) => errors.push(e) },
      { userId: await newUser(database), clientChatId: 'slow', question: 'How do I set a cookie?' },
    );
    const chunks = [];
    for await (const chunk of streamChunks(turn.stream)) chunks.push(chunk);
    expect(await turn.done).toEqual({ status: 'error' });
    expect(chunks.at(-1)).toEqual({ type: 'error', errorText: ANSWER_TOO_LONG });
    const [row] = await database.db.select().from(messages).where(eq(messages.id, turn.messageId));
    expect(row).toMatchObject({ status: 'error', error: ANSWER_TOO_LONG });
    expect(row!.content).toContain('word0');
    expect(row!.content).not.toContain('word199');
    expect(String(errors[0])).toContain('The answer took longer than 1500 ms and was stopped.');
  });

  it('an answer within the limit is not affected', async () => {
    stub.setReply(() => ({ text: ['Use ', 'setCookie [1].'] }));
    const chatModel = createChatModel(loadConfig({ OPENAI_BASE_URL: stub.url, CHAT_MODEL: 'stub-model' }));
    const turn = await startChatTurn(
      { db: database.db, embedder, chatModel, timeLimitMs: 20_000 },
      { userId: await newUser(database), clientChatId: 'quick', question: 'How do I set a cookie?' },
    );
    for await (const _ of streamChunks(turn.stream));
    expect(await turn.done).toEqual({ status: 'complete' });
  });
});
