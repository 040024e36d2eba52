/**
 * Opens a database that already holds an index, for the commands that read it (search, ask):
 * unlike `openDatabase`, it never creates an embedded database where there is none, so a
 * mistyped `DATABASE_URL` is said as such instead of becoming a new, empty database.
 */
import { existsSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { type DatabaseHandle, openDatabase, parseDatabaseLocation, queryRows } from './open';
import type { SharedBuffersSetting } from './buffer-cache';

/** Whether the database has Docent's tables (it has been migrated), without creating anything. */
export async function hasIndexTables(db: DatabaseHandle['db']): Promise<boolean> {
  const [row] = await queryRows<{ ok: boolean }>(db, sql`select to_regclass('public.chunks') is not null as ok`);
  return row?.ok === true;
}

/** Thrown when `DATABASE_URL` names no database, or one without an index yet. */
export class NoIndexError extends Error {
  override readonly name = 'NoIndexError';
}

/**
 * Opens the database `databaseUrl` names when it exists and has Docent's tables. Throws
 * {@link NoIndexError} (nothing created) when it does not, and the database's own errors
 * (locked, unreachable) as they are.
 */
export async function openExistingIndex(
  databaseUrl: string | undefined,
  options: { purpose: string; cwd?: string; sharedBuffers?: SharedBuffersSetting },
): Promise<DatabaseHandle> {
  const location = parseDatabaseLocation(databaseUrl, options.cwd);
  if (location.kind === 'pglite' && location.dataDir !== undefined && !existsSync(location.dataDir)) {
    throw new NoIndexError(`No index at ${location.dataDir} yet: run \`npm run ingest\` (or \`npm start\`) first.`);
  }
  const handle = await openDatabase(databaseUrl, options);
  try {
    if (!(await hasIndexTables(handle.db))) throw new NoIndexError(`${handle.description} has no index yet: run \`npm run ingest\` (or \`npm start\`) first.`);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}
