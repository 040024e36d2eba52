/**
 * `POST /api/chat` sends SSE comments while the model is silent, so that a proxy's idle timeout
 * does not close the answer, and only between events, so that clients still read every event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sseChunks } from '../server/answer/ui-stream';
import { loadConfig } from '../server/config';
import { createApp } from '../server/http/app';
import { withKeepAlive } from '../server/http/sse-keep-alive';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { SERVER_DOCS } from './helpers/docs';
import { createHashingEmbedder } from './helpers/embedder';
import { type OpenAIStub, startOpenAIStub } from './helpers/openai-stub';
import { seedDocuments } from './helpers/seed';
import { chatBody } from './helpers/ui-stream';

const embedder = createHashingEmbedder();

describe('keep-alive comments on the answer stream', () => {
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

  const ask = (keepAliveMs?: number) => {
    const app = createApp({ database, config: loadConfig({ OPENAI_BASE_URL: stub.url, CHAT_MODEL: 'stub-model' }), embedder, siteDir: false, keepAliveMs });
    return app.request('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(chatBody(`ka-${Math.random()}`, 'How do I set a cookie?')) });
  };

  it('sends ": keep-alive" between events while the model is silent, and the answer still reads whole', async () => {
    stub.setReply(() => ({ text: ['Use ', 'setCookie [1].'], chunkDelayMs: 400 }));
    const res = await ask(100);
    expect(res.status).toBe(200);
    const body = await res.text();
    const events = body.split('\n\n').filter(Boolean);
    const comments = events.filter((e) => e === ': keep-alive');
    expect(comments.length).toBeGreaterThanOrEqual(2);
    expect(events.every((e) => e === ': keep-alive' || e.startsWith('data: '))).toBe(true);
    const chunks = [];
    for await (const chunk of sseChunks(new Response(body).body!)) chunks.push(chunk);
    const text = chunks.flatMap((c) => (c.type === 'text-delta' ? [c.delta] : [])).join('');
    expect(text).toBe('Use setCookie [1].');
    expect(chunks.at(-1)).toMatchObject({ type: 'finish', messageMetadata: { status: 'complete' } });
  });

  it('sends none when the answer never pauses that long', async () => {
    stub.setReply(() => ({ text: ['Use ', 'setCookie [1].'] }));
    const body = await (await ask(10_000)).text();
    expect(body).not.toContain('keep-alive');
  });
});

describe('withKeepAlive', () => {
  it('never splits an event: a comment waits until the event being sent has ended', async () => {
    const encode = (s: string) => new TextEncoder().encode(s);
    const source = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encode('data: {"a"'));
        await new Promise((r) => setTimeout(r, 150));
        controller.enqueue(encode(':1}\n\n'));
        await new Promise((r) => setTimeout(r, 150));
        controller.close();
      },
    });
    const text = await new Response(withKeepAlive(source, 40)).text();
    expect(text.startsWith('data: {"a":1}\n\n: keep-alive\n\n')).toBe(true);
  });

  it('cancelling it cancels the source (a reader going away stops the answer)', async () => {
    let cancelled: unknown;
    const source = new ReadableStream<Uint8Array>({ cancel: (reason) => void (cancelled = reason) });
    const reader = withKeepAlive(source, 1_000).getReader();
    await reader.cancel('gone');
    expect(cancelled).toBe('gone');
  });
});
