/**
 * `stopAnswering()`: what a server shutting down does to the answers it is streaming. Each test
 * loads the server modules afresh (`vi.resetModules`): once called, `stopAnswering` stops every
 * later turn of its module too.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CLIENT_WENT_AWAY, SERVER_STOPPED } from '../server/answer/errors';
import { loadConfig } from '../server/config';
import { messages } from '../server/db/schema';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { SERVER_DOCS } from './helpers/docs';
import { createHashingEmbedder } from './helpers/embedder';
import { type OpenAIStub, startOpenAIStub } from './helpers/openai-stub';
import { seedDocuments } from './helpers/seed';
import { chatBody } from './helpers/ui-stream';

const embedder = createHashingEmbedder();

describe('stopAnswering(): answers cut off by a shutdown', () => {
  let database: TestDatabase;
  let stub: OpenAIStub;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDocuments(database.db, embedder, SERVER_DOCS);
    stub = await startOpenAIStub(() => ({ text: Array.from({ length: 200 }, (_, i) => `word${i} `), chunkDelayMs: 25 }));
  });
  afterAll(async () => {
    await stub?.close();
    await database?.close();
  });

  /** The server modules, loaded afresh, and an HTTP server of the app as `npm start` runs it. */
  async function startServer() {
    vi.resetModules();
    const { createApp } = await import('../server/http/app');
    const turn = await import('../server/answer/turn');
    const config = loadConfig({ OPENAI_BASE_URL: stub.url, CHAT_MODEL: 'stub-model' });
    const app = createApp({ database, config, embedder, siteDir: false });
    const server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s as Server));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { server, url, ...turn };
  }

  /** Asks `question` and reads the answer until it has streamed `word2`; returns its id and reader. */
  async function answerStreaming(url: string, chatId: string) {
    const res = await fetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chatBody(chatId, 'How do I set a cookie?')),
    });
    const messageId = res.headers.get('x-docent-message-id')!;
    const reader = res.body!.getReader();
    let seen = '';
    while (!seen.includes('word2')) seen += new TextDecoder().decode((await reader.read()).value);
    return { messageId, reader };
  }

  /** The rest of a response, as text, until it ends or its connection is cut. */
  async function rest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
    let text = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return text;
        text += new TextDecoder().decode(value);
      }
    } catch {
      return text;
    }
  }

  const row = async (id: string) => (await database.db.select().from(messages).where(eq(messages.id, id)))[0]!;

  it('main.ts’s shutdown (close the server, stop the answers, close the connections) records them with the server-stopped reason', async () => {
    const { server, url, stopAnswering, waitForActiveTurns } = await startServer();
    const { messageId, reader } = await answerStreaming(url, 'cut');
    const readRest = rest(reader);
    server.close();
    expect(stopAnswering()).toBe(1);
    server.closeAllConnections();
    await waitForActiveTurns(5_000);
    await readRest;
    const answer = await row(messageId);
    expect(answer).toMatchObject({ status: 'aborted', error: SERVER_STOPPED });
    expect(answer.content).toContain('word0');
    expect(answer.content).not.toContain('word199');
  });

  it('a reader still connected is told, with an error part; a turn started afterwards is stopped at once', async () => {
    const { server, url, stopAnswering, waitForActiveTurns } = await startServer();
    try {
      const { messageId, reader } = await answerStreaming(url, 'told');
      stopAnswering();
      const text = await rest(reader);
      expect(text).toContain(`{"type":"error","errorText":"${SERVER_STOPPED}"}`);
      expect(await row(messageId)).toMatchObject({ status: 'aborted', error: SERVER_STOPPED });

      const late = await fetch(`${url}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(chatBody('late', 'How do I set a cookie?')),
      });
      expect(await late.text()).toContain(SERVER_STOPPED);
      await waitForActiveTurns(5_000);
      expect(await row(late.headers.get('x-docent-message-id')!)).toMatchObject({ status: 'aborted', error: SERVER_STOPPED });
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });

  it('without it, connections closed by the server still read as the client going away', async () => {
    const { server, url, waitForActiveTurns } = await startServer();
    const { messageId, reader } = await answerStreaming(url, 'unmarked');
    const readRest = rest(reader);
    server.close();
    server.closeAllConnections();
    await waitForActiveTurns(5_000);
    await readRest;
    expect(await row(messageId)).toMatchObject({ status: 'aborted', error: CLIENT_WENT_AWAY });
  });
});
