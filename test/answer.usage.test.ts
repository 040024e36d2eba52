import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { messages } from '../server/db/schema';
import { createApp } from '../server/http/app';
import { createClient } from './helpers/client';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { SERVER_DOCS } from './helpers/docs';
import { createHashingEmbedder } from './helpers/embedder';
import { type OpenAIStub, startOpenAIStub } from './helpers/openai-stub';
import { seedDocuments } from './helpers/seed';
import { chatBody, readChunks } from './helpers/ui-stream';

const embedder = createHashingEmbedder();

describe('an answer’s token usage', () => {
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

  /** Asks through the HTTP API; the stored row and the message `GET /api/chats/:id` returns. */
  async function answer(chatId: string) {
    const client = createClient(createApp({ database, config: loadConfig({ OPENAI_BASE_URL: stub.url, CHAT_MODEL: 'stub-model' }), embedder, siteDir: false }));
    const chunks = await readChunks(await client.json('/api/chat', 'POST', chatBody(chatId, 'How do I set a cookie?')));
    const { messageId } = (chunks[0] as { messageMetadata: { messageId: string } }).messageMetadata;
    const [row] = await database.db.select().from(messages).where(eq(messages.id, messageId));
    const read = async () => {
      const chat = (await (await client.request(`/api/chats/${chatId}`)).json()) as { messages: { id: string; usage: unknown }[] };
      return chat.messages.find((m) => m.id === messageId)!;
    };
    return { row: row!, read, messageId };
  }

  it('is stored and returned as the model server reported it', async () => {
    stub.setReply(() => ({ text: 'Use setCookie [1].' }));
    const { row, read } = await answer('usage-sent');
    expect(row.status).toBe('complete');
    expect(row.usage).toEqual({ inputTokens: 42, outputTokens: 3, totalTokens: 45 });
    expect((await read()).usage).toEqual({ inputTokens: 42, outputTokens: 3, totalTokens: 45 });
  });

  it('is null, not {}, when the model server reports none (stored and returned)', async () => {
    stub.setReply(() => ({ text: 'Use setCookie [1].', omitUsage: true }));
    const { row, read, messageId } = await answer('usage-missing');
    expect(row.status).toBe('complete');
    expect(row.usage).toBeNull();
    expect((await read()).usage).toBeNull();
    // An answer an earlier version stored with `{}` reads back as null too.
    await database.db.update(messages).set({ usage: {} }).where(eq(messages.id, messageId));
    expect((await read()).usage).toBeNull();
  });
});
