import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { messages } from '../server/db/schema';
import { createApp } from '../server/http/app';
import { createTracer, noopTracer } from '../server/tracing';
import { createClient } from './helpers/client';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { SERVER_DOCS } from './helpers/docs';
import { createHashingEmbedder } from './helpers/embedder';
import { type LangSmithStub, PROJECT_ID, startLangSmithStub } from './helpers/langsmith-stub';
import { type OpenAIStub, startOpenAIStub } from './helpers/openai-stub';
import { seedDocuments } from './helpers/seed';
import { chatBody, readChunks } from './helpers/ui-stream';

const embedder = createHashingEmbedder();

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('LangSmith tracing', () => {
  let database: TestDatabase;
  let llm: OpenAIStub;
  let langsmith: LangSmithStub;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDocuments(database.db, embedder, SERVER_DOCS);
    llm = await startOpenAIStub(() => ({ text: 'Use setCookie [1].' }));
    langsmith = await startLangSmithStub();
  });
  afterAll(async () => {
    await llm?.close();
    await langsmith?.close();
    await database?.close();
  });

  it('createTracer() is a no-op without LANGSMITH_TRACING (no client, no calls)', () => {
    expect(createTracer(loadConfig({}))).toBe(noopTracer);
    expect(createTracer(loadConfig({ LANGSMITH_API_KEY: 'k', LANGSMITH_ENDPOINT: langsmith.url }))).toBe(noopTracer);
  });

  it('traces a chat turn as one run (rewrite, retrieve, generate), stores its id, and forwards feedback', async () => {
    const config = loadConfig({
      OPENAI_BASE_URL: llm.url,
      LANGSMITH_TRACING: 'true',
      LANGSMITH_API_KEY: 'test-key',
      LANGSMITH_ENDPOINT: langsmith.url,
      LANGSMITH_PROJECT: 'docent-test',
    });
    const tracer = createTracer(config);
    const client = createClient(createApp({ database, config, embedder, tracer, siteDir: false }));
    const chunks = await readChunks(await client.json('/api/chat', 'POST', chatBody('traced', 'How do I set a cookie?')));
    const messageId = (chunks[0] as { messageId: string }).messageId;
    const [row] = await database.db.select().from(messages).where(eq(messages.id, messageId));
    const runId = row!.langsmithRunId!;
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);

    await tracer.flush(5_000);
    await until(() => ['"generate"', '"retrieve"', '"rewrite"'].every((n) => langsmith.posted().includes(n)));
    const posted = langsmith.posted();
    expect(posted).toContain(runId);
    expect(posted).toContain('docent.chat');
    expect(posted).toContain('docent-test');
    expect(langsmith.requests.some((r) => r.path === '/runs/multipart')).toBe(true);
    expect(langsmith.requests.some((r) => r.method === 'GET' && r.path === '/info')).toBe(true);

    const res = await client.json(`/api/messages/${messageId}/feedback`, 'POST', { vote: 'up', rating: 4, comment: 'clear answer' });
    expect(res.status).toBe(201);
    const feedbackId = (await res.json()).feedback.id as string;
    await tracer.flush(5_000);
    await until(() => langsmith.posted().includes(feedbackId));
    expect(langsmith.posted()).toContain('clear answer');
    expect(langsmith.posted()).toContain('user_feedback');
    expect(langsmith.posted()).toContain(PROJECT_ID);

    // Changing the feedback updates LangSmith's copy instead of adding a second one.
    const changed = await client.json(`/api/messages/${messageId}/feedback`, 'POST', { vote: 'down', rating: null, comment: 'wrong port' });
    expect(changed.status).toBe(200);
    await tracer.flush(5_000);
    await until(() => langsmith.requests.some((r) => r.method === 'PATCH' && r.path === `/feedback/${feedbackId}`));
    const patch = langsmith.requests.find((r) => r.method === 'PATCH')!;
    expect(JSON.parse(patch.body)).toEqual({ score: 0, value: null, comment: 'wrong port' });
    expect(langsmith.requests.filter((r) => r.method === 'POST' && r.body.includes(feedbackId))).toHaveLength(1);
  });

  it('sendFeedback() creates the feedback when an update finds LangSmith never got it', async () => {
    const tracer = createTracer(
      loadConfig({ LANGSMITH_TRACING: 'true', LANGSMITH_API_KEY: 'test-key', LANGSMITH_ENDPOINT: langsmith.url }),
    );
    const feedbackId = randomUUID();
    tracer.sendFeedback({ runId: randomUUID(), feedbackId, vote: 'up', rating: 5, comment: null, created: false });
    await tracer.flush(5_000);
    await until(() => langsmith.posted().includes(feedbackId));
    expect(langsmith.requests.find((r) => r.method === 'PATCH' && r.path === `/feedback/${feedbackId}`)).toBeDefined();
  });

  it('never delays an answer or a feedback write when LangSmith does not answer', async () => {
    // A port that accepts connections and never replies.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const config = loadConfig({
        OPENAI_BASE_URL: llm.url,
        LANGSMITH_TRACING: 'true',
        LANGSMITH_API_KEY: 'test-key',
        LANGSMITH_ENDPOINT: `http://127.0.0.1:${port}`,
      });
      const warnings: string[] = [];
      const tracer = createTracer(config, { timeoutMs: 300, onError: (m) => warnings.push(m) });
      const client = createClient(createApp({ database, config, embedder, tracer, siteDir: false }));
      const started = Date.now();
      const chunks = await readChunks(await client.json('/api/chat', 'POST', chatBody('silent', 'How do I set a cookie?')));
      const messageId = (chunks[0] as { messageId: string }).messageId;
      const res = await client.json(`/api/messages/${messageId}/feedback`, 'POST', { vote: 'down' });
      expect(res.status).toBe(201);
      expect(Date.now() - started).toBeLessThan(1_500);
      const flushStarted = Date.now();
      await tracer.flush(400);
      expect(Date.now() - flushStarted).toBeLessThan(1_000);
      await until(() => warnings.length > 0, 3_000);
      expect(warnings.join('\n')).toMatch(/took longer than/);
    } finally {
      silent.close();
    }
  });
});
