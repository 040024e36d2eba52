/**
 * A reader's question while the hosted embedding server rate limits (HTTP 429, `Retry-After: 60`):
 * search answers `503` `embedding_rate_limited` with `Retry-After` at once, and chat ends its
 * stream with an error that says so and when to retry, stored as it was told.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { embeddingRateLimitMessage } from '../server/answer/errors';
import { answerExitCode, EXIT_TRY_LATER } from '../server/ask-exit';
import { loadConfig } from '../server/config';
import { createOpenAIEmbeddingProvider } from '../server/embed/openai';
import { createApp } from '../server/http/app';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';
import { seedDocuments } from './helpers/seed';

describe('a question while the embedding server rate limits', () => {
  let database: TestDatabase;
  let server: Server;
  let baseURL: string;
  let requests = 0;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDocuments(database.db, createHashingEmbedder(), [
      { path: 'tickets.md', title: 'Tickets', sections: [{ heading: 'Tickets', text: 'Ferry tickets are sold at the pier kiosk.' }] },
    ]);
    server = createServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () =>
        res
          .writeHead(429, { 'content-type': 'application/json', 'retry-after': '60' })
          .end(JSON.stringify({ error: { message: 'Rate limit reached for requests on http://embed.internal', code: 'rate_limit_exceeded' } })),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    server?.close();
    await database?.close();
  });

  const app = () => createApp({ database, config: loadConfig({}), embedder: createOpenAIEmbeddingProvider({ baseURL }), siteDir: false });
  const told = embeddingRateLimitMessage(60);

  it('search answers 503 embedding_rate_limited with Retry-After at once, after one request, and logs one line', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      requests = 0;
      const started = Date.now();
      const response = await app().request('/api/search?q=ferry');
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(requests).toBe(1);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('60');
      expect(await response.json()).toEqual({ error: { code: 'embedding_rate_limited', message: told } });
      expect(told).toBe(
        'The docs could not be searched for your question: the search service is busy: too many questions, or its quota is used up (HTTP 429; it asks to wait 60 s). Please try again.',
      );
      expect(logged).toHaveBeenCalledTimes(1);
      expect(String(logged.mock.calls[0]![0])).toMatch(/GET \/api\/search failed: embedding model openai:text-embedding-3-small at .*HTTP 429/);
    } finally {
      logged.mockRestore();
    }
  });

  it('chat ends the answer with that message at once, stores it as told, and ask would exit 75', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const api = app();
      const started = Date.now();
      const response = await api.request('/api/chat', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'c1', trigger: 'submit-message', messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'Where are ferry tickets sold?' }] }] }),
      });
      const stream = await response.text();
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(stream).toContain(JSON.stringify({ type: 'error', errorText: told }));
      expect(stream).not.toContain('embed.internal');

      const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
      const chat = (await (await api.request(`/api/chats/${response.headers.get('x-docent-chat-id')}`, { headers: { cookie } })).json()) as {
        messages: { role: string; status: string; error: string | null }[];
      };
      expect(chat.messages.at(-1)).toMatchObject({ role: 'assistant', status: 'error', error: told });
      expect(answerExitCode(told)).toBe(EXIT_TRY_LATER);
    } finally {
      logged.mockRestore();
    }
  });
});
