import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../server/config';
import { messages } from '../server/db/schema';
import { createApp } from '../server/http/app';
import { createFailureLog, createTracer, DEFAULT_LANGSMITH_ENDPOINT, noopTracer } from '../server/tracing';
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
    // One request per trace, and no GET /info: Docent sends runs itself (see server/tracing.ts).
    expect(langsmith.requests.filter((r) => r.path === '/runs/batch')).toHaveLength(1);
    expect(langsmith.requests.some((r) => r.path === '/info')).toBe(false);

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
      expect(warnings.join('\n')).toMatch(/^sending a trace: no (answer|result) within 0\.[36] s/m);
    } finally {
      silent.close();
    }
  });

  it('redacts the error of a failed step as the log does: the OpenAI key never reaches LangSmith', async () => {
    const openaiKey = 'oa-SECRET-openai-key-0123456789';
    const config = loadConfig({
      OPENAI_API_KEY: openaiKey,
      LANGSMITH_TRACING: 'true',
      LANGSMITH_API_KEY: 'test-key',
      LANGSMITH_ENDPOINT: langsmith.url,
    });
    const tracer = createTracer(config);
    const trace = tracer.startTrace('docent.chat', { question: 'q' });
    // A compatible server (or gateway) that quotes the key in its error, through a URL with credentials too.
    const failure = new Error(`Incorrect API key provided: ${openaiKey} (at http://u:hunter2@llm.internal/v1)`);
    await expect(trace.step('retrieve', () => Promise.reject(failure))).rejects.toBe(failure);
    trace.record('generate', { startTime: Date.now(), error: `HTTP 401: ${openaiKey}` });
    trace.end({}, `root: ${openaiKey}`);
    await tracer.flush(5_000);
    await until(() => langsmith.posted().includes(trace.runId!));
    const posted = langsmith.posted();
    expect(posted).toContain('Incorrect API key provided: *** (at http://***@llm.internal/v1)');
    expect(posted).not.toContain(openaiKey);
    expect(posted).not.toContain('hunter2');
  });

  it('sends to LANGSMITH_ENDPOINT as Docent reads it, never to the raw environment value (blank, or LANGCHAIN_ENDPOINT)', async () => {
    const saved = { LANGSMITH_ENDPOINT: process.env.LANGSMITH_ENDPOINT, LANGCHAIN_ENDPOINT: process.env.LANGCHAIN_ENDPOINT };
    try {
      process.env.LANGSMITH_ENDPOINT = '   ';
      process.env.LANGCHAIN_ENDPOINT = 'http://127.0.0.1:9';
      const config = loadConfig({ ...process.env, LANGSMITH_TRACING: 'true', LANGSMITH_API_KEY: 'test-key' });
      expect(config.langsmith.endpoint).toBeUndefined(); // blank counts as unset

      // Unset: LangSmith's default endpoint (fetch is replaced: tests never call the internet).
      const urls: string[] = [];
      vi.stubGlobal('fetch', async (input: string | URL | Request) => {
        urls.push(input instanceof Request ? input.url : String(input));
        return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
      });
      try {
        const tracer = createTracer(config);
        const trace = tracer.startTrace('docent.chat', {});
        trace.end({});
        await tracer.flush(2_000);
        await until(() => urls.length > 0);
      } finally {
        vi.unstubAllGlobals();
      }
      expect(urls).toEqual([`${DEFAULT_LANGSMITH_ENDPOINT}/runs/batch`]);

      // Set: that endpoint.
      const tracer = createTracer({ ...config, langsmith: { ...config.langsmith, endpoint: langsmith.url } });
      const trace = tracer.startTrace('docent.chat', {});
      trace.end({});
      await tracer.flush(5_000);
      await until(() => langsmith.posted().includes(trace.runId!));
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('reports an endpoint answering with a web page (a website, not the API) instead of taking it for LangSmith', async () => {
    const website = createHttpServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>LangSmith</title>');
    });
    await new Promise<void>((resolve) => website.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(website.address() as AddressInfo).port}`;
      const lines: string[] = [];
      const config = loadConfig({ LANGSMITH_TRACING: 'true', LANGSMITH_API_KEY: 'lsv2-key', LANGSMITH_ENDPOINT: url });
      const tracer = createTracer(config, { timeoutMs: 1_000, log: (line) => lines.push(line) });
      tracer.startTrace('docent.chat', { question: 'q' }).end({ answer: 'a' });
      await tracer.flush(5_000);
      expect(lines).toEqual([
        `[docent] LangSmith: sending a trace: the server at ${url} answered with a web page (HTML), not as the LangSmith API does; ` +
          `check LANGSMITH_ENDPOINT (the API's address, such as ${DEFAULT_LANGSMITH_ENDPOINT}, not a website's) (tracing continues; answers are not affected)`,
      ]);
    } finally {
      await new Promise<void>((resolve) => website.close(() => resolve()));
    }
  });

  it('logs one Docent line per kind of failure (401, then 500), and the SDK prints nothing', async () => {
    const stub = await startLangSmithStub();
    const warn = vi.spyOn(console, 'warn');
    const error = vi.spyOn(console, 'error');
    const log = vi.spyOn(console, 'log');
    try {
      const lines: string[] = [];
      const config = loadConfig({ LANGSMITH_TRACING: 'true', LANGSMITH_API_KEY: 'lsv2-SECRET-key-0123', LANGSMITH_ENDPOINT: stub.url });
      const tracer = createTracer(config, { timeoutMs: 1_000, log: (line) => lines.push(line) });
      const turn = () => {
        const trace = tracer.startTrace('docent.chat', { question: 'q' });
        trace.end({ answer: 'a' });
        return trace.runId!;
      };
      const feedback = (runId: string) =>
        tracer.sendFeedback({ runId, feedbackId: randomUUID(), created: true, vote: 'up', rating: null, comment: null });

      stub.failWith(401);
      for (let i = 0; i < 3; i++) feedback(turn());
      await tracer.flush(5_000);
      expect([...lines].sort()).toEqual([
        '[docent] LangSmith: sending a trace: LangSmith refused the API key; check LANGSMITH_API_KEY ' +
          '(HTTP 401: Unauthorized: {"detail":"Invalid token"}) (tracing continues; answers are not affected)',
        '[docent] LangSmith: sending feedback: LangSmith refused the API key; check LANGSMITH_API_KEY ' +
          '(HTTP 401: Unauthorized: {"detail":"Invalid token"}) (tracing continues; answers are not affected)',
      ]);

      // Another kind of failure of the same operations is logged too.
      stub.failWith(500);
      feedback(turn());
      await tracer.flush(5_000);
      await until(() => lines.length === 4, 5_000);
      expect(lines.slice(2).sort()).toEqual([
        expect.stringMatching(/^\[docent\] LangSmith: sending a trace: .*LangSmith failed \(HTTP 500: Internal Server Error.*\(tracing continues; answers are not affected\)$/),
        expect.stringMatching(/^\[docent\] LangSmith: sending feedback: .*LangSmith failed \(HTTP 500: Internal Server Error.*\(tracing continues; answers are not affected\)$/),
      ]);

      expect(stub.requests.some((r) => r.path === '/info')).toBe(false);
      expect(lines.join('\n')).not.toContain('lsv2-SECRET');
      for (const spy of [warn, error, log]) expect(spy).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      error.mockRestore();
      log.mockRestore();
      await stub.close();
    }
  });
});

describe('createFailureLog()', () => {
  it('logs each kind of failure once, then at most once per repeatMs while it lasts, with how many were not logged', () => {
    const lines: string[] = [];
    let now = 0;
    const report = createFailureLog({ log: (line) => lines.push(line), repeatMs: 600_000, now: () => now });
    const refused = { key: 'HTTP 401', text: 'LangSmith refused the API key' };
    report('sending a trace', refused);
    report('sending a trace', refused);
    report('sending feedback', refused); // another operation
    report('sending a trace', { key: 'network ECONNREFUSED', text: 'cannot connect' }); // another cause
    now = 599_999;
    report('sending a trace', refused);
    now = 600_000;
    report('sending a trace', refused);
    expect(lines).toEqual([
      '[docent] LangSmith: sending a trace: LangSmith refused the API key (tracing continues; answers are not affected)',
      '[docent] LangSmith: sending feedback: LangSmith refused the API key (tracing continues; answers are not affected)',
      '[docent] LangSmith: sending a trace: cannot connect (tracing continues; answers are not affected)',
      '[docent] LangSmith: sending a trace: LangSmith refused the API key (2 more since the last report; tracing continues; answers are not affected)',
    ]);
  });
});
