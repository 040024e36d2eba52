/**
 * A reader's question when the hosted embedding server cannot embed it (other than a rate limit):
 * it times out, cannot be reached, resets the connection, answers 5xx after the retries, sends a
 * response that is not an embeddings response, refuses the key or does not know the model. Search
 * answers `503` `embedding_unavailable` with `Retry-After` for a failure that passes and `502`
 * `embedding_failed` for one that will not; chat ends its stream with a message saying that the
 * question could not be embedded (searched) and why, stored as told; `npm run ask` exits 75 for
 * a failure that passes. Neither says the server's address, its text or the key.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { answerExitCode, EXIT_ANSWER_FAILED, EXIT_TRY_LATER } from '../server/ask-exit';
import { loadConfig } from '../server/config';
import { createOpenAIEmbeddingProvider } from '../server/embed/openai';
import { createApp } from '../server/http/app';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';
import { seedDocuments } from './helpers/seed';

const KEY = 'sk-live-SECRET-embedding-key-42';
/** Text the embedding server puts in its errors, which readers must never see. */
const INTERNAL = 'http://admin:hunter2@embed.internal:8080';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

/** How the stub embedding server fails, by the case's name. */
const failures: Record<string, Handler> = {
  'times out': () => {}, // accepts the request and never answers
  'resets the connection': (req) => req.socket.destroy(),
  'answers 503 after the retries': (_req, res) => json(res, 503, { error: { message: `upstream ${INTERNAL} is down` } }, { 'retry-after': '7' }),
  'sends a response that is not an embeddings response': (_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<html>proxy login at ${INTERNAL}</html>`),
  'refuses the key (401)': (_req, res) => json(res, 401, { error: { message: `Incorrect API key provided: ${KEY} (${INTERNAL})` } }),
  'does not know the model (404)': (_req, res) => json(res, 404, { error: { message: `The model does not exist at ${INTERNAL}` } }),
};

interface Case {
  name: string;
  status: number;
  code: string;
  told: string;
  retryAfter: string | null;
  exit: number;
}

const cases: Case[] = [
  {
    name: 'times out',
    status: 503,
    code: 'embedding_unavailable',
    told: 'The docs could not be searched for your question: the search service did not answer within 0.5 s. Please try again.',
    retryAfter: '5',
    exit: EXIT_TRY_LATER,
  },
  {
    name: 'cannot be reached',
    status: 503,
    code: 'embedding_unavailable',
    told: 'The docs could not be searched for your question: the search service cannot be reached. Please try again.',
    retryAfter: '5',
    exit: EXIT_TRY_LATER,
  },
  {
    name: 'resets the connection',
    status: 503,
    code: 'embedding_unavailable',
    told: 'The docs could not be searched for your question: the search service cannot be reached. Please try again.',
    retryAfter: '5',
    exit: EXIT_TRY_LATER,
  },
  {
    name: 'answers 503 after the retries',
    status: 503,
    code: 'embedding_unavailable',
    told: 'The docs could not be searched for your question: the search service failed (HTTP 503). Please try again.',
    retryAfter: '7',
    exit: EXIT_TRY_LATER,
  },
  {
    name: 'sends a response that is not an embeddings response',
    status: 502,
    code: 'embedding_failed',
    told:
      'The docs could not be searched for your question: the search service sent an answer that cannot be read. ' +
      'Trying again will not help until the site’s operator fixes the server’s configuration.',
    retryAfter: null,
    exit: EXIT_ANSWER_FAILED,
  },
  {
    name: 'refuses the key (401)',
    status: 502,
    code: 'embedding_failed',
    told:
      'The docs could not be searched for your question: the search service refused this site’s credentials (HTTP 401). ' +
      'Trying again will not help until the site’s operator fixes the server’s configuration.',
    retryAfter: null,
    exit: EXIT_ANSWER_FAILED,
  },
  {
    name: 'does not know the model (404)',
    status: 502,
    code: 'embedding_failed',
    told:
      'The docs could not be searched for your question: the search service does not have the model this site asks for (HTTP 404). ' +
      'Trying again will not help until the site’s operator fixes the server’s configuration.',
    retryAfter: null,
    exit: EXIT_ANSWER_FAILED,
  },
];

describe.each(cases)('a question while the embedding server $name', (c) => {
  let database: TestDatabase;
  let server: Server | undefined;
  let baseURL: string;
  let requests = 0;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDocuments(database.db, createHashingEmbedder(), [
      { path: 'tickets.md', title: 'Tickets', sections: [{ heading: 'Tickets', text: 'Ferry tickets are sold at the pier kiosk.' }] },
    ]);
    const handler = failures[c.name];
    const listening = createServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => handler?.(req, res));
    });
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    const port = (listening.address() as AddressInfo).port;
    if (handler) server = listening;
    else await new Promise((resolve) => listening.close(resolve)); // nothing listens on the port
    baseURL = `http://127.0.0.1:${port}/v1`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    server?.close();
    await database?.close();
  });

  const app = () =>
    createApp({
      database,
      config: loadConfig({}),
      // Retries a few ms apart (the SDK's own backoff is 2, 4, 8 s); the deadline short.
      embedder: createOpenAIEmbeddingProvider({ apiKey: KEY, baseURL, maxRetries: 1, queryTimeoutMs: 500 }),
      siteDir: false,
    });

  it(`search answers ${c.status} ${c.code}, saying why without the server's address or text, and logs one line`, async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const response = await app().request('/api/search?q=ferry');
      const body = await response.text();
      expect(response.status).toBe(c.status);
      expect(JSON.parse(body)).toEqual({ error: { code: c.code, message: c.told } });
      expect(response.headers.get('retry-after')).toBe(c.retryAfter);
      expect(body).not.toMatch(/embed\.internal|hunter2|SECRET|127\.0\.0\.1/);
      expect(logged).toHaveBeenCalledTimes(1);
      const line = String(logged.mock.calls[0]![0]);
      expect(line).toMatch(/^\[docent\] GET \/api\/search failed: embedding model openai:text-embedding-3-small at http:\/\/127\.0\.0\.1:\d+\/v1: /);
      expect(line).not.toMatch(/SECRET|hunter2/);
    } finally {
      logged.mockRestore();
    }
  });

  it('chat ends the answer with that message, stores it as told (reopened, Retry offered only where it can help), and ask exits as the failure deserves', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const api = app();
      const response = await api.request('/api/chat', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'c1', trigger: 'submit-message', messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'Where are ferry tickets sold?' }] }] }),
      });
      const stream = await response.text();
      expect(stream).toContain(JSON.stringify({ type: 'error', errorText: c.told }));
      expect(stream).not.toMatch(/embed\.internal|hunter2|SECRET|127\.0\.0\.1/);

      const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
      const chat = (await (await api.request(`/api/chats/${response.headers.get('x-docent-chat-id')}`, { headers: { cookie } })).json()) as {
        messages: { role: string; status: string; error: string | null; metadata: { retryable?: boolean } }[];
      };
      expect(chat.messages.at(-1)).toMatchObject({ role: 'assistant', status: 'error', error: c.told });
      // The chat reopened from history says, as the stream did, whether asking again can help.
      const retryableOnStream = !stream.includes('"retryable":false');
      expect(retryableOnStream).toBe(c.exit === EXIT_TRY_LATER);
      expect(chat.messages.at(-1)!.metadata.retryable).toBe(retryableOnStream ? undefined : false);
      expect(answerExitCode(c.told)).toBe(c.exit);
    } finally {
      logged.mockRestore();
    }
  });
});

describe('a question when the embedding server is slow and retried', () => {
  it('is bounded by one deadline for every attempt (queryTimeoutMs), not one per attempt', async () => {
    let requests = 0;
    const server = createServer((req, res) => {
      requests++;
      req.resume();
      // Each attempt fails after 300 ms with a 500: four attempts would take 1.2 s and more.
      req.on('end', () => setTimeout(() => json(res, 500, { error: { message: 'overloaded' } }, { 'retry-after-ms': '1' }), 300));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
      const embedder = createOpenAIEmbeddingProvider({ baseURL, maxRetries: 3, queryTimeoutMs: 500 });
      const started = Date.now();
      const error = (await embedder.embedQuery('hello').catch((e: unknown) => e)) as { reason: unknown };
      expect(Date.now() - started).toBeLessThan(900);
      expect(error.reason).toEqual({ kind: 'timeout', seconds: 0.5 });
      expect(requests).toBe(2);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
