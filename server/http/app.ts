/**
 * The HTTP application. Routes only wire things: parse input, call one core function, shape the
 * response. Build it with `createApp()` and call `app.request()` in tests; `server/main.ts`
 * serves it on a port.
 */
import { count } from 'drizzle-orm';
import { Hono } from 'hono';
import type { Config } from '../config';
import { chunks, documents } from '../db/schema';
import type { DatabaseHandle } from '../db/open';
import { handleError, handleNotFound } from './errors';

export interface AppOptions {
  /** The open database. */
  database: DatabaseHandle;
  /** The validated configuration. */
  config: Config;
}

export function createApp(options: AppOptions) {
  const { database } = options;
  const { db } = database;
  const app = new Hono();

  app.onError(handleError);
  app.notFound(handleNotFound);

  app.get('/api/health', async (c) => {
    const [[docs], [chunkCount]] = await Promise.all([
      db.select({ n: count() }).from(documents),
      db.select({ n: count() }).from(chunks),
    ]);
    return c.json({
      status: 'ok',
      database: database.kind,
      documents: docs?.n ?? 0,
      chunks: chunkCount?.n ?? 0,
    });
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
