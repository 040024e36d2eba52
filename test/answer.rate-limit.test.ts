import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readerStoredError } from '../server/answer/errors';
import { createChatModel } from '../server/answer/model';
import { MAX_RETRY_WAIT_MS } from '../server/answer/model-fetch';
import { startChatTurn } from '../server/answer/turn';
import { renderAnswer, streamChunks } from '../server/answer/ui-stream';
import { answerExitCode, EXIT_ANSWER_FAILED, EXIT_TRY_LATER } from '../server/ask-exit';
import { askServer } from '../server/ask-server';
import { loadConfig } from '../server/config';
import { users } from '../server/db/schema';
import { createApp } from '../server/http/app';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { SERVER_DOCS } from './helpers/docs';
import { createHashingEmbedder } from './helpers/embedder';
import { type OpenAIStub, startOpenAIStub } from './helpers/openai-stub';
import { seedDocuments } from './helpers/seed';

const embedder = createHashingEmbedder();
const config = (stub: OpenAIStub) => loadConfig({ OPENAI_BASE_URL: stub.url, CHAT_MODEL: 'stub-model' });

describe('a model server that rate limits (HTTP 429)', () => {
  let database: TestDatabase;
  let stub: OpenAIStub;
  let userId: string;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDocuments(database.db, embedder, SERVER_DOCS);
    stub = await startOpenAIStub();
    userId = (await database.db.insert(users).values({ displayName: 'ask-cli' }).returning())[0]!.id;
  });
  afterAll(async () => {
    await stub?.close();
    await database?.close();
  });

  /** Asks as `npm run ask` does (in process); the answer's error, how long it took and how many requests the model server got. */
  async function ask(headers: Record<string, string>) {
    stub.setReply(() => ({ text: '', status: 429, headers, errorMessage: 'Rate limit reached for requests' }));
    const before = stub.requests.length;
    const started = Date.now();
    const turn = await startChatTurn(
      { db: database.db, embedder, chatModel: createChatModel(config(stub)), onError: () => {} },
      { userId, clientChatId: `rl-${Math.random()}`, question: 'How do I set a cookie?' },
    );
    const answer = await renderAnswer(streamChunks(turn.stream), { write: () => {} });
    await turn.done;
    return { error: answer.error, ms: Date.now() - started, requests: stub.requests.length - before };
  }

  it('a long Retry-After is told at once, not waited out: the reader hears the model server is rate limiting and when to retry', async () => {
    const { error, ms, requests } = await ask({ 'retry-after': '20' });
    expect(requests).toBe(1);
    expect(ms).toBeLessThan(MAX_RETRY_WAIT_MS);
    expect(error).toBe(
      'The language model could not answer: HTTP 429 (the model server is rate limiting, or the quota is used up; it asks to retry in 20 s). Please try again.',
    );
    // The stored error reads back as it is.
    expect(readerStoredError(error!)).toBe(error);
    // npm run ask's exit code for "rate limited: try again later".
    expect(answerExitCode(error)).toBe(EXIT_TRY_LATER);
  });

  it('also as an HTTP date, and as retry-after-ms', async () => {
    const date = await ask({ 'retry-after': new Date(Date.now() + 90_000).toUTCString() });
    expect(date.requests).toBe(1);
    expect(date.error).toMatch(/; it asks to retry in (8\d|90) s\)\. Please try again\.$/);
    const ms = await ask({ 'retry-after-ms': '12500' });
    expect(ms.requests).toBe(1);
    expect(ms.error).toContain('; it asks to retry in 13 s)');
  });

  it('a short Retry-After is still waited out and retried once', async () => {
    const { error, ms, requests } = await ask({ 'retry-after': '1' });
    expect(requests).toBe(2);
    expect(ms).toBeGreaterThanOrEqual(1_000);
    expect(error).toContain('HTTP 429 (the model server is rate limiting, or the quota is used up; it asks to retry in 1 s)');
  });

  it('without Retry-After it says rate limiting, and other failures keep exit code 1', async () => {
    stub.setReply(() => ({ text: '', status: 429 }));
    const noHeader = await ask({});
    expect(noHeader.error).toBe('The language model could not answer: HTTP 429 (the model server is rate limiting, or the quota is used up). Please try again.');
    expect(answerExitCode(noHeader.error)).toBe(EXIT_TRY_LATER);
    expect(answerExitCode('The language model could not answer: HTTP 401 (not authorized: check the API key). Please try again.')).toBe(EXIT_ANSWER_FAILED);
    // What answers stored before said of a 429 still reads back as it is.
    const earlier = 'The language model could not answer: HTTP 429 (rate limited or out of quota). Please try again.';
    expect(readerStoredError(earlier)).toBe(earlier);
    expect(answerExitCode(earlier)).toBe(EXIT_TRY_LATER);
  });

  it('through a running server (the streamed answer of POST /api/chat): told at once, with the same exit code', async () => {
    stub.setReply(() => ({ text: '', status: 429, headers: { 'retry-after': '30' } }));
    const app = createApp({ database, config: config(stub), embedder, siteDir: false });
    const server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s as Server));
    });
    try {
      const started = Date.now();
      const answer = await askServer(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'How do I set a cookie?', { out: { write: () => {} } });
      expect(Date.now() - started).toBeLessThan(MAX_RETRY_WAIT_MS);
      expect(answer.error).toContain('HTTP 429 (the model server is rate limiting, or the quota is used up; it asks to retry in 30 s)');
      expect(answerExitCode(answer.error)).toBe(EXIT_TRY_LATER);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
