import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ingestContent } from '../ingest/index';
import { currentRunOwner } from '../ingest/run-owner';
import { migrateDatabase } from '../server/db/migrate';
import { type DatabaseHandle, openDatabase, queryRows } from '../server/db/open';
import { ingestRuns } from '../server/db/schema';
import { copyFixture, removeTempDirs, tempDir } from './helpers/content';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';

const REPO = fileURLToPath(new URL('..', import.meta.url));

afterAll(() => removeTempDirs());

/** `ingestContent` as another process has it: a module instance of its own, which does not know of this one's runs. */
async function ingestOfAnotherProcess(): Promise<typeof import('../ingest/index')['ingestContent']> {
  vi.resetModules();
  const module = await import('../ingest/index');
  vi.resetModules();
  return module.ingestContent;
}

// Only on Postgres: an embedded database belongs to one process (a second one is refused: lock.ts),
// whose runs of one source are one at a time (IngestBusyError).
describe('two processes ingesting one source at once on a shared Postgres (postgres.js)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
  });
  afterAll(async () => database?.close());

  it('the second waits for the first, says so, then reports the pages the first added as unchanged', async () => {
    const dir = copyFixture('docs');
    const first = await ingestOfAnotherProcess();
    const second = await ingestOfAnotherProcess();
    const embedder = createHashingEmbedder();
    const slow = { ...embedder, embedDocuments: async (texts: string[], options?: object) => (await new Promise((r) => setTimeout(r, 50)), embedder.embedDocuments(texts, options as never)) };
    const messages: string[] = [];
    const [a, b] = await Promise.all([
      first(database.db, slow, { contentDir: dir, source: 'docs', embedGroupSize: 1 }),
      new Promise((r) => setTimeout(r, 20)).then(() => second(database.db, embedder, { contentDir: dir, source: 'docs', onProgress: (event) => event.message && messages.push(event.message) })),
    ]);
    expect(a.documents.added).toBe(7);
    expect(b.documents).toMatchObject({ added: 0, unchanged: 7 });
    expect(messages[0]).toMatch(/^Another ingest of source "docs" is running \(started .+\); waiting for it to finish/);
    const runs = await queryRows<{ status: string }>(database.db, sql`select status from ingest_runs where source = 'docs' order by started_at`);
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    const [documents] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from documents where source = 'docs'`);
    expect(documents!.n).toBe(7);
  });
});

/** A process that lives until killed: `pid`, and its start time in clock ticks since boot (from `/proc`). */
function startIdleProcess(): { child: ChildProcess; pid: number; startTicks: number; exited: Promise<unknown> } {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
  const startTicks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  return { child, pid: child.pid!, startTicks, exited: once(child, 'exit') };
}

describe('a run whose process is gone, on a shared Postgres (postgres.js)', () => {
  let pglite: PGlite;
  let server: PGLiteSocketServer;
  let url: string;
  let handle: DatabaseHandle | undefined;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    pglite = await PGlite.create({ extensions: { vector } });
    // One connection at a time (one backend session): the killed process's, then this one's.
    server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 1 });
    await server.start();
    url = `postgres://postgres:postgres@${server.getServerConn()}/postgres`;
    const migrating = await openDatabase(url, { maxConnections: 1 });
    await migrateDatabase(migrating);
    await migrating.close();
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await handle?.close();
    await server?.stop();
    await pglite?.close();
  });

  const open = async () => (handle ??= await openDatabase(url, { maxConnections: 1 })).db;
  const runsOf = async (source: string) =>
    queryRows<{ status: string; errors: { message: string }[]; owner: { host: string; pid: number } | null }>(
      await open(),
      sql`select status, errors, options -> 'owner' as owner from ingest_runs where source = ${source} order by started_at`,
    );

  it('is taken for dead at once when its process on this host was killed (kill -9): the next run does not wait', async () => {
    const dir = copyFixture('docs');
    // Another process claims a run, then hangs embedding until it is killed.
    const script = join(tempDir('docent-killed-run-'), 'run.mts');
    writeFileSync(
      script,
      `import { ingestContent } from ${JSON.stringify(join(REPO, 'ingest/index.ts'))};
import { openDatabase } from ${JSON.stringify(join(REPO, 'server/db/open.ts'))};
import { createHashingEmbedder } from ${JSON.stringify(join(REPO, 'test/helpers/embedder.ts'))};
const { db } = await openDatabase(process.argv[2], { maxConnections: 1 });
const embedder = { ...createHashingEmbedder(), embedDocuments: () => new Promise(() => {}) };
let told = false;
await ingestContent(db, embedder, { contentDir: process.argv[3], source: 'killed', onProgress: () => told || ((told = true), console.log('claimed')) });
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script, url, dir], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    const exited = once(child, 'exit');
    let out = '';
    child.stdout!.on('data', (data) => (out += data));
    child.stderr!.on('data', (data) => (out += data));
    await vi.waitFor(() => expect(out).toBe('claimed\n'), { timeout: 30_000, interval: 100 });
    child.kill('SIGKILL');
    await exited;

    const messages: string[] = [];
    const summary = await ingestContent(await open(), createHashingEmbedder(), {
      contentDir: dir,
      source: 'killed',
      onProgress: (event) => event.message && messages.push(event.message),
      // Without the check of its process, this run would wait 5 minutes for the dead one.
      signal: AbortSignal.timeout(20_000),
    });
    expect(messages.filter((m) => m.startsWith('Another ingest'))).toEqual([]);
    expect(summary.documents.added).toBe(7);
    const runs = await runsOf('killed');
    expect(runs.map((r) => r.status)).toEqual(['failed', 'succeeded']);
    expect(runs[0]!.owner).toMatchObject({ host: hostname(), pid: child.pid });
    expect(runs[0]!.errors.at(-1)!.message).toBe(`interrupted (its process, process ${child.pid} on this host, stopped before the run finished)`);
  });

  it('is waited for while its process on this host is alive, saying so, and taken for dead as soon as that process stops', async () => {
    const dir = copyFixture('docs');
    const idle = startIdleProcess();
    children.push(idle.child);
    const db = await open();
    const owner = { ...currentRunOwner(), pid: idle.pid, startTicks: idle.startTicks };
    await db.insert(ingestRuns).values({ source: 'alive', embeddingModel: 'test:hashing@512', options: { owner } });
    const messages: string[] = [];
    const running = ingestContent(db, createHashingEmbedder(), { contentDir: dir, source: 'alive', onProgress: (e) => e.message && messages.push(e.message) });
    await vi.waitFor(() => expect(messages[0]).toBeDefined(), { interval: 50 });
    expect(messages[0]).toMatch(/^Another ingest of source "alive" is running/);
    idle.child.kill('SIGKILL');
    await idle.exited;
    expect((await running).documents.added).toBe(7);
    expect((await runsOf('alive')).map((r) => r.status)).toEqual(['failed', 'succeeded']);
  });

  it('is taken for dead at once when its pid on this host is now another process (a different start time)', async () => {
    const idle = startIdleProcess();
    children.push(idle.child);
    const db = await open();
    await db.insert(ingestRuns).values({ source: 'reused', embeddingModel: 'test:hashing@512', options: { owner: { ...currentRunOwner(), pid: idle.pid, startTicks: idle.startTicks - 1 } } });
    const messages: string[] = [];
    await ingestContent(db, createHashingEmbedder(), { contentDir: copyFixture('docs'), source: 'reused', onProgress: (e) => e.message && messages.push(e.message), signal: AbortSignal.timeout(20_000) });
    expect(messages.filter((m) => m.startsWith('Another ingest'))).toEqual([]);
    expect((await runsOf('reused')).map((r) => r.status)).toEqual(['failed', 'succeeded']);
    idle.child.kill('SIGKILL');
    await idle.exited;
  });
});
