import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseTooNewError, type KnownMigration, knownMigrations, migrateDatabase, migrationPlan } from '../server/db/migrate';
import { queryRows } from '../server/db/open';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { FIXTURES_DIR } from './helpers/content';

const known: KnownMigration[] = [
  { tag: '0000_a', when: 1000, hash: 'h0' },
  { tag: '0001_b', when: 2000, hash: 'h1' },
  { tag: '0002_c', when: 3000, hash: 'h2' },
];

describe('migrationPlan()', () => {
  it('plans every migration for a new database, and those after the newest applied one otherwise', () => {
    expect(migrationPlan(known, [], 'db')).toEqual({ pending: ['0000_a', '0001_b', '0002_c'], fresh: true, warnings: [] });
    const applied = [
      { hash: 'h0', createdAt: 1000 },
      { hash: 'h1', createdAt: 2000 },
    ];
    expect(migrationPlan(known, applied, 'db')).toEqual({ pending: ['0002_c'], fresh: false, warnings: [] });
  });

  it('refuses a database migrated by a newer version, naming this version\'s newest migration', () => {
    const applied = [...known.map((m) => ({ hash: m.hash, createdAt: m.when })), { hash: 'h3', createdAt: Date.UTC(2027, 0, 2) }];
    expect(() => migrationPlan(known, applied, 'embedded database at /data')).toThrow(DatabaseTooNewError);
    expect(() => migrationPlan(known, applied, 'embedded database at /data')).toThrow(
      /^embedded database at \/data was migrated by a newer version of Docent: it has 1 migration\(s\) this version does not have \(the newest from 2027-01-02; this version's newest is 0002_c\)\. Run the newer version, or restore the backup/,
    );
  });

  it('warns of an applied migration changed or dropped since (development builds), and still plans the rest', () => {
    const applied = [
      { hash: 'h0-edited', createdAt: 1000 },
      { hash: 'gone', createdAt: 1500 },
    ];
    const plan = migrationPlan(known, applied, 'db');
    expect(plan.pending).toEqual(['0001_b', '0002_c']);
    expect(plan.warnings).toEqual([
      'migration 0000_a was changed after the database applied it; the database keeps the earlier version',
      'the database applied a migration from 1970-01-01T00:00:01.500Z that is not in migrations/ (removed or renamed since)',
    ]);
  });
});

describe('migrations/', () => {
  it('never changes a landed migration: each keeps its file and journal entry, and new ones come after', () => {
    // A database applies each migration once, by its journal time: editing one after it landed
    // leaves databases that applied it with the old version, unnoticed. Add a new migration
    // instead, and list it in test/fixtures/landed-migrations.json in the commit that adds it.
    const landed = JSON.parse(readFileSync(join(FIXTURES_DIR, 'landed-migrations.json'), 'utf8')) as KnownMigration[];
    const current = knownMigrations();
    expect(current.slice(0, landed.length)).toEqual(landed);
    expect(current.length, 'a migration missing from test/fixtures/landed-migrations.json').toBe(landed.length);
    for (let i = 1; i < current.length; i++) expect(current[i]!.when).toBeGreaterThan(current[i - 1]!.when);
  });
});

describe.each(['pglite', 'postgres'] as const)('migrateDatabase() on %s', (kind) => {
  let database: TestDatabase | undefined;
  afterAll(async () => {
    await database?.close();
  });

  it('applies nothing the second time, with no warnings: the stored hashes are the files\'', async () => {
    database = await createTestDatabase(kind);
    expect(await migrateDatabase(database)).toEqual({ pending: [], fresh: false, warnings: [] });
  });

  it('refuses a database a newer version migrated, and leaves it as it was', async () => {
    // Through PGlite itself on the postgres path: pglite-socket serves one connection at a time,
    // and migrateDatabase() opens its own.
    const query = async (text: string) => (database!.pglite ? (await database!.pglite.query<{ n: number }>(text)).rows : queryRows<{ n: number }>(database!.db, sql.raw(text)));
    await query(`insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-a-newer-docent', ${Date.now() + 86_400_000})`);
    await expect(migrateDatabase(database!)).rejects.toThrow(/was migrated by a newer version of Docent: it has 1 migration\(s\) this version does not have/);
    const [row] = await query('select count(*)::int as n from drizzle.__drizzle_migrations');
    expect(row!.n).toBe(knownMigrations().length + 1);
  });
});
