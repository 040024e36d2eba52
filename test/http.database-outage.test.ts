/**
 * The HTTP API while Postgres is unreachable (a restart, an outage): `503` answers that say so,
 * a health check a load balancer can act on, one log line per failure, and recovery on its own
 * once the database is back.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../server/config';
import { migrateDatabase } from '../server/db/migrate';
import { type DatabaseHandle, openDatabase } from '../server/db/open';
import { createApp } from '../server/http/app';
import { createHashingEmbedder } from './helpers/embedder';
import { type RestartablePostgres, startRestartablePostgres } from './helpers/restartable-postgres';
import { chatBody } from './helpers/ui-stream';

describe('the API while the database is down', () => {
  let postgres: RestartablePostgres;
  let database: DatabaseHandle;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    postgres = await startRestartablePostgres();
    database = await openDatabase(postgres.url, { maxConnections: 1 });
    await migrateDatabase(database);
    app = createApp({ database, config: loadConfig({}), embedder: createHashingEmbedder(), siteDir: false });
  });
  afterAll(async () => {
    await database?.close();
    await postgres?.close();
  });

  it('answers 503 database_unavailable with Retry-After, health says unavailable, and each failure logs one line', async () => {
    expect((await app.request('/api/health')).status).toBe(200);
    await postgres.stop();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const health = await app.request('/api/health');
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: 'unavailable', database: 'postgres', error: 'The database cannot be reached.' });

      const chat = await app.request('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(chatBody('outage', 'How do I set a cookie?')) });
      expect(chat.status).toBe(503);
      expect(chat.headers.get('retry-after')).toBe('5');
      expect(await chat.json()).toEqual({ error: { code: 'database_unavailable', message: 'The database cannot be reached right now. Please try again in a moment.' } });

      const search = await app.request('/api/search?q=cookie');
      expect(search.status).toBe(503);
      expect(((await search.json()) as { error: { code: string } }).error.code).toBe('database_unavailable');

      expect(logged).toHaveBeenCalledTimes(3);
      for (const call of logged.mock.calls) {
        expect(call).toHaveLength(1);
        expect(String(call[0]), String(call[0])).toMatch(/^\[docent\] (GET|POST) \/api\/\S+:? .*cannot connect to the database: (ECONNREFUSED|CONNECTION_CLOSED) /);
        expect(String(call[0])).not.toContain('\n');
      }
    } finally {
      logged.mockRestore();
    }
  });

  it('recovers on its own once the database is back, within the 5 seconds its Retry-After asked for', async () => {
    await postgres.start();
    const back = Date.now();
    let health = await app.request('/api/health');
    while (health.status === 503 && Date.now() - back < 5_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      health = await app.request('/api/health');
    }
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'postgres' });
    const search = await app.request('/api/search?q=cookie');
    expect(search.status).toBe(200);
  });
});
