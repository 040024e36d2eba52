/**
 * An answer written while Postgres restarts: recording it waits for the database to come back
 * (for a bounded time), so the answer is not lost and the reader's stream ends normally.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatModel } from '../server/answer/model';
import { startChatTurn } from '../server/answer/turn';
import { streamChunks } from '../server/answer/ui-stream';
import { loadConfig } from '../server/config';
import { migrateDatabase } from '../server/db/migrate';
import { type DatabaseHandle, openDatabase } from '../server/db/open';
import { messages, users } from '../server/db/schema';
import { SERVER_DOCS } from './helpers/docs';
import { createHashingEmbedder } from './helpers/embedder';
import { type OpenAIStub, startOpenAIStub } from './helpers/openai-stub';
import { type RestartablePostgres, startRestartablePostgres } from './helpers/restartable-postgres';
import { seedDocuments } from './helpers/seed';

const embedder = createHashingEmbedder();

describe('an answer streaming while Postgres restarts', () => {
  let postgres: RestartablePostgres;
  let database: DatabaseHandle;
  let stub: OpenAIStub;
  beforeAll(async () => {
    postgres = await startRestartablePostgres();
    database = await openDatabase(postgres.url, { maxConnections: 1 });
    await migrateDatabase(database);
    await seedDocuments(database.db, embedder, SERVER_DOCS);
    stub = await startOpenAIStub();
  });
  afterAll(async () => {
    await stub?.close();
    await database?.close();
    await postgres?.close();
  });

  async function answerAcrossRestart(saveRetryMs: number | undefined, downMs: number) {
    stub.setReply(() => ({ text: Array.from({ length: 12 }, (_, i) => `word${i} `), chunkDelayMs: 50 }));
    const chatModel = createChatModel(loadConfig({ OPENAI_BASE_URL: stub.url, CHAT_MODEL: 'stub-model' }));
    const [user] = await database.db.insert(users).values({}).returning({ id: users.id });
    const errors: unknown[] = [];
    const turn = await startChatTurn(
      { db: database.db, embedder, chatModel, saveRetryMs, onError: (e) => errors.push(e) },
      { userId: user!.id, clientChatId: `restart-${Math.random()}`, question: 'How do I set a cookie?' },
    );
    const chunks = [];
    let restarted: Promise<void> | undefined;
    for await (const chunk of streamChunks(turn.stream)) {
      chunks.push(chunk);
      // The database goes away while the model writes, and comes back a little later.
      if (chunk.type === 'text-delta' && !restarted) {
        await postgres.stop();
        restarted = new Promise((resolve) => setTimeout(resolve, downMs)).then(() => postgres.start());
      }
    }
    await restarted;
    return { turn, chunks, errors };
  }

  it('records the answer as complete once the database is back, and ends the stream normally', async () => {
    const { turn, chunks, errors } = await answerAcrossRestart(undefined, 1_500);
    expect(await turn.done).toEqual({ status: 'complete' });
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', messageMetadata: { status: 'complete' } });
    expect(chunks.filter((c) => c.type === 'error')).toEqual([]);
    expect(chunks.filter((c) => c.type === 'text-end')).toHaveLength(1);
    const [row] = await database.db.select().from(messages).where(eq(messages.id, turn.messageId));
    expect(row).toMatchObject({ status: 'complete', error: null });
    expect(row!.content).toContain('word0');
    expect(row!.content).toContain('word11');
    expect(errors).toEqual([]);
  });

  it('gives up after saveRetryMs: the reader gets one error part, once the text has ended', async () => {
    const { turn, chunks } = await answerAcrossRestart(300, 3_000);
    expect(await turn.done).toEqual({ status: 'error' });
    expect(chunks.at(-1)).toMatchObject({ type: 'error' });
    expect(chunks.filter((c) => c.type === 'text-end')).toHaveLength(1);
  });
});
