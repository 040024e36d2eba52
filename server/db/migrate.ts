/**
 * Applies the SQL migrations in `migrations/` (written by drizzle-kit) to an open database.
 * Runs on every start and in tests; applying them twice is a no-op.
 *
 * drizzle-kit's own `migrate` command is not used: its PGlite driver opens PGlite without the
 * pgvector extension. On Postgres, a session advisory lock lets several server instances start
 * at once without racing each other through the migrations.
 *
 * drizzle's migrator only compares the newest migration a database has applied with the ones it
 * knows, so by itself an older Docent would run on a database a newer one had migrated (and
 * re-process the whole index with its older parser). {@link migrationPlan} compares the applied
 * migrations with `migrations/` first: a database from a newer version is refused
 * ({@link DatabaseTooNewError}), and a migration changed or dropped after the database applied it
 * (only ever on a development build) is reported.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import postgres from 'postgres';
import { MIGRATIONS_DIR } from './migrations-folder';
import { type Database, type DatabaseHandle, POSTGRES_CLIENT_OPTIONS, queryRows } from './open';

export { MIGRATIONS_DIR };

/** Advisory lock key shared by every Docent instance migrating the same database. */
const MIGRATION_LOCK_KEY = 4_242_001;

/** A migration of `migrations/`, as drizzle records it once applied. */
export interface KnownMigration {
  tag: string;
  /** The journal's `when`, which drizzle stores as `created_at`. */
  when: number;
  /** sha256 of the SQL file, which drizzle stores as `hash`. */
  hash: string;
}

/** A row of `drizzle.__drizzle_migrations`. */
export interface AppliedMigration {
  hash: string;
  createdAt: number;
}

export interface MigrationPlan {
  /** Migrations this start applies, in order. */
  pending: string[];
  /** Whether the database had none applied (a new database). */
  fresh: boolean;
  /** Problems worth a warning: applied migrations changed or dropped since (development builds only). */
  warnings: string[];
}

/** The database was migrated by a newer Docent than this one. */
export class DatabaseTooNewError extends Error {
  override name = 'DatabaseTooNewError';
}

export interface MigrateOptions {
  /** The migrations folder. Default: the repository's `migrations/`. */
  migrationsFolder?: string;
  /** Called with the plan before anything is applied (to say what a long first start is doing). */
  onPlan?: (plan: MigrationPlan) => void;
}

/** The migrations of `folder`, from its drizzle-kit journal. */
export function knownMigrations(folder = MIGRATIONS_DIR): KnownMigration[] {
  const journal = JSON.parse(readFileSync(join(folder, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string; when: number }[] };
  return journal.entries.map(({ tag, when }) => ({
    tag,
    when,
    hash: createHash('sha256').update(readFileSync(join(folder, `${tag}.sql`), 'utf8')).digest('hex'),
  }));
}

/**
 * What migrating a database with `applied` migrations to `known` does, as drizzle's migrator
 * would: every known migration newer than the newest applied one. Throws
 * {@link DatabaseTooNewError} when the database has one newer than any known (a newer Docent
 * migrated it). `database` names it in the message.
 */
export function migrationPlan(known: readonly KnownMigration[], applied: readonly AppliedMigration[], database: string): MigrationPlan {
  const newestApplied = Math.max(0, ...applied.map((a) => a.createdAt));
  const newestKnown = known.at(-1);
  const newer = applied.filter((a) => a.createdAt > (newestKnown?.when ?? 0));
  if (newer.length > 0) {
    throw new DatabaseTooNewError(
      `${database} was migrated by a newer version of Docent: it has ${newer.length} migration(s) this version does not have ` +
        `(the newest from ${new Date(newestApplied).toISOString().slice(0, 10)}; this version's newest is ${newestKnown?.tag ?? 'none'}). ` +
        'Run the newer version, or restore the backup made before upgrading (an older version would re-process the index with its older rules).',
    );
  }
  const byWhen = new Map(known.map((m) => [m.when, m]));
  const warnings: string[] = [];
  for (const a of applied) {
    const m = byWhen.get(a.createdAt);
    if (!m) warnings.push(`the database applied a migration from ${new Date(a.createdAt).toISOString()} that is not in migrations/ (removed or renamed since)`);
    else if (m.hash !== a.hash) warnings.push(`migration ${m.tag} was changed after the database applied it; the database keeps the earlier version`);
  }
  return { pending: known.filter((m) => m.when > newestApplied).map((m) => m.tag), fresh: applied.length === 0, warnings };
}

/** The migrations a database has applied (none when drizzle's table is not there yet). */
async function appliedMigrations(db: Database): Promise<AppliedMigration[]> {
  const [table] = await queryRows<{ exists: boolean }>(db, sql`select to_regclass('drizzle.__drizzle_migrations') is not null as exists`);
  if (!table?.exists) return [];
  const rows = await queryRows<{ hash: string; created_at: string | number }>(db, sql`select hash, created_at from drizzle.__drizzle_migrations`);
  return rows.map((r) => ({ hash: r.hash, createdAt: Number(r.created_at) }));
}

/** Brings the database's schema up to date; returns what was applied. See {@link migrationPlan} for the checks. */
export async function migrateDatabase(handle: DatabaseHandle, options: MigrateOptions = {}): Promise<MigrationPlan> {
  const migrationsFolder = options.migrationsFolder ?? MIGRATIONS_DIR;
  const plan = async (db: Database) => {
    const p = migrationPlan(knownMigrations(migrationsFolder), await appliedMigrations(db), handle.description);
    options.onPlan?.(p);
    return p;
  };
  if (handle.kind === 'pglite') {
    const p = await plan(handle.db);
    if (p.pending.length > 0) await migratePglite(handle.db as unknown as PgliteDatabase<Record<string, unknown>>, { migrationsFolder });
    return p;
  }
  if (!handle.url) throw new Error('migrateDatabase: the Postgres handle has no URL');
  const client = postgres(handle.url, { ...POSTGRES_CLIENT_OPTIONS, max: 1 });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      // Planned under the lock: another instance may have just migrated.
      const db = drizzlePostgres({ client });
      const p = await plan(db as unknown as Database);
      if (p.pending.length > 0) await migratePostgres(db, { migrationsFolder });
      return p;
    } finally {
      await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}
