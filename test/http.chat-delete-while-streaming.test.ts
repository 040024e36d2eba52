/**
 * `DELETE /api/chats/:id` while that chat's answer is being written: the answer is stopped (the
 * model's stream is closed), its reader's stream ends as a stopped answer does, and nothing is
 * logged as a failure.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../server/config';
import { chats, messages } from '../server/db/schema';
import { createApp } from '../server/http/app';
import { createClient } from './helpers/client';
import { createTestDatabase, DRIVER_KINDS, type TestDatabase } from './helpers/database';
import { SERVER_DOCS } from './helpers/docs';
import { createHashingEmbedder } from './helpers/embedder';
import { type OpenAIStub, startOpenAIStub } from './helpers/openai-stub';
import { seedDocuments } from './helpers/seed';
import { chatBody } from './helpers/ui-stream';

const embedder = createHashingEmbedder();
/** The answer the stub model writes, slowly: 300 words, 20 ms apart (6 s in all). */
const SLOW_ANSWER = { text: Array.from({ length: 300 }, (_, i) => `word${i} `), chunkDelayMs: 20 };

/** Reads SSE `data:` chunks from `reader` until `until` says stop or the stream ends. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, until: (raw: string) => boolean): Promise<string> {
  let raw = '';
  const decoder = new TextDecoder();
  while (!until(raw)) {
    const { done, value } = await reader.read();
    if (done) break;
    raw += decoder.decode(value, { stream: true });
  }
  return raw;
}

const chunksOf = (raw: string) =>
  raw
    .split('\n\n')
    .map((e) => e.split('\n').find((l) => l.startsWith('data: '))?.slice(6))
    .filter((d): d is string => d !== undefined && d !== '[DONE]')
    .map((d) => JSON.parse(d) as { type: string; reason?: string; messageMetadata?: { status?: string } });

describe.each(DRIVER_KINDS)('DELETE /api/chats/:id while its answer streams, through %s', (kind) => {
  let database: TestDatabase;
  let stub: OpenAIStub;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedDocuments(database.db, embedder, SERVER_DOCS);
    stub = await startOpenAIStub(() => SLOW_ANSWER);
  });
  afterAll(async () => {
    await stub?.close();
    await database?.close();
  });

  it('stops the answer: the model stream is closed, the stream ends with an abort part, no failure is logged', async () => {
    const errors = vi.spyOn(console, 'error');
    const app = createApp({ database, config: loadConfig({ OPENAI_BASE_URL: stub.url, CHAT_MODEL: 'stub-model' }), embedder, siteDir: false });
    const client = createClient(app);
    const res = await client.json('/api/chat', 'POST', chatBody('deleted-mid-answer', 'How do I set a cookie?'));
    expect(res.status).toBe(200);
    const chatId = res.headers.get('x-docent-chat-id')!;
    const reader = res.body!.getReader();
    const before = await readUntil(reader, (raw) => raw.includes('word2'));
    expect(before).toContain('word2');

    const deleted = await client.request(`/api/chats/${chatId}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    const rest = chunksOf(before + (await readUntil(reader, () => false)));

    expect(rest.at(-1)).toEqual({ type: 'abort', reason: 'The chat was deleted.' });
    expect(rest.some((c) => c.type === 'finish' || c.type === 'error')).toBe(false);
    const text = rest.map((c) => (c as { delta?: string }).delta ?? '').join('');
    expect(text).not.toContain('word299');
    // The model was told to stop: its stream was closed before the answer's end.
    for (let i = 0; i < 100 && stub.streamsCutByClient === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(stub.streamsCutByClient).toBe(1);
    // Nothing left behind, nothing logged as a failure.
    expect(await database.db.select().from(chats).where(eq(chats.id, chatId))).toEqual([]);
    expect(await database.db.select().from(messages).where(eq(messages.chatId, chatId))).toEqual([]);
    expect(errors.mock.calls.map((c) => String(c[0]))).toEqual([]);
    errors.mockRestore();
  });

  it('leaves the answers of the reader’s other chats running', async () => {
    const app = createApp({ database, config: loadConfig({ OPENAI_BASE_URL: stub.url, CHAT_MODEL: 'stub-model' }), embedder, siteDir: false });
    const client = createClient(app);
    stub.setReply(() => ({ text: ['kept ', 'answer'] , chunkDelayMs: 200 }));
    const other = await client.json('/api/chat', 'POST', chatBody('kept-chat', 'How do I set a cookie?'));
    const doomed = await client.json('/api/chat', 'POST', chatBody('doomed-chat', 'How do I set a cookie?'));
    const deleted = await client.request(`/api/chats/${doomed.headers.get('x-docent-chat-id')}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    await doomed.body!.cancel();
    const chunks = chunksOf(await other.text());
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', messageMetadata: { status: 'complete' } });
    stub.setReply(() => SLOW_ANSWER);
  });
});

/**
 * The chat deleted through another server sharing the database (several instances behind a load
 * balancer): this process is not told, so only the database says the answer has gone.
 */
