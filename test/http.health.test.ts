import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { createApp, EMPTY_INDEX_WARNING } from '../server/http/app';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';
import { seedDocuments } from './helpers/seed';

describe('GET /api/health', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
  });
  afterAll(async () => database?.close());

  it('reports the database and what is indexed, and warns of an index that holds no page', async () => {
    const app = createApp({ database, config: loadConfig({}) });
    const res = await app.request('/api/health');
    expect(res.status).toBe(200);
    // Up, but every question would find nothing: still ok for a load balancer, with a warning for the operator.
    expect(await res.json()).toEqual({ status: 'ok', database: 'pglite', documents: 0, chunks: 0, index: { state: 'ready' }, warning: EMPTY_INDEX_WARNING });
    await seedDocuments(database.db, createHashingEmbedder(), [{ path: 'a.md', title: 'A', sections: [{ heading: 'A', text: 'Some text.' }] }]);
    expect(await (await app.request('/api/health')).json()).toEqual({ status: 'ok', database: 'pglite', documents: 1, chunks: 1, index: { state: 'ready' } });
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const app = createApp({ database, config: loadConfig({}) });
    const res = await app.request('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No route for GET /api/nothing-here' } });
  });
});

describe('GET /api/health and GET /api/search on an index embedded with another model than the server', () => {
  let database: TestDatabase;
  const indexModel = createHashingEmbedder('test:index-model@512');
  const serverModel = createHashingEmbedder('test:server-model@512');
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDocuments(database.db, indexModel, [{ path: 'cookies.md', title: 'Cookies', sections: [{ heading: 'Set a cookie', text: 'Call setCookie to set a cookie.' }] }]);
  });
  afterAll(async () => database?.close());

  it('names both models and what to run, in the health check and with search results', async () => {
    const app = createApp({ database, config: loadConfig({}), embedder: serverModel });
    const health = (await (await app.request('/api/health')).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', embeddingModel: 'test:server-model@512' });
    expect(health.warning).toMatch(/none of the 1 indexed chunks were embedded with this embedding model \(test:server-model@512\); they were with test:index-model@512.*npm run ingest/);
    const search = (await (await app.request('/api/search?q=set+a+cookie')).json()) as Record<string, unknown>;
    expect(search.warning).toBe(health.warning);
  });

  it('has no warning when the server embeds with the index\'s model', async () => {
    const app = createApp({ database, config: loadConfig({}), embedder: indexModel });
    const health = (await (await app.request('/api/health')).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', embeddingModel: 'test:index-model@512' });
    expect(health).not.toHaveProperty('warning');
    const search = (await (await app.request('/api/search?q=set+a+cookie')).json()) as Record<string, unknown>;
    expect(search).not.toHaveProperty('warning');
    expect(search.results).toHaveLength(1);
  });
});
