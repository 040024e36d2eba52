import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireLock, readLockOwner } from '../server/db/lock';

const dir = mkdtempSync(join(tmpdir(), 'docent-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A process that waits for `go` to exist, then tries to take the lock, prints GOT or LOCKED, and holds it a moment. */
const CONTENDER = `
import { existsSync } from 'node:fs';
import { acquireLock } from ${JSON.stringify(new URL('../server/db/lock.ts', import.meta.url).pathname)};
const [lockPath, go] = process.argv.slice(-2);
while (!existsSync(go)) await new Promise((r) => setTimeout(r, 1));
try {
  const lock = acquireLock(lockPath, 'db', 'ingest');
  console.log('GOT');
  setTimeout(() => lock.release(), 700);
} catch (error) {
  console.log(error.name === 'DatabaseLockedError' ? 'LOCKED' : 'ERROR ' + error.message);
}
`;

/** Starts `n` processes contending for `lockPath` at the same instant; their outputs. */
async function contend(lockPath: string, n: number): Promise<string[]> {
  const go = `${lockPath}.go`;
  const children = Array.from({ length: n }, () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CONTENDER, '--', lockPath, go], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    return new Promise<string>((resolve) => child.on('exit', () => resolve(out.trim())));
  });
  await new Promise((r) => setTimeout(r, 4_000)); // every process loaded and waiting
  writeFileSync(go, '');
  return Promise.all(children);
}

describe('acquireLock()', () => {
  it.each([
    ['no lock', () => {}],
    ['a lock left by a dead process', (path: string) => writeFileSync(path, JSON.stringify({ pid: 2 ** 22 + 1, host: hostname(), startedAt: 'then', purpose: 'ingest' }))],
    ['an empty lock file', (path: string) => writeFileSync(path, '')],
  ])('gives the lock to exactly one of several processes starting at once (%s)', { timeout: 60_000 }, async (_, before) => {
    for (let trial = 0; trial < 3; trial++) {
      const lockPath = join(dir, `${_.replace(/\W/g, '-')}-${trial}.lock`);
      before(lockPath);
      const outputs = await contend(lockPath, 4);
      expect(outputs.filter((o) => o === 'GOT'), outputs.join(', ')).toHaveLength(1);
      expect(outputs.filter((o) => o === 'LOCKED')).toHaveLength(3);
    }
    // No temporary or takeover files are left behind.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp') || f.endsWith('.takeover'))).toEqual([]);
  });

  it('update() records the new owner fields each time, and release() removes the lock', () => {
    const lockPath = join(dir, 'update.lock');
    const lock = acquireLock(lockPath, 'db', 'server');
    try {
      for (let i = 0; i < 200; i++) {
        lock.update({ url: `http://localhost:${4000 + i}` });
        expect(readLockOwner(lockPath)?.url).toBe(`http://localhost:${4000 + i}`);
      }
    } finally {
      lock.release();
    }
    expect(existsSync(lockPath)).toBe(false);
  });
});