describe.each(DRIVER_KINDS)('a chat deleted through another server while its answer streams, through %s', (kind) => {
  let database: TestDatabase;
  let stub: OpenAIStub;
  /** While set, the question's embedding waits for it (the turn is in retrieval). */
  let retrievalGate: Promise<void> | undefined;
  let retrievalStarted: (() => void) | undefined;
  const gatedEmbedder = {
    ...embedder,
    async embedQuery(text: string, options?: Parameters<typeof embedder.embedQuery>[1]) {
      retrievalStarted?.();
      await retrievalGate;
      return embedder.embedQuery(text, options);
    },
  };
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedDocuments(database.db, embedder, SERVER_DOCS);
    stub = await startOpenAIStub(() => ({ text: Array.from({ length: 20 }, (_, i) => `word${i} `), chunkDelayMs: 20 }));
  });
  afterAll(async () => {
    await stub?.close();
    await database?.close();
  });

  it.each(['retrieval', 'generation'] as const)(
    'during %s: the stream ends as a stopped answer (no "failed on the server", no rating bar), and nothing is logged',
    async (phase) => {
      const errors = vi.spyOn(console, 'error');
      const app = createApp({ database, config: loadConfig({ OPENAI_BASE_URL: stub.url, CHAT_MODEL: 'stub-model' }), embedder: gatedEmbedder, siteDir: false });
      const client = createClient(app);
      let release = () => {};
      const inRetrieval = new Promise<void>((resolve) => (retrievalStarted = resolve));
      if (phase === 'retrieval') retrievalGate = new Promise((resolve) => (release = resolve));
      const res = await client.json('/api/chat', 'POST', chatBody(`elsewhere-${phase}`, 'How do I set a cookie?'));
      expect(res.status).toBe(200);
      const chatId = res.headers.get('x-docent-chat-id')!;
      const reader = res.body!.getReader();
      // The other server deletes the chat: straight in the database, this app's route is not called.
      const before = phase === 'retrieval' ? (await inRetrieval, '') : await readUntil(reader, (raw) => raw.includes('word2'));
      await database.db.delete(chats).where(eq(chats.id, chatId));
      retrievalGate = undefined;
      release();
      const rest = chunksOf(before + (await readUntil(reader, () => false)));
      expect(rest.at(-1)).toEqual({ type: 'abort', reason: 'The chat was deleted.' });
      expect(rest.some((c) => c.type === 'finish' || c.type === 'error')).toBe(false);
      expect(await database.db.select().from(messages).where(eq(messages.chatId, chatId))).toEqual([]);
      expect(errors.mock.calls.map((c) => String(c[0]))).toEqual([]);
      errors.mockRestore();
      retrievalStarted = undefined;
    },
    30_000,
  );
});
