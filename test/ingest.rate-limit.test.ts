/**
 * An ingest whose hosted embedding server rate limits (HTTP 429 with `Retry-After`): the run waits
 * it out and says so in its progress, instead of failing after the SDK's retries or looking hung.
 * The wait is milliseconds (`retry-after-ms`): nothing really waits.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestContent } from '../ingest/index';
import type { IngestProgress } from '../ingest/types';
import { createOpenAIEmbeddingProvider } from '../server/embed/openai';
import { copyFixture, removeTempDirs } from './helpers/content';
import { createTestDatabase, type TestDatabase } from './helpers/database';

describe('ingest on a rate-limited embedding server', () => {
  let database: TestDatabase;
  let server: Server;
  let baseURL: string;
  let refusals = 0;
  let requests = 0;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    server = createServer(async (req, res) => {
      let raw = '';
      for await (const part of req) raw += part;
      requests++;
      if (refusals > 0) {
        refusals--;
        res
          .writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': '20' })
          .end(JSON.stringify({ error: { message: 'Rate limit reached for requests', code: 'rate_limit_exceeded' } }));
        return;
      }
      const input = (JSON.parse(raw) as { input: string[] }).input;
      const data = input.map((text, index) => ({ object: 'embedding', index, embedding: Array.from({ length: 512 }, (_, i) => ((text.charCodeAt(i % text.length) + i) % 7) + 1) }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    server?.close();
    await database?.close();
    removeTempDirs();
  });

  it('waits out five rate limits in a row, saying so each time, and indexes everything', async () => {
    refusals = 5;
    const embedder = createOpenAIEmbeddingProvider({ baseURL, maxRetries: 0, documentsRateLimit: { maxWaitMs: 1_000, maxTotalWaitMs: 1_000 } });
    const events: IngestProgress[] = [];
    const summary = await ingestContent(database.db, embedder, { contentDir: copyFixture('docs'), source: 'rate-limited', onProgress: (e) => events.push(e) });
    const said = events.filter((e) => e.message?.startsWith('rate limited'));
    expect(said.map((e) => [e.phase, e.message])).toEqual(
      Array.from({ length: 5 }, () => ['embed', 'rate limited by the embedding server (HTTP 429); waiting 1 s']),
    );
    expect(summary.errors).toEqual([]);
    expect(summary.chunks.embedded).toBeGreaterThan(0);
    expect(requests).toBeGreaterThan(5);
  });
});
