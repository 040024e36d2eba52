/**
 * A local server speaking OpenAI's embeddings protocol (`POST /v1/embeddings`), for tests of how
 * Docent handles an embedding server that fails: `failure()` is asked before each request, and
 * answers with the HTTP error it returns, if any; otherwise the texts get bag-of-words vectors
 * (512-d; texts sharing words point the same way), so retrieval over seeded docs still works.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An HTTP error the stub answers with instead of vectors. */
export interface EmbeddingStubFailure {
  status: number;
  /** The JSON body (OpenAI's `{ error: { message } }`). */
  body: unknown;
  headers?: Record<string, string>;
}

export interface EmbeddingStub {
  server: Server;
  /** The `baseURL` for `createOpenAIEmbeddingProvider` / `OPENAI_BASE_URL` (ends in `/v1`). */
  baseURL: string;
  close(): void;
}

/** The bag-of-words vector of `text` (512-d). */
function bagOfWords(text: string): number[] {
  const v = new Array<number>(512).fill(0.001);
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) v[[...word].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 512, 7)]! += 1;
  return v;
}

/** Starts the stub on a free port of 127.0.0.1. */
export async function startEmbeddingStub(failure: () => EmbeddingStubFailure | undefined = () => undefined): Promise<EmbeddingStub> {
  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const part of req) raw += part;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    const failed = failure();
    if (failed) return send(failed.status, failed.body, failed.headers);
    const input = (JSON.parse(raw) as { input: string[] }).input;
    const data = input.map((text, index) => ({ object: 'embedding', index, embedding: bagOfWords(text) }));
    send(200, { object: 'list', data, usage: { prompt_tokens: 1, total_tokens: 1 } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}
