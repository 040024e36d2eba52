/** Temporary copies of the content fixtures, for tests that edit, rename or delete files. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

const created: string[] = [];

/** Copies `test/fixtures/<name>` into a new temporary folder and returns the copy's path. */
export function copyFixture(name = 'docs'): string {
  const dir = mkdtempSync(join(tmpdir(), 'docent-content-'));
  cpSync(join(FIXTURES_DIR, name), dir, { recursive: true });
  created.push(dir);
  return dir;
}

/** A new empty temporary folder. */
export function tempDir(prefix = 'docent-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes every folder made by this module (call from `afterAll`). */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}
