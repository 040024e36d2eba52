import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../server/db/migrate';
import { openDatabase } from '../server/db/open';
import { chats, messages, users } from '../server/db/schema';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('npm start (server/main.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'docent-main-'));
  const dataDir = join(dir, 'db');
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves, marks unfinished answers aborted, and shuts down cleanly on SIGTERM, releasing the lock', async () => {
    // A message left `streaming` by a previous run that crashed.
    const seed = await openDatabase(dataDir);
    await migrateDatabase(seed);
    const [user] = await seed.db.insert(users).values({}).returning();
    const [chat] = await seed.db.insert(chats).values({ userId: user!.id, clientChatId: 'c', title: 'q' }).returning();
    await seed.db.insert(messages).values({ chatId: chat!.id, role: 'assistant', content: 'half', status: 'streaming' });
    await seed.close();

    const port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, DATABASE_URL: dataDir, HOST: '127.0.0.1', PORT: String(port), INGEST_ON_START: 'false', OPENAI_API_KEY: '', OPENAI_BASE_URL: '', LANGSMITH_TRACING: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const deadline = Date.now() + 60_000;
    while (!output.includes('[docent] serving')) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(output).toContain(`[docent] serving http://127.0.0.1:${port}`);
    expect(output).toContain('marked 1 answer(s) left unfinished by a previous run as aborted');
    expect(output).toContain('answers: extractive');

    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'pglite' });
    expect(JSON.parse(readFileSync(`${dataDir}.lock`, 'utf8'))).toMatchObject({ purpose: 'server', url: `http://127.0.0.1:${port}` });

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('SIGTERM: shutting down');
    expect(existsSync(`${dataDir}.lock`)).toBe(false);

    const reopened = await openDatabase(dataDir);
    const rows = await reopened.db.select({ status: messages.status }).from(messages);
    await reopened.close();
    expect(rows).toEqual([{ status: 'aborted' }]);
  });
});
