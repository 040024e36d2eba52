import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkVector } from '../server/embed/check-vector';
import { createOpenAIEmbeddingProvider } from '../server/embed/openai';

/** A small server speaking OpenAI's `POST /v1/embeddings`. */
interface Call {
  auth?: string;
  body: { model: string; input: string[]; dimensions?: number; encoding_format?: string };
}

let server: Server;
let baseURL: string;
const calls: Call[] = [];
let failures: { status: number; headers?: Record<string, string>; body: unknown }[] = [];
let dimensions = 512;
/** Answers a request instead of the default (the response's `data` items, or the raw body text), when set. */
let answer: ((body: Call['body'], res: ServerResponse) => void) | undefined;
const embeddingData = (input: string[]) => input.map((text, index) => ({ object: 'embedding', index, embedding: vectorFor(text, dimensions) }));
const sendData = (res: ServerResponse, data: unknown) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data, usage: { prompt_tokens: 1, total_tokens: 1 } }));

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A deterministic, not normalised vector for a text: its length and char codes. */
const vectorFor = (text: string, dims: number) => Array.from({ length: dims }, (_, i) => (text.charCodeAt(i % text.length) % 7) + 1 + i / 1000);

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let raw = '';
    for await (const part of req) raw += part;
    const body = JSON.parse(raw) as Call['body'];
    calls.push({ auth: req.headers.authorization, body });
    if (answer) {
      answer(body, res);
      return;
    }
    const failure = failures.shift();
    if (failure) {
      res.writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers }).end(JSON.stringify(failure.body));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        object: 'list',
        model: body.model,
        data: body.input.map((text, index) => ({ object: 'embedding', index, embedding: vectorFor(text, dimensions) })),
        usage: { prompt_tokens: body.input.length, total_tokens: body.input.length },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () =>
  new Promise((resolve) => {
    server?.closeAllConnections();
    server?.close(resolve);
  }),
);
beforeEach(() => {
  calls.length = 0;
  failures = [];
  dimensions = 512;
  answer = undefined;
});

