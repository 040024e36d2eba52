/**
 * Composition root: configuration → database → migrations → ingest content → serve.
 * `npm start` runs this file.
 */
import { serve } from '@hono/node-server';
import { ConfigError, loadConfig, loadDotEnv } from './config';
import { migrateDatabase } from './db/migrate';
import { openDatabase } from './db/open';
import { DatabaseLockedError } from './db/lock';
import { createApp } from './http/app';
import { ingestOnStart } from '../ingest/on-start';

async function main() {
  loadDotEnv();
  const config = loadConfig();
  const database = await openDatabase(config.databaseUrl, { purpose: 'server' });
  console.log(`[docent] database: ${database.description}`);
  await migrateDatabase(database);
  if (config.content.ingestOnStart) await ingestOnStart(database.db, config);

  const app = createApp({ database, config });
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
    const url = `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${info.port}`;
    database.lock?.update({ url });
    console.log(`[docent] serving ${url}`);
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[docent] ${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DatabaseLockedError) {
    console.error(`[docent] ${error.message}`);
  } else {
    console.error('[docent] failed to start:', error);
  }
  process.exit(1);
});
