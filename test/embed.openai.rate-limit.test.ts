/**
 * The hosted embedding provider against an embedding server that rate limits (HTTP 429 with
 * `Retry-After`): a question is told at once when the wait is long, a batch of documents waits
 * it out (saying so) up to a cap, and a question never waits behind an ingest's batches. Waits
 * are milliseconds (`retry-after-ms`) and the caps are injected: nothing really waits.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddingRateLimitError, EmbeddingServerError, createOpenAIEmbeddingProvider } from '../server/embed/openai';

interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Hold the answer this long, ms. */
  delayMs?: number;
}

let server: Server;
let baseURL: string;
const requests: string[][] = [];
/** How each request is answered, in turn; past the end, 200 with vectors. */
let replies: ((input: string[]) => Reply)[] = [];
let defaultReply: (input: string[]) => Reply = () => ({});

const rateLimited = (headers: Record<string, string> = {}, code = 'rate_limit_exceeded'): Reply => ({
  status: 429,
  headers,
  body: { error: { message: 'Rate limit reached for requests', type: 'requests', code } },
});

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let raw = '';
    for await (const part of req) raw += part;
    const input = (JSON.parse(raw) as { input: string[] }).input;
    requests.push(input);
    const reply = (replies.shift() ?? defaultReply)(input);
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (reply.status) {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(JSON.stringify(reply.body));
      return;
    }
    const data = input.map((text, index) => ({ object: 'embedding', index, embedding: Array.from({ length: 512 }, (_, i) => ((text.charCodeAt(i % text.length) + i) % 7) + 1) }));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data, usage: { prompt_tokens: 1, total_tokens: 1 } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(
  async () =>
    new Promise((resolve) => {
      server?.closeAllConnections();
      server?.close(resolve);
    }),
);
beforeEach(() => {
  requests.length = 0;
  replies = [];
  defaultReply = () => ({});
});

describe("a question's embedding on a rate-limited embedding server", () => {
  it('fails at once, after one request, saying when to retry, when the server asks for a long wait', async () => {
    defaultReply = () => rateLimited({ 'retry-after': '60' });
    const embedder = createOpenAIEmbeddingProvider({ apiKey: 'sk-test', baseURL });
    const started = Date.now();
    const error = (await embedder.embedQuery('hello').catch((e: unknown) => e)) as EmbeddingRateLimitError;
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(requests).toHaveLength(1);
    expect(error).toBeInstanceOf(EmbeddingRateLimitError);
    expect(error.retryAfterS).toBe(60);
    expect(error.message).toBe(
      `embedding model openai:text-embedding-3-small at ${baseURL}: HTTP 429: Rate limit reached for requests (rate limited; the server asks to retry in 60 s)`,
    );
  });

  it('waits once for a short Retry-After, and fails if the server still refuses', async () => {
    replies = [() => rateLimited({ 'retry-after-ms': '30' })];
    const embedder = createOpenAIEmbeddingProvider({ baseURL, questionRateLimit: { maxWaitMs: 100, maxTotalWaitMs: 100 } });
    expect(await embedder.embedQuery('hello')).toHaveLength(512);
    expect(requests).toHaveLength(2);

    requests.length = 0;
    defaultReply = () => rateLimited({ 'retry-after-ms': '80' });
    await expect(embedder.embedQuery('hello')).rejects.toThrow(/\(still rate limited after waiting 1 s; the server asks to retry in 1 s\)$/);
    expect(requests).toHaveLength(2);
  });

  it('is not retried on the SDK schedule when the server gives no Retry-After and the wait would exceed the limit', async () => {
    defaultReply = () => rateLimited();
    const embedder = createOpenAIEmbeddingProvider({ baseURL, questionRateLimit: { maxWaitMs: 100, maxTotalWaitMs: 100 } });
    const error = (await embedder.embedQuery('hello').catch((e: unknown) => e)) as EmbeddingRateLimitError;
    expect(error).toBeInstanceOf(EmbeddingRateLimitError);
    expect(error.retryAfterS).toBeUndefined();
    expect(requests).toHaveLength(1);
  });
});