describe('createOpenAIEmbeddingProvider()', () => {
  it('embeds in batches of options.batchSize, asking for 512 dimensions, and returns unit vectors in input order', async () => {
    const embedder = createOpenAIEmbeddingProvider({ apiKey: 'sk-test', baseURL, batchSize: 3 });
    const texts = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta'];
    const progress: number[] = [];
    const vectors = await embedder.embedDocuments(texts, { onProgress: (n) => progress.push(n) });
    expect(calls.map((c) => c.body.input)).toEqual([texts.slice(0, 3), texts.slice(3, 6), texts.slice(6)]);
    expect(calls[0]).toMatchObject({ auth: 'Bearer sk-test', body: { model: 'text-embedding-3-small', dimensions: 512 } });
    expect(progress).toEqual([3, 6, 7]);
    expect(vectors).toHaveLength(7);
    for (const [i, v] of vectors.entries()) {
      expect(v).toHaveLength(512);
      expect(Math.hypot(...v)).toBeCloseTo(1, 6);
      const raw = vectorFor(texts[i]!, 512);
      expect(v[5]! / v[0]!).toBeCloseTo(raw[5]! / raw[0]!, 6);
    }
    expect(embedder.modelId).toBe('openai:text-embedding-3-small@512');
  });

  it('retries a failed request (honouring retry-after-ms) and then succeeds', async () => {
    failures = [
      { status: 500, headers: { 'retry-after-ms': '10' }, body: { error: { message: 'overloaded', type: 'server_error' } } },
      { status: 429, headers: { 'retry-after-ms': '10' }, body: { error: { message: 'rate limited', type: 'rate_limit' } } },
    ];
    const embedder = createOpenAIEmbeddingProvider({ apiKey: 'sk-test', baseURL, maxRetries: 3 });
    const v = await embedder.embedQuery('hello');
    expect(v).toHaveLength(512);
    expect(calls).toHaveLength(3);
  });

  it('gives up after options.maxRetries with the server message', async () => {
    failures = Array.from({ length: 5 }, () => ({ status: 500, headers: { 'retry-after-ms': '5' }, body: { error: { message: 'still overloaded' } } }));
    const embedder = createOpenAIEmbeddingProvider({ apiKey: 'sk-test', baseURL, maxRetries: 1 });
    await expect(embedder.embedQuery('hello')).rejects.toThrow(/still overloaded/);
    expect(calls).toHaveLength(2);
  });

  it('does not retry a request the server rejects as invalid', async () => {
    failures = [{ status: 400, body: { error: { message: 'invalid model', type: 'invalid_request_error' } } }];
    const embedder = createOpenAIEmbeddingProvider({ apiKey: 'sk-test', baseURL, model: 'nope' });
    await expect(embedder.embedQuery('hello')).rejects.toThrow(/invalid model/);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body.model).toBe('nope');
  });

  it('refuses vectors of another size than the database stores', async () => {
    dimensions = 384;
    const embedder = createOpenAIEmbeddingProvider({ apiKey: 'sk-test', baseURL, model: 'all-minilm' });
    await expect(embedder.embedQuery('hello')).rejects.toThrow(/returned 384 dimensions; Docent stores 512/);
  });

  it('matches vectors to inputs by index when the server sends data out of order', async () => {
    answer = (body, res) => sendData(res, embeddingData(body.input).reverse());
    const embedder = createOpenAIEmbeddingProvider({ apiKey: 'sk-test', baseURL });
    const texts = ['alpha', 'beta', 'gamma'];
    const vectors = await embedder.embedDocuments(texts);
    for (const [i, v] of vectors.entries()) {
      const raw = vectorFor(texts[i]!, 512);
      expect(v[5]! / v[0]!).toBeCloseTo(raw[5]! / raw[0]!, 6);
    }
  });

  it('refuses a response whose indexes are not exactly 0 to n-1, naming the model and server', async () => {
    answer = (body, res) => sendData(res, embeddingData(body.input).map((d) => ({ ...d, index: 0 })));
    const embedder = createOpenAIEmbeddingProvider({ apiKey: 'sk-test', baseURL });
    await expect(embedder.embedDocuments(['alpha', 'beta'])).rejects.toThrow(
      `embedding model openai:text-embedding-3-small at ${baseURL}: the response's data indexes are not 0 to 1 (got 0, 0)`,
    );
    expect(calls).toHaveLength(1); // not retried: the same server would answer the same way
  });

  it('returns a vector holding null, NaN or Infinity as sent (not normalised), for checkVector to name', async () => {
    const texts = ['alpha', 'beta', 'gamma'];
    const literal = (value: string) => (body: Call['body'], res: ServerResponse) => {
      const json = JSON.stringify({ object: 'list', data: embeddingData(body.input) });
      // Bare NaN / Infinity are not JSON; some servers send them anyway.
      res.writeHead(200, { 'content-type': 'application/json' }).end(json.replace(/("index":1,"embedding":\[)[^,]+/, `$1${value}`));
    };
    for (const [value, expected] of [
      ['null', null],
      ['NaN', Number.NaN],
      ['-Infinity', -Infinity],
    ] as const) {
      answer = literal(value);
      const vectors = await createOpenAIEmbeddingProvider({ apiKey: 'sk-test', baseURL }).embedDocuments(texts);
      expect(vectors[1]![0], value).toBe(expected);
      expect(vectors[1]![1]).toBe(vectorFor('beta', 512)[1]);
      expect(checkVector(vectors[1], 512)?.message).toMatch(/^a vector with .+ at position 0 \(of 512\)$/);
      expect(Math.hypot(...vectors[0]!)).toBeCloseTo(1, 6);
      expect(Math.hypot(...vectors[2]!)).toBeCloseTo(1, 6);
    }
  });

  it('bounds each request: a server that never answers fails with "timed out", naming the model and server', async () => {
    answer = () => {}; // accepts the request and never answers
    const embedder = createOpenAIEmbeddingProvider({ apiKey: 'sk-test', baseURL, documentTimeoutMs: 300, queryTimeoutMs: 200 });
    const started = Date.now();
    await expect(embedder.embedDocuments(['alpha'])).rejects.toThrow(
      `embedding model openai:text-embedding-3-small at ${baseURL}: timed out: no answer within 0.3 s`,
    );
    await expect(embedder.embedQuery('hello')).rejects.toThrow(/: timed out: no answer within 0\.2 s$/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("rethrows the caller's own abort as it is", async () => {
    answer = () => {};
    const embedder = createOpenAIEmbeddingProvider({ apiKey: 'sk-test', baseURL });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await embedder.embedQuery('hello', { signal: controller.signal }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
  });

  it('says which model and server failed, and why, with credentials redacted', async () => {
    failures = Array.from({ length: 3 }, () => ({
      status: 500,
      headers: { 'retry-after-ms': '5' },
      body: { error: { message: 'The server had an error while processing your request.' } },
    }));
    const embedder = createOpenAIEmbeddingProvider({ apiKey: 'sk-test-SECRET-key-123', baseURL, maxRetries: 2 });
    await expect(embedder.embedQuery('hello')).rejects.toThrow(
      `embedding model openai:text-embedding-3-small at ${baseURL}: failed after 3 attempts: HTTP 500: The server had an error while processing your request.`,
    );

    // A server that echoes the key in its error (as some gateways do).
    answer = (_body, res) =>
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'Incorrect API key provided: Bearer sk-test-SECRET-key-123' } }));
    const error = (await embedder.embedQuery('hello').catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(
      `embedding model openai:text-embedding-3-small at ${baseURL}: HTTP 401: Incorrect API key provided: Bearer *** (check OPENAI_API_KEY)`,
    );

    const port = await closedPort();
    const closed = createOpenAIEmbeddingProvider({ baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
    const refused = (await closed.embedQuery('hello').catch((e: unknown) => e)) as Error;
    expect(refused.message).toMatch(
      new RegExp(`^embedding model openai:text-embedding-3-small at http://127\\.0\\.0\\.1:${port}/v1: Cannot connect to API: .*ECONNREFUSED`),
    );
    expect(refused.message).toMatch(/ \(is the server running\? check OPENAI_BASE_URL\)$/);

    answer = (_body, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data": "nope"}');
    await expect(embedder.embedQuery('hello')).rejects.toThrow(
      `embedding model openai:text-embedding-3-small at ${baseURL}: the server sent a response that is not an embeddings response (Invalid JSON response)`,
    );
  });
});
