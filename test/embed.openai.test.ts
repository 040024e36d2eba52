import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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

/** A deterministic, not normalised vector for a text: its length and char codes. */
const vectorFor = (text: string, dims: number) => Array.from({ length: dims }, (_, i) => (text.charCodeAt(i % text.length) % 7) + 1 + i / 1000);

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let raw = '';
    for await (const part of req) raw += part;
    const body = JSON.parse(raw) as Call['body'];
    calls.push({ auth: req.headers.authorization, body });
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
afterAll(async () => new Promise((resolve) => server?.close(resolve)));
beforeEach(() => {
  calls.length = 0;
  failures = [];
  dimensions = 512;
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
});
