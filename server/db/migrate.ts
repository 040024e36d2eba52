/**
 * Applies the SQL migrations in `migrations/` (written by drizzle-kit) to an open database.
 * Runs on every start and in tests; applying them twice is a no-op.
 *
 * drizzle-kit's own `migrate` command is not used: its PGlite driver opens PGlite without the
 * pgvector extension. On Postgres, a session advisory lock lets several server instances start
 * at once without racing each other through the migrations.
 */
import { fileURLToPath } from 'node:url';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import postgres from 'postgres';
import type { DatabaseHandle } from './open';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Advisory lock key shared by every Docent instance migrating the same database. */
const MIGRATION_LOCK_KEY = 4_242_001;

export async function migrateDatabase(handle: DatabaseHandle, migrationsFolder = MIGRATIONS_DIR): Promise<void> {
  if (handle.kind === 'pglite') {
    await migratePglite(handle.db as unknown as PgliteDatabase<Record<string, unknown>>, { migrationsFolder });
    return;
  }
  if (!handle.url) throw new Error('migrateDatabase: the Postgres handle has no URL');
  const client = postgres(handle.url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      await migratePostgres(drizzlePostgres({ client }), { migrationsFolder });
    } finally {
      await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}
