import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openPastShuttingDownServer, ServerShutdownTimeoutError } from '../server/cli/shutting-down-server';
import { acquireLock, DatabaseLockedError } from '../server/db/lock';

const dir = mkdtempSync(join(tmpdir(), 'docent-shutdown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const holders: ChildProcess[] = [];
afterEach(() => {
  for (const holder of holders.splice(0)) holder.kill();
});

/** A live process standing for the server that holds the lock. */
function liveProcess(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  holders.push(child);
  return child;
}

/** A port nothing listens on (the shutting-down server closed it). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Writes the lock of a server process `pid` reachable (or not) at `url`. */
function writeServerLock(dataDir: string, pid: number, url: string): void {
  writeFileSync(`${dataDir}.lock`, JSON.stringify({ pid, host: hostname(), startedAt: new Date().toISOString(), purpose: 'server', url }));
}

/** Opens "the database" as the commands do: takes its lock (throwing DatabaseLockedError when held). */
const opener = (dataDir: string) => async () => acquireLock(`${dataDir}.lock`, dataDir, 'ingest');

describe('openPastShuttingDownServer()', () => {
  it('waits for a server that no longer listens to release the database, then opens it', async () => {
    const dataDir = join(dir, 'released');
    const holder = liveProcess();
    writeServerLock(dataDir, holder.pid!, `http://127.0.0.1:${await closedPort()}`);
    const told: string[] = [];
    setTimeout(() => rmSync(`${dataDir}.lock`), 300);
    const lock = await openPastShuttingDownServer(opener(dataDir), { onWait: (message) => told.push(message), timeoutMs: 10_000 });
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(`pid ${holder.pid}) is shutting down`);
    lock.release();
  });

  it('says to try again later when the server still holds the database after the wait', async () => {
    const dataDir = join(dir, 'held');
    const holder = liveProcess();
    writeServerLock(dataDir, holder.pid!, `http://127.0.0.1:${await closedPort()}`);
    const error = await openPastShuttingDownServer(opener(dataDir), { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerShutdownTimeoutError);
    expect((error as Error).message).toMatch(/shutting down\. Run this again in a few seconds/);
    expect((error as Error).message).not.toMatch(/stale|remove/i);
  });

  it('leaves a lock of a server that answers to the caller (it hands its work to that server)', async () => {
    const dataDir = join(dir, 'serving');
    const server = createServer((_req, res) => res.end('{"status":"ok"}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const holder = liveProcess();
      writeServerLock(dataDir, holder.pid!, `http://127.0.0.1:${(server.address() as { port: number }).port}`);
      const told: string[] = [];
      const error = await openPastShuttingDownServer(opener(dataDir), { onWait: (m) => told.push(m), timeoutMs: 300 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseLockedError);
      expect(told).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
