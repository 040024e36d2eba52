/**
 * API responses hold one reader's chats and settings, or the review data: no cache may keep them
 * (`Cache-Control: no-store`), and none is read as anything but its content type (`nosniff`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { createApp } from '../server/http/app';
import { createClient, type TestClient } from './helpers/client';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { SERVER_DOCS } from './helpers/docs';
import { createHashingEmbedder } from './helpers/embedder';
import { seedDocuments } from './helpers/seed';
import { chatBody, readChunks } from './helpers/ui-stream';

const embedder = createHashingEmbedder();
const ADMIN_TOKEN = 'test-admin-token-0123456789';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('API response headers', () => {
  let database: TestDatabase;
  let app: ReturnType<typeof createApp>;
  let reader: TestClient;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDocuments(database.db, embedder, SERVER_DOCS);
    app = createApp({ database, config: loadConfig({ ADMIN_TOKEN }), embedder, siteDir: false });
    reader = createClient(app);
  });
  afterAll(async () => {
    await database?.close();
  });

  const expectNotStored = (res: Response) => {
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  };

  it('a reader’s chat stream, chats and settings are kept by no cache', async () => {
    const stream = await reader.json('/api/chat', 'POST', chatBody('headers-chat', 'How do I set a cookie?'));
    expectNotStored(stream);
    await readChunks(stream);
    expectNotStored(await reader.request('/api/chats'));
    expectNotStored(await reader.request('/api/chats/headers-chat'));
    expectNotStored(await reader.request('/api/settings'));
  });

  it('the review list and its CSV export are kept by no cache', async () => {
    expectNotStored(await app.request('/api/review/feedback', { headers: admin }));
    const csv = await app.request('/api/review/feedback.csv', { headers: admin });
    expect(csv.status).toBe(200);
    expectNotStored(csv);
  });

  it('error responses too, which may quote the request', async () => {
    const missing = await reader.request('/api/chats/%3Cscript%3E');
    expect(missing.status).toBe(404);
    expectNotStored(missing);
    const refused = await app.request('/api/review/feedback', { headers: { authorization: 'Bearer wrong-token-wrong-token' } });
    expect(refused.status).toBe(401);
    expectNotStored(refused);
  });
});
