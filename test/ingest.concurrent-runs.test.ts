import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ingestContent } from '../ingest/index';
import { ingestOnStart } from '../ingest/on-start';
import { currentRunOwner } from '../ingest/run-owner';
import { loadConfig } from '../server/config';
import { migrateDatabase } from '../server/db/migrate';
import { type DatabaseHandle, openDatabase, queryRows } from '../server/db/open';
import { ingestRuns } from '../server/db/schema';
import { createIndexStatus, type IndexStatusReport } from '../server/index-status';
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
    const started = new Date(Date.now() - 1000).toISOString();
    const owner = { ...currentRunOwner(), pid: idle.pid, startTicks: idle.startTicks };
    await db.insert(ingestRuns).values({ source: 'alive', embeddingModel: 'test:hashing@512', options: { owner } });
    const messages: string[] = [];
    const running = ingestContent(db, createHashingEmbedder(), { contentDir: dir, source: 'alive', onProgress: (e) => e.message && messages.push(e.message) });
    await vi.waitFor(() => expect(messages[0]).toBeDefined(), { interval: 50 });
    expect(messages[0]).toMatch(
      new RegExp(`^Another ingest of source "alive" is running \\(started .+ UTC by process ${idle.pid} on this host, which is alive, last heard from \\d+ s ago\\); waiting for it to finish: this run starts as soon as that run ends or its process stops, or in at most [45] min( \\d+ s)? if that run ended without recording it \\(a run not heard from for 5 minutes is taken for dead\\)…$`),
    );
    expect(started).toBeDefined();
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

  it('of another host is judged by its heartbeat only: the wait says whose run it is and how long at most it lasts', async () => {
    const db = await open();
    const heard = new Date(Date.now() - 60_000);
    const owner = { host: 'web-7', pid: process.pid, started: '2026-01-01T00:00:00Z', machine: 'another machine' };
    const [other] = await db.insert(ingestRuns).values({ source: 'elsewhere', embeddingModel: 'test:hashing@512', updatedAt: heard, options: { owner } }).returning();
    const messages: string[] = [];
    const running = ingestContent(db, createHashingEmbedder(), { contentDir: copyFixture('docs'), source: 'elsewhere', onProgress: (e) => e.message && messages.push(e.message) });
    await vi.waitFor(() => expect(messages[0]).toBeDefined(), { interval: 50 });
    const wait = /^Another ingest of source "elsewhere" is running \(started .+ UTC by process (\d+) on host web-7, last heard from (.+) ago\); waiting for it to finish, or at most (.+) more if its process has stopped \(a process on another host cannot be checked from here: a run not heard from for 5 minutes is taken for dead\)…$/.exec(messages[0]!);
    expect(wait, messages[0]).not.toBeNull();
    expect(Number(wait![1])).toBe(process.pid);
    const seconds = (text: string) => {
      const [, min, s] = /^(?:(\d+) min)? ?(?:(\d+) s)?$/.exec(text)!;
      return Number(min ?? 0) * 60 + Number(s ?? 0);
    };
    expect(seconds(wait![2]!)).toBeGreaterThanOrEqual(60);
    // Heard from + at most = the 5 minutes after which a silent run is taken for dead.
    expect(Math.abs(seconds(wait![2]!) + seconds(wait![3]!) - 300)).toBeLessThanOrEqual(1);
    // Its pid is alive here, but on another machine it is not this process: still waited for.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await runsOf('elsewhere'))[0]!.status).toBe('running');
    await db.update(ingestRuns).set({ status: 'succeeded', finishedAt: new Date() }).where(eq(ingestRuns.id, other!.id));
    expect((await running).documents.added).toBe(7);
  });

  it('the ingest on start shows its wait in the health report (phase `waiting`, with whose run), then its progress', async () => {
    const db = await open();
    const [other] = await db
      .insert(ingestRuns)
      .values({ source: 'on-start', embeddingModel: 'test:hashing@512', options: { owner: { host: 'web-7', pid: 42, started: '2026-01-01T00:00:00Z' } } })
      .returning();
    const status = createIndexStatus();
    status.begin('building');
    const lines: string[] = [];
    const work = copyFixture('docs');
    const config = loadConfig({ CONTENT_DIR: work, CONTENT_SOURCE: 'on-start' });
    const reports: IndexStatusReport[] = [];
    const running = ingestOnStart(db, config, {
      embedder: createHashingEmbedder(),
      firstIndex: true,
      log: (l) => lines.push(l),
      onProgress: (event) => {
        status.progress(event);
        reports.push(status.report());
      },
    });
    await vi.waitFor(() => expect(status.report().phase).toBe('waiting'), { interval: 50 });
    expect(status.report()).toMatchObject({ state: 'building', waitingFor: expect.stringMatching(/^Another ingest of source "on-start" is running \(started .+ by process 42 on host web-7, .+at most \d+ min/) });
    expect(lines[0]).toBe(`[docent] ingest ${work}: ${status.report().waitingFor}`);
    await db.update(ingestRuns).set({ status: 'succeeded', finishedAt: new Date() }).where(eq(ingestRuns.id, other!.id));
    expect((await running)?.documents.added).toBe(7);
    const after = reports.at(-1)!;
    expect(after.phase).toBe('embedding');
    expect(after.waitingFor).toBeUndefined();
  });
});
