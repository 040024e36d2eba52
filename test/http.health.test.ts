import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { createApp } from '../server/http/app';
import { createTestDatabase, type TestDatabase } from './helpers/database';

describe('GET /api/health', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
  });
  afterAll(async () => database?.close());

  it('reports the database and what is indexed', async () => {
    const app = createApp({ database, config: loadConfig({}) });
    const res = await app.request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'pglite', documents: 0, chunks: 0, index: { state: 'ready' } });
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const app = createApp({ database, config: loadConfig({}) });
    const res = await app.request('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No route for GET /api/nothing-here' } });
  });
});
