import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createDataDir, temporaryDataDir } from '../server/db/create-data-dir';
import { knownMigrations, migrateDatabase } from '../server/db/migrate';
import { openDatabase, queryRows } from '../server/db/open';

const dir = mkdtempSync(join(tmpdir(), 'docent-create-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A drizzle-kit migrations folder named `name` of one migration of `statements`. */
function migrationsFolder(name: string, statements: string[]): string {
  const folder = join(dir, name);
  mkdirSync(join(folder, 'meta'), { recursive: true });
  writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify({ version: '7', dialect: 'postgresql', entries: [{ idx: 0, version: '7', when: 1_700_000_000_000, tag: '0000_test', breakpoints: true }] }));
  writeFileSync(join(folder, '0000_test.sql'), statements.join('\n--> statement-breakpoint\n'));
  return folder;
}

/** Polls `condition` every 5 ms until it holds or `ms` pass; whether it held. */
async function eventually(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return condition();
}

describe('openDatabase() on a new embedded database', () => {
  it('keeps the event loop turning while the database is created, under a temporary name renamed into place', async () => {
    const dataDir = join(dir, 'fresh');
    const temporary = temporaryDataDir(dataDir);
    // What a timer sees while the database is created: initdb on the main thread would let none run meanwhile.
    const seen: { temporary: boolean; dataDir: boolean }[] = [];
    const probe = setInterval(() => seen.push({ temporary: existsSync(join(temporary, 'PG_VERSION')), dataDir: existsSync(dataDir) }), 5);
    const handle = await openDatabase(dataDir, { sharedBuffers: 16 });
    clearInterval(probe);
    try {
      const during = seen.filter((s) => s.temporary);
      expect(during.length).toBeGreaterThan(0);
      expect(during.every((s) => !s.dataDir)).toBe(true);
      expect(existsSync(temporary)).toBe(false);
      expect(await queryRows(handle.db, sql`select 1 as one`)).toEqual([{ one: 1 }]);
    } finally {
      await handle.close();
    }
  });

  it('creates the database in an empty folder made beforehand', async () => {
    const dataDir = join(dir, 'empty-folder');
    mkdirSync(dataDir);
    const handle = await openDatabase(dataDir, { sharedBuffers: 16 });
    try {
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    } finally {
      await handle.close();
    }
  });

  it('leaves no database behind when the process is killed while creating it, and the next open creates it', async () => {
    const dataDir = join(dir, 'killed');
    const temporary = temporaryDataDir(dataDir);
    const opener = `import { openDatabase } from ${JSON.stringify(new URL('../server/db/open.ts', import.meta.url).pathname)};
await openDatabase(${JSON.stringify(dataDir)}, { sharedBuffers: 16 });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', opener], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Killed part way: the temporary directory holds some of the database's files.
    expect(await eventually(() => existsSync(join(temporary, 'PG_VERSION')), 60_000)).toBe(true);
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(false);

    writeFileSync(join(temporary, 'leftover'), 'half-made');
    const handle = await openDatabase(dataDir, { sharedBuffers: 16 });
    try {
      expect(await queryRows(handle.db, sql`select 1 as one`)).toEqual([{ one: 1 }]);
      expect(existsSync(temporary)).toBe(false);
      expect(existsSync(join(dataDir, 'leftover'))).toBe(false);
    } finally {
      await handle.close();
    }
  }, 120_000);

  it('applies the migrations before the database is renamed into place, so none is left for the main thread', async () => {
    const dataDir = join(dir, 'migrated');
    const handle = await openDatabase(dataDir, { sharedBuffers: 16 });
    try {
      const applied = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect(applied).toEqual([{ n: knownMigrations().length }]);
      const plan = await migrateDatabase(handle);
      expect(plan.pending).toEqual([]);
    } finally {
      await handle.close();
    }
  });

  it('leaves no database behind when a migration fails while it is created, and says why', async () => {
    const dataDir = join(dir, 'bad-migration');
    const folder = migrationsFolder('bad-migrations', ['create table fine (id int)', 'select * from no_such_table']);
    await expect(createDataDir(dataDir, { migrationsFolder: folder })).rejects.toThrow(/no_such_table/);
    expect(existsSync(dataDir)).toBe(false);
    expect(existsSync(temporaryDataDir(dataDir))).toBe(false);
  });

  it('leaves no half-migrated database behind when the process is killed while migrating it, and the next open creates it', async () => {
    const dataDir = join(dir, 'killed-migrating');
    const temporary = temporaryDataDir(dataDir);
    // The migration leaves a mark in the data directory as it starts, then runs for long.
    const folder = migrationsFolder('slow-migrations', [
      "do $$ begin execute format('copy (select 1) to %L', current_setting('data_directory') || '/migration-started'); end $$",
      'create table big as select g from generate_series(1, 50000000) g',
    ]);
    const creator = `import { createDataDir } from ${JSON.stringify(new URL('../server/db/create-data-dir.ts', import.meta.url).pathname)};
await createDataDir(${JSON.stringify(dataDir)}, { migrationsFolder: ${JSON.stringify(folder)} });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', creator], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    expect(await eventually(() => existsSync(join(temporary, 'migration-started')), 60_000)).toBe(true);
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(dataDir)).toBe(false);

    const handle = await openDatabase(dataDir, { sharedBuffers: 16 });
    try {
      expect((await migrateDatabase(handle)).pending).toEqual([]);
      expect(existsSync(join(dataDir, 'migration-started'))).toBe(false);
      expect(existsSync(temporary)).toBe(false);
    } finally {
      await handle.close();
    }
  }, 120_000);
});
