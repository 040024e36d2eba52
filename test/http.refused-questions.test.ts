/**
 * `GET /api/review/refused`: questions refused before any answer began (the first index being
 * built, a question over the length limit, a rate limit) are not stored, and are counted for the
 * review page, since the server started.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { createApp } from '../server/http/app';
import { createIndexStatus } from '../server/index-status';
import { MAX_QUESTION_CHARS } from '../server/question-limit';
import { createClient } from './helpers/client';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { SERVER_DOCS } from './helpers/docs';
import { createHashingEmbedder } from './helpers/embedder';
import { seedDocuments } from './helpers/seed';
import { chatBody, readChunks } from './helpers/ui-stream';

const ADMIN_TOKEN = 'refused-questions-admin-token-0123456789';
const embedder = createHashingEmbedder();

describe('GET /api/review/refused', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDocuments(database.db, embedder, SERVER_DOCS);
  });
  afterAll(async () => database?.close());

  it('counts questions refused while the index is built, over the length limit and over the rate limit; not the answered ones nor bad bodies', async () => {
    const indexStatus = createIndexStatus();
    const started = Date.now();
    const app = createApp({
      database,
      config: loadConfig({ ADMIN_TOKEN }),
      embedder,
      indexStatus,
      siteDir: false,
      chatRateLimit: { max: 2, windowMs: 60_000 },
      maxBodyBytes: 64 * 1024,
    });
    const refused = async () => {
      const res = await app.request('/api/review/refused', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(res.status).toBe(200);
      return (await res.json()) as Record<string, unknown>;
    };
    expect(await refused()).toEqual({ since: expect.any(String), indexBuilding: 0, tooLong: 0, rateLimited: 0 });
    expect(Date.parse(String((await refused()).since))).toBeGreaterThanOrEqual(started - 1000);

    const reader = createClient(app);
    const ask = (question: string) => reader.json('/api/chat', 'POST', chatBody(`c-${Math.random()}`, question));
    indexStatus.begin('building');
    expect((await ask('How do I configure the server?')).status).toBe(503);
    indexStatus.end();
    expect((await ask('x'.repeat(MAX_QUESTION_CHARS + 1))).status).toBe(400);
    expect((await ask('y'.repeat(100 * 1024))).status).toBe(413);
    // A body that is not a question is the client's mistake, not a refused question.
    expect((await reader.json('/api/chat', 'POST', { id: 'c', messages: [] })).status).toBe(400);
    // The first question creates the reader (counted by address); then two more by its cookie.
    for (const question of ['How do I configure the server?', 'And the port?', 'And the host?']) await readChunks(await ask(question));
    expect((await ask('And the log level?')).status).toBe(429);

    expect(await refused()).toMatchObject({ indexBuilding: 1, tooLong: 2, rateLimited: 1 });
  });

  it('is for admins only', async () => {
    const app = createApp({ database, config: loadConfig({ ADMIN_TOKEN }), embedder, siteDir: false });
    expect((await app.request('/api/review/refused')).status).toBe(401);
  });
});
