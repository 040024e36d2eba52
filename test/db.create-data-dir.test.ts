import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { temporaryDataDir } from '../server/db/create-data-dir';
import { openDatabase, queryRows } from '../server/db/open';

const dir = mkdtempSync(join(tmpdir(), 'docent-create-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
});