describe("a question's one deadline (queryTimeoutMs) on a slow embedding server that rate limits", () => {
  it('covers the rate-limit wait and every attempt: the question fails once queryTimeoutMs has passed in all', async () => {
    replies = [() => ({ ...rateLimited({ 'retry-after-ms': '400' }), delayMs: 300 })];
    defaultReply = () => ({ delayMs: 5_000 });
    const embedder = createOpenAIEmbeddingProvider({ baseURL, queryTimeoutMs: 1_000, questionRateLimit: { maxWaitMs: 1_000, maxTotalWaitMs: 1_000 } });
    const started = Date.now();
    const error = (await embedder.embedQuery('hello').catch((e: unknown) => e)) as EmbeddingServerError;
    // Per attempt, it took 300 ms + the 400 ms wait + a fresh 1 s: 1.7 s.
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(requests).toHaveLength(2);
    expect(error).toBeInstanceOf(EmbeddingServerError);
    expect(error.reason).toEqual({ kind: 'timeout', seconds: 1 });
    expect(error.message).toMatch(/: timed out: no answer within 1 s$/);
  });

  it('does not begin a rate-limit wait that would pass the deadline: the question is told at once when to retry', async () => {
    replies = [() => ({ ...rateLimited({ 'retry-after-ms': '900' }), delayMs: 300 })];
    const embedder = createOpenAIEmbeddingProvider({ baseURL, queryTimeoutMs: 1_000, questionRateLimit: { maxWaitMs: 1_000, maxTotalWaitMs: 1_000 } });
    const started = Date.now();
    const error = (await embedder.embedQuery('hello').catch((e: unknown) => e)) as EmbeddingRateLimitError;
    expect(Date.now() - started).toBeLessThan(900);
    expect(requests).toHaveLength(1);
    expect(error).toBeInstanceOf(EmbeddingRateLimitError);
    expect(error.retryAfterS).toBe(1);
    expect(error.message).toMatch(/\(rate limited; waiting 1 s would pass the question's 1 s limit; the server asks to retry in 1 s\)$/);
  });
});

describe('a batch of documents on a rate-limited embedding server', () => {
  it('waits out each Retry-After, past the SDK retries, saying so, and then embeds', async () => {
    replies = Array.from({ length: 5 }, () => () => rateLimited({ 'retry-after-ms': '20' }));
    const waits: string[] = [];
    const embedder = createOpenAIEmbeddingProvider({ baseURL, maxRetries: 3, documentsRateLimit: { maxWaitMs: 1_000, maxTotalWaitMs: 1_000 } });
    const vectors = await embedder.embedDocuments(['alpha', 'beta'], { onWait: (line) => waits.push(line) });
    expect(vectors).toHaveLength(2);
    expect(requests).toHaveLength(6);
    expect(waits).toEqual(Array.from({ length: 5 }, () => 'rate limited by the embedding server (HTTP 429); waiting 1 s'));
  });

  it('gives up with a clear error once it has waited its cap for one batch', async () => {
    defaultReply = () => rateLimited({ 'retry-after-ms': '40' });
    const waits: string[] = [];
    const embedder = createOpenAIEmbeddingProvider({ baseURL, documentsRateLimit: { maxWaitMs: 1_000, maxTotalWaitMs: 100 } });
    const error = (await embedder.embedDocuments(['alpha'], { onWait: (line) => waits.push(line) }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(EmbeddingRateLimitError);
    expect(error.message).toBe(
      `embedding model openai:text-embedding-3-small at ${baseURL}: HTTP 429: Rate limit reached for requests (still rate limited after waiting 1 s; the server asks to retry in 1 s)`,
    );
    expect(requests).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  it('does not wait for a single Retry-After longer than its cap', async () => {
    defaultReply = () => rateLimited({ 'retry-after': '3600' });
    const embedder = createOpenAIEmbeddingProvider({ baseURL });
    await expect(embedder.embedDocuments(['alpha'])).rejects.toThrow(/\(rate limited; the server asks to retry in 60 min\)$/);
    expect(requests).toHaveLength(1);
  });

  it('fails at once when the quota is used up (waiting will not help)', async () => {
    defaultReply = () => rateLimited({ 'retry-after-ms': '10' }, 'insufficient_quota');
    const waits: string[] = [];
    const embedder = createOpenAIEmbeddingProvider({ baseURL });
    const error = (await embedder.embedDocuments(['alpha'], { onWait: (line) => waits.push(line) }).catch((e: unknown) => e)) as EmbeddingRateLimitError;
    expect(error.message).toMatch(/HTTP 429: Rate limit reached for requests \(the quota is used up: waiting will not help; /);
    expect(error.retryAfterS).toBeUndefined();
    expect(requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("stops waiting when the caller's signal aborts", async () => {
    defaultReply = () => rateLimited({ 'retry-after': '60' });
    const embedder = createOpenAIEmbeddingProvider({ baseURL });
    const controller = new AbortController();
    const started = Date.now();
    const done = embedder.embedDocuments(['alpha'], { signal: controller.signal, onWait: () => controller.abort() });
    const error = (await done.catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('AbortError');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('questions during an ingest on the same hosted provider', () => {
  it("answers a question while the ingest's batches are still being embedded", async () => {
    defaultReply = (input) => (input[0]!.startsWith('doc') ? { delayMs: 150 } : {});
    const embedder = createOpenAIEmbeddingProvider({ baseURL, batchSize: 2 });
    let documentsDone = false;
    const ingest = embedder.embedDocuments(Array.from({ length: 20 }, (_, i) => `doc ${i}`)).then(() => (documentsDone = true));
    await new Promise((resolve) => setTimeout(resolve, 50)); // the first batch is on its way
    const started = Date.now();
    expect(await embedder.embedQuery('question')).toHaveLength(512);
    expect(Date.now() - started).toBeLessThan(1_000); // not behind ten batches of 150 ms
    expect(documentsDone).toBe(false);
    await ingest;
  });

  it("answers a question while the ingest waits out the server's rate limit", async () => {
    replies = [() => rateLimited({ 'retry-after-ms': '1000' })];
    const embedder = createOpenAIEmbeddingProvider({ baseURL });
    let waiting!: () => void;
    const ingestWaits = new Promise<void>((resolve) => (waiting = resolve));
    const ingest = embedder.embedDocuments(['doc 1'], { onWait: () => waiting() });
    await ingestWaits;
    const started = Date.now();
    expect(await embedder.embedQuery('question')).toHaveLength(512);
    expect(Date.now() - started).toBeLessThan(500);
    await ingest;
  });
});
