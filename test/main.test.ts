import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { runIngestCli } from '../ingest/cli';
import { ingestContent } from '../ingest/index';
import { migrateDatabase } from '../server/db/migrate';
import { openDatabase } from '../server/db/open';
import { chats, messages, users } from '../server/db/schema';
import { canListen, DEV_SITE_PORT } from '../server/http/free-port';
import { createHashingEmbedder, failingOn } from './helpers/embedder';
import { capture } from './helpers/io';

const REPO = resolve(import.meta.dirname, '..');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts `npm start`'s entry point with `env` (over a quiet default); `output()` is its stdout and stderr so far. */
function startMain(env: Record<string, string>, args: string[] = []): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
    env: { ...process.env, INGEST_ON_START: 'false', OPENAI_API_KEY: '', OPENAI_BASE_URL: '', LANGSMITH_TRACING: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

describe('npm start (server/main.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'docent-main-'));
  const dataDir = join(dir, 'db');
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const start = (env: Record<string, string>, args: string[] = []) => {
    const started = startMain(env, args);
    children.push(started.child);
    return started;
  };

  it('serves, marks unfinished answers aborted, warns of chunks of another embedding model, and shuts down cleanly on SIGTERM, releasing the lock', async () => {
    // A message left `streaming` by a previous run that crashed, and a page ingested with
    // another embedding model than the server's (the local one).
    const seed = await openDatabase(dataDir);
    await migrateDatabase(seed);
    const docs = join(dir, 'docs');
    mkdirSync(docs);
    writeFileSync(join(docs, 'index.md'), '# Home\n\nA page about starting the server.\n');
    await ingestContent(seed.db, createHashingEmbedder(), { contentDir: docs, source: 'docs' });
    const [user] = await seed.db.insert(users).values({}).returning();
    const [chat] = await seed.db.insert(chats).values({ userId: user!.id, clientChatId: 'c', title: 'q' }).returning();
    await seed.db.insert(messages).values({ chatId: chat!.id, role: 'assistant', content: 'half', status: 'streaming' });
    await seed.close();

    const port = await freePort();
    const { child, output, exited } = start({ DATABASE_URL: dataDir, HOST: '127.0.0.1', PORT: String(port), PGLITE_SHARED_BUFFERS: '' });
    const deadline = Date.now() + 60_000;
    while (!output().includes('[docent] serving')) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(output()).toContain(`[docent] serving http://127.0.0.1:${port}`);
    expect(output()).toContain('marked 1 answer(s) left unfinished by a previous run as aborted');
    expect(output()).toContain('answers: extractive');
    // Unset PGLITE_SHARED_BUFFERS: the start-up line says the cache size is the default, and what changes it.
    expect(output()).toMatch(/\[docent\] database: embedded database at .* \(buffer cache 128 MB: the default, sized to the database; PGLITE_SHARED_BUFFERS changes it\)\n/);
    expect(output()).toMatch(
      /\[docent\] warning: none of the 1 indexed chunks were embedded with this embedding model \(local:use-lite@512\); they were with test:hashing@512, so questions find them by their words only/,
    );

    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'pglite' });
    expect(JSON.parse(readFileSync(`${dataDir}.lock`, 'utf8'))).toMatchObject({ purpose: 'server', url: `http://127.0.0.1:${port}` });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output()).toContain('SIGTERM: shutting down');
    expect(existsSync(`${dataDir}.lock`)).toBe(false);

    const reopened = await openDatabase(dataDir);
    const rows = await reopened.db.select({ status: messages.status }).from(messages);
    await reopened.close();
    expect(rows).toEqual([{ status: 'aborted' }]);
  });

  it('vacuums the embedded database’s chat tables before serving when a fifth of their pages are new, and says so once', async () => {
    // PGlite has no autovacuum: answers recorded since the last vacuum are what makes it due.
    const vacuumDir = join(dir, 'vacuum-db');
    const seed = await openDatabase(vacuumDir);
    await migrateDatabase(seed);
    const [user] = await seed.db.insert(users).values({}).returning();
    const [chat] = await seed.db.insert(chats).values({ userId: user!.id, clientChatId: 'c', title: 'q' }).returning();
    await seed.db.execute(sql`insert into messages (chat_id, role, content)
      select ${chat!.id}, 'assistant', repeat('An answer about the docs. ', 40) from generate_series(1, 1500)`);
    await seed.close();

    const serveOnce = async () => {
      const port = await freePort();
      const { child, output, exited } = start({ DATABASE_URL: vacuumDir, HOST: '127.0.0.1', PORT: String(port), INGEST_ON_START: 'false' });
      const deadline = Date.now() + 60_000;
      while (!output().includes('[docent] serving')) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      return output();
    };
    expect(await serveOnce()).toMatch(/\[docent\] database: vacuumed messages in \d+\.\d s \(the embedded database has no autovacuum\)\n/);
    // Vacuumed already: the next start has nothing to do.
    expect(await serveOnce()).not.toContain('vacuumed');
  });

  it('binds the port before the database is open: health says starting, chat and search 503 server_starting, the site served', async () => {
    // A "Postgres" that accepts connections and never answers: the database stays opening.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const siteDir = join(dir, 'starting-site');
    mkdirSync(join(siteDir, 'site', 'dist'), { recursive: true });
    writeFileSync(join(siteDir, 'site', 'dist', 'index.html'), '<!doctype html><title>Starting docs</title>');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ['--import', pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href, join(REPO, 'server/main.ts')], {
      cwd: siteDir,
      env: {
        ...process.env,
        INGEST_ON_START: 'false',
        OPENAI_API_KEY: '',
        OPENAI_BASE_URL: '',
        LANGSMITH_TRACING: 'false',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: `postgres://docent:docent@127.0.0.1:${(silent.address() as AddressInfo).port}/docent`,
      },
      stdio: 'ignore',
    });
    children.push(child);
    try {
      let health: Response | undefined;
      const deadline = Date.now() + 30_000;
      while (!health) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the port was not bound (exit code ${child.exitCode})`);
        health = await fetch(`${url}/api/health`).catch(() => undefined);
        if (!health) await new Promise((r) => setTimeout(r, 100));
      }
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'starting', database: 'postgres', index: { state: 'starting' } });
      for (const res of [
        await fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
        await fetch(`${url}/api/search?q=start`),
      ]) {
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('server_starting');
      }
      const home = await fetch(`${url}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('<title>Starting docs</title>');
    } finally {
      child.kill('SIGKILL');
      silent.close();
    }
  });

  it('names its URL in the database lock while still starting: npm run ingest then waits for it and sends the run', async () => {
    const freshDir = join(dir, 'starting-db');
    // An existing database: a dry run opens it (it opens none when there is none yet).
    const seed = await openDatabase(freshDir);
    await migrateDatabase(seed);
    await seed.close();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const adminToken = 'main-test-admin-token-0123456789';
    const { child, output } = start({ DATABASE_URL: freshDir, HOST: '127.0.0.1', PORT: String(port), ADMIN_TOKEN: adminToken });
    // The lock is written once, whole: its first reading already names the server (PGlite starts for a second or more after it).
    let lockText: string | undefined;
    const deadline = Date.now() + 60_000;
    while (lockText === undefined) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no lock was taken:\n${output()}`);
      lockText = existsSync(`${freshDir}.lock`) ? readFileSync(`${freshDir}.lock`, 'utf8') : undefined;
      if (lockText === undefined) await new Promise((r) => setTimeout(r, 10));
    }
    expect(JSON.parse(lockText)).toMatchObject({ purpose: 'server', url });
    expect(await (await fetch(`${url}/api/health`)).json()).toMatchObject({ status: 'starting' });

    // A dry run loads no embedding model: only the hand-over is tested.
    const stdout = capture();
    const stderr = capture();
    const code = await runIngestCli({
      argv: ['--content', join(REPO, 'test/fixtures/docs'), '--dry-run'],
      env: { DATABASE_URL: freshDir, ADMIN_TOKEN: adminToken },
      stdout,
      stderr,
      createEmbedder: () => createHashingEmbedder(),
    });
    expect(stderr.text).toContain(`The database is in use by the Docent server at ${url}: sending the run to it.`);
    expect(stderr.text).toContain('The server is still starting (opening its database): waiting for it to serve');
    expect(code).toBe(0);
    expect(stdout.text).toMatch(/documents: \d+ added/);
    expect(output()).toContain(`[docent] serving ${url}`);
    child.kill('SIGKILL');
  });

  it('takes no arguments: prints its usage and exits 2 (--help: 0) instead of starting, and opens no database', async () => {
    const unused = join(dir, 'never-opened');
    const port = await freePort();
    const withPort = start({ DATABASE_URL: unused, HOST: '127.0.0.1', PORT: String(port) }, ['--port', '9999']);
    expect(await withPort.exited).toBe(2);
    expect(withPort.output()).toMatch(/^\[docent\] npm start takes no arguments \(got "--port" "9999"\)\.\n\nUsage: npm start\n/);
    expect(withPort.output()).toContain('PORT=8080 npm start');
    const help = start({ DATABASE_URL: unused }, ['--help']);
    expect(await help.exited).toBe(0);
    expect(help.output()).toMatch(/^Usage: npm start\n/);
    expect(existsSync(unused)).toBe(false);
  });

  it('lists an unsupported DATABASE_URL scheme with the other configuration problems: no stack trace, no password, exit code 2', async () => {
    const { output, exited } = start({ DATABASE_URL: 'mysql://docent:s3cret@db/docent', PORT: 'eighty' });
    expect(await exited).toBe(2);
    expect(output()).toContain('[docent] Invalid configuration:\n  - DATABASE_URL: unsupported scheme "mysql://"');
    expect(output()).toContain('(got "mysql://docent:***@db/docent")\n  - PORT: expected a whole number');
    expect(output()).not.toMatch(/s3cret|failed to start|\n\s+at /);
  });

  it('exits 2 with one line, no stack trace and no password, when the database is locked or cannot be reached', async () => {
    const lockedDir = join(dir, 'locked-db');
    const holder = await openDatabase(lockedDir);
    try {
      const locked = start({ DATABASE_URL: lockedDir, PORT: String(await freePort()) });
      expect(await locked.exited).toBe(2);
      expect(locked.output()).toMatch(/^\[docent\] The embedded database at .* is in use by/m);
      expect(locked.output()).not.toMatch(/failed to start|\n\s+at /);
    } finally {
      await holder.close();
    }
    const closedPort = await freePort();
    const unreachable = start({ DATABASE_URL: `postgres://docent:s3cret@127.0.0.1:${closedPort}/docent`, PORT: String(await freePort()) });
    expect(await unreachable.exited).toBe(2);
    expect(unreachable.output()).toContain(`[docent] failed to start: database: cannot connect to postgres://docent:***@127.0.0.1:${closedPort}/docent: ECONNREFUSED`);
    expect(unreachable.output()).not.toMatch(/s3cret|\n\s+at /);
  });

  it('exits 2 with one line naming DATABASE_URL, no stack trace, when its folder is a file or holds other files', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const onFile = start({ DATABASE_URL: file, PORT: String(await freePort()) });
    expect(await onFile.exited).toBe(2);
    expect(onFile.output()).toContain(`[docent] DATABASE_URL: ${file} is a file, not a folder`);
    expect(onFile.output()).not.toMatch(/failed to start|\n\s+at /);
    const docs = join(dir, 'some-docs');
    mkdirSync(docs);
    writeFileSync(join(docs, 'index.md'), '# Docs\n');
    const onDocs = start({ DATABASE_URL: docs, PORT: String(await freePort()) });
    expect(await onDocs.exited).toBe(2);
    expect(onDocs.output()).toContain(`[docent] DATABASE_URL: ${docs} holds other files (index.md) but no database`);
    expect(readdirSync(docs)).toEqual(['index.md']);
  });

  it('with a Postgres without pgvector: one line with the server\'s reason, exit code 2', async () => {
    const pglite = await PGlite.create();
    const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 1 });
    await server.start();
    try {
      const { output, exited } = start({ DATABASE_URL: `postgres://postgres:postgres@${server.getServerConn()}/postgres?max=1` });
      expect(await exited).toBe(2);
      expect(output()).toContain('[docent] failed to start: database: extension "vector" is not available');
      expect(output()).not.toMatch(/Failed query|\n\s+at /);
    } finally {
      await server.stop();
      await pglite.close();
    }
  });

  it('on a busy port: one line naming the port, exit code 2 (nothing started), and the embedded database not opened', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as { port: number };
    const busyDataDir = join(dir, 'busy-port-db');
    try {
      const { output, exited } = start({ DATABASE_URL: busyDataDir, HOST: '127.0.0.1', PORT: String(port), PGLITE_SHARED_BUFFERS: '' });
      expect(await exited).toBe(2);
      const hint = new RegExp(
        `\\[docent\\] Port ${port} is already in use on 127\\.0\\.0\\.1: another program \\(often another Docent\\) is listening on it\\. ` +
          `Stop it, or start Docent on another port, e\\.g\\. PORT=(\\d+) \\(free now\\)\\.`,
      ).exec(output());
      expect(hint, output()).not.toBeNull();
      const suggested = Number(hint![1]);
      expect(suggested).not.toBe(port);
      expect(suggested).not.toBe(DEV_SITE_PORT);
      expect(await canListen('127.0.0.1', suggested)).toBe(true);
      // The port is bound before the database opens: a busy port is reported without opening it.
      expect(output()).not.toContain('[docent] database:');
      expect(output()).not.toMatch(/Unhandled|EADDRINUSE|\n\s+at /);
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
    expect(existsSync(`${busyDataDir}.lock`)).toBe(false);
    expect(existsSync(busyDataDir)).toBe(false);
  });

  it('stops gracefully on SIGTERM from the moment health says starting: exit code 0, the lock released, not killed by the signal', async () => {
    const port = await freePort();
    const stopDataDir = join(dir, 'stopped-while-starting-db');
    const { child, output, exited } = start({ DATABASE_URL: stopDataDir, HOST: '127.0.0.1', PORT: String(port), PGLITE_SHARED_BUFFERS: '' });
    let health: Response | undefined;
    const deadline = Date.now() + 30_000;
    while (!health) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the port was not bound (exit code ${child.exitCode}): ${output()}`);
      health = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined);
      if (!health) await new Promise((r) => setTimeout(r, 20));
    }
    expect(((await health.json()) as { status: string }).status).toBe('starting');
    child.kill('SIGTERM');
    expect(await exited, output()).toBe(0);
    expect(output()).toContain('[docent] SIGTERM: shutting down');
    expect(existsSync(`${stopDataDir}.lock`)).toBe(false);
  });
});

/**
 * A local server speaking OpenAI's `POST /v1/embeddings`. Requests whose inputs contain a word in
 * `held` wait until `release()`: the ingest on start can be kept running as long as a test needs.
 * Those containing a word in `refused` answer 401 (an error the client does not retry).
 */
async function startEmbeddingStub() {
  const held = new Set<string>();
  const refused = new Set<string>();
  let waiting: (() => void)[] = [];
  const vectorFor = (text: string) => Array.from({ length: 512 }, (_, i) => (text.charCodeAt(i % Math.max(1, text.length)) % 7) + 1 + i / 1000);
  const server = createHttpServer(async (req, res) => {
    let raw = '';
    for await (const part of req) raw += part;
    const { input } = JSON.parse(raw) as { input: string[] };
    if (input.some((text) => [...held].some((word) => text.includes(word)))) await new Promise<void>((resolve) => waiting.push(resolve));
    if (res.destroyed) return;
    if (input.some((text) => [...refused].some((word) => text.includes(word)))) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } }));
      return;
    }
    const data = input.map((text, index) => ({ object: 'embedding', index, embedding: vectorFor(text) }));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data, usage: { prompt_tokens: 1, total_tokens: 1 } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    hold: (word: string) => held.add(word),
    refuse: (word: string) => refused.add(word),
    accept: () => refused.clear(),
    release: () => {
      held.clear();
      for (const resolve of waiting.splice(0)) resolve();
    },
    close: async () => {
      held.clear();
      for (const resolve of waiting.splice(0)) resolve();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('npm start ingesting its content folder in the background', () => {
  const dir = mkdtempSync(join(tmpdir(), 'docent-main-ingest-'));
  const children: ChildProcess[] = [];
  let stub: Awaited<ReturnType<typeof startEmbeddingStub>>;
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await stub?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `npm start` in `dir` (whose `site/dist` is a one-page site), embedding with the stub. */
  const start = (port: number, env: Record<string, string> = {}) => {
    // As `npm start` runs it (node --import tsx): tsx's CLI would SIGKILL a server slow to take a stop signal.
    const child = spawn(process.execPath, ['--import', pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href, join(REPO, 'server/main.ts')], {
      cwd: dir,
      env: {
        ...process.env,
        INGEST_ON_START: 'true',
        CONTENT_DIR: 'docs',
        DATABASE_URL: join(dir, 'db'),
        HOST: '127.0.0.1',
        PORT: String(port),
        EMBEDDING_PROVIDER: 'openai',
        OPENAI_BASE_URL: stub.url,
        OPENAI_API_KEY: 'sk-test',
        LANGSMITH_TRACING: 'false',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const waitFor = async (text: string) => {
      const deadline = Date.now() + 60_000;
      while (!output.includes(text)) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no "${text}" in the output:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    return { child, output: () => output, exited, waitFor };
  };
  const ADMIN_TOKEN = 'main-test-admin-token-0123456789';
  /** `npm run ingest` of the content folder through the server (as it does when the database is in use). */
  const adminIngest = (url: string) =>
    fetch(`${url}/api/admin/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: join(dir, 'docs') }),
    });
  const json = async (url: string) => {
    const res = await fetch(url);
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Record<string, any> };
  };

  it('serves the site and the API at once while the first index is built: health says building, search and chat 503 index_building; then serving', async () => {
    stub = await startEmbeddingStub();
    mkdirSync(join(dir, 'docs'));
    mkdirSync(join(dir, 'site/dist'), { recursive: true });
    writeFileSync(join(dir, 'site/dist/index.html'), '<!doctype html><title>Docs</title><h1>The docs site</h1>');
    writeFileSync(join(dir, 'docs/index.md'), '# Home\n\nDocent answers questions about the harbour ferry timetable.\n');
    writeFileSync(join(dir, 'docs/tickets.md'), '# Tickets\n\nFerry tickets are sold at the pier kiosk.\n');
    stub.hold('ferry');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = start(port, { ADMIN_TOKEN });
    await server.waitFor(`[docent] listening on ${url}; questions are answered once the first index of docs is built (GET /api/health shows how far it is)`);
    expect(await (await fetch(`${url}/`)).text()).toContain('The docs site');
    const building = await json(`${url}/api/health`);
    expect(building.status).toBe(200);
    expect(building.body).toMatchObject({ status: 'building', database: 'pglite', index: { state: 'building' } });
    const search = await json(`${url}/api/search?q=ferry+tickets`);
    expect(search.status).toBe(503);
    expect(search.body.error.code).toBe('index_building');
    expect(search.body.error.message).toMatch(/^Docent is still indexing the docs for the first time/);
    expect(Number(search.retryAfter)).toBeGreaterThan(0);
    const chat = await fetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'c1', trigger: 'submit-message', messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'Where are ferry tickets sold?' }] }] }),
    });
    expect(chat.status).toBe(503);
    expect(((await chat.json()) as { error: { code: string } }).error.code).toBe('index_building');
    expect(server.output()).not.toContain('[docent] serving');
    // `npm run ingest` of the same folder meanwhile: the API's 409, as while another admin ingest runs.
    const ingest = await adminIngest(url);
    expect(ingest.status).toBe(409);
    expect(ingest.headers.get('content-type')).toContain('application/json');
    expect(((await ingest.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: 'ingest_running',
      message: 'The ingest on start of this content folder is running on this server; wait for it to finish (GET /api/health shows how far it is).',
    });

    stub.release();
    await server.waitFor(`[docent] serving ${url}`);
    // One line per stage, "serving" last: the index is complete when it is printed.
    expect(server.output().split('\n').filter((l) => l.startsWith('[docent] ingest docs: 2 added'))).toHaveLength(1);
    expect(server.output().indexOf('[docent] ingest docs: 2 added')).toBeLessThan(server.output().indexOf('[docent] serving'));
    expect((await json(`${url}/api/health`)).body).toMatchObject({ status: 'ok', documents: 2, index: { state: 'ready' } });
    const found = await json(`${url}/api/search?q=ferry+tickets`);
    expect(found.status).toBe(200);
    expect(found.body.results[0].path).toBe('tickets.md');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('restarted with an index, serves it at once while changed pages are re-ingested, and a shutdown stops that ingest cleanly', async () => {
    writeFileSync(join(dir, 'docs/tickets.md'), '# Tickets\n\nFerry tickets are sold on board by the purser.\n');
    stub.hold('purser');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = start(port);
    await server.waitFor(`[docent] serving ${url}`);
    await server.waitFor('[docent] ingest docs: embedding');
    expect(server.output()).not.toContain('[docent] listening on');
    expect((await json(`${url}/api/health`)).body).toMatchObject({ status: 'ok', documents: 2, index: { state: 'updating' } });
    // The existing index answers, with the page as it was until its new version is written.
    const old = await json(`${url}/api/search?q=ferry+tickets`);
    expect(old.status).toBe(200);
    expect(old.body.results[0].text).toContain('pier kiosk');

    server.child.kill('SIGTERM');
    expect({ code: await server.exited, output: server.output() }).toMatchObject({ code: 0 });
    expect(server.output()).toContain('[docent] ingest docs: stopped by the shutdown; pages written so far stay, and the next start finishes the job.');
    expect(existsSync(join(dir, 'db.lock'))).toBe(false);

    stub.release();
    const again = start(await freePort());
    await again.waitFor('[docent] ingest docs: 0 added, 1 updated, 1 unchanged');
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });

  it('a first index whose ingest fails is not served as if complete: health says incomplete, questions 503 index_incomplete, until npm run ingest finishes it', async () => {
    rmSync(join(dir, 'db'), { recursive: true, force: true });
    stub.refuse('ferry');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = start(port, { ADMIN_TOKEN });
    await server.waitFor('[docent] ingest docs stopped: ');
    await server.waitFor(`[docent] listening on ${url}, but not answering questions: the index of docs is incomplete (GET /api/health says so)`);
    expect(server.output()).toContain('The index is incomplete: questions are not answered until it is finished; the next start (or npm run ingest) finishes the job.');
    expect(server.output()).not.toContain('[docent] serving');
    const health = await json(`${url}/api/health`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'incomplete', index: { state: 'incomplete', reason: expect.stringContaining('failed part way') } });
    expect(health.body.index).not.toHaveProperty('phase');
    expect(JSON.stringify(health.body)).not.toContain('127.0.0.1'); // the embedder's address stays in the log
    const search = await json(`${url}/api/search?q=ferry+tickets`);
    expect(search.status).toBe(503);
    expect(search.body.error.code).toBe('index_incomplete');
    expect(search.body.error.message).toMatch(/^Docent cannot answer yet: indexing the docs stopped part way/);
    expect((await fetch(`${url}/`)).status).toBe(200);

    // The embedder is back: `npm run ingest` (through the server holding the database) finishes the
    // index; meanwhile the health check shows how far it is, still incomplete.
    stub.accept();
    stub.hold('ferry');
    const ingest = await adminIngest(url);
    expect(ingest.status).toBe(200);
    const progressDeadline = Date.now() + 30_000;
    let finishing = (await json(`${url}/api/health`)).body;
    while (finishing.index.phase !== 'embedding' && Date.now() < progressDeadline) {
      await new Promise((r) => setTimeout(r, 100));
      finishing = (await json(`${url}/api/health`)).body;
    }
    expect(finishing).toMatchObject({ status: 'incomplete', index: { state: 'incomplete', phase: 'embedding', chunksToEmbed: expect.any(Number), reason: expect.stringContaining('failed part way') } });
    expect((await json(`${url}/api/search?q=ferry+tickets`)).body.error.code).toBe('index_incomplete');
    stub.release();
    expect((await ingest.text()).trim().split('\n').at(-1)).toContain('"type":"summary"');
    await server.waitFor(`[docent] the index of docs is complete; serving ${url}`);
    expect((await json(`${url}/api/health`)).body).toMatchObject({ status: 'ok', documents: 2, index: { state: 'ready' } });
    expect((await json(`${url}/api/search?q=ferry+tickets`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('restarted with another embedding model, warns that the ingest on start is re-embedding the chunks rather than ask for npm run ingest', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    stub.hold('ferry'); // the re-embedding runs until released
    const server = start(port, { EMBEDDING_MODEL: 'another-embedding-model' });
    try {
      await server.waitFor(`[docent] serving ${url}`);
      const warning = server.output().split('\n').find((l) => l.startsWith('[docent] warning: none of the'));
      expect(warning).toMatch(/were embedded with this embedding model \(openai:another-embedding-model@512\); they were with openai:text-embedding-3-small@512\. The ingest on start is re-embedding them with this model now/);
      expect(warning).not.toContain('npm run ingest');
      // The health check and search say the same while it runs, not "npm run ingest".
      const health = await json(`${url}/api/health`);
      expect(health.body.index.state).toBe('updating');
      expect(health.body.warning).toBe(warning!.slice('[docent] warning: '.length));
      const search = await json(`${url}/api/search?q=tickets`);
      expect(search.body.warning).toBe(health.body.warning);
    } finally {
      stub.release();
    }
    await server.waitFor('[docent] ingest docs: 0 added, 2 updated');
    expect((await json(`${url}/api/health`)).body).not.toHaveProperty('warning');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('without an ingest on start, a source no npm run ingest ever finished is not answered from: incomplete until a run finishes it', async () => {
    rmSync(join(dir, 'db'), { recursive: true, force: true });
    const seed = await openDatabase(join(dir, 'db'));
    await migrateDatabase(seed);
    // `npm run ingest` failed at the second page: the first one is written.
    await ingestContent(seed.db, failingOn('Ferry tickets', createHashingEmbedder()), { contentDir: join(dir, 'docs'), source: 'docs', embedGroupSize: 1 }).catch(() => {});
    await seed.close();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = start(port, { ADMIN_TOKEN, INGEST_ON_START: 'false' });
    await server.waitFor(`[docent] listening on ${url}, but not answering questions: no ingest of source "docs" ever finished (GET /api/health says so)`);
    const health = await json(`${url}/api/health`);
    expect(health.body).toMatchObject({ status: 'incomplete', documents: 1, index: { state: 'incomplete', reason: expect.stringContaining('No ingest of source "docs" ever finished') } });
    const search = await json(`${url}/api/search?q=ferry+tickets`);
    expect(search.status).toBe(503);
    expect(search.body.error.code).toBe('index_incomplete');

    const ingest = await adminIngest(url);
    expect((await ingest.text()).trim().split('\n').at(-1)).toContain('"type":"summary"');
    await server.waitFor(`[docent] the index of source "docs" is complete; serving ${url}`);
    expect((await json(`${url}/api/health`)).body).toMatchObject({ status: 'ok', documents: 2, index: { state: 'ready' } });
    expect((await json(`${url}/api/search?q=ferry+tickets`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('with an ingest on start, another source no npm run ingest ever finished is not answered from either, until a run finishes it', async () => {
    rmSync(join(dir, 'db'), { recursive: true, force: true });
    const extra = join(dir, 'extra');
    mkdirSync(extra, { recursive: true });
    writeFileSync(join(extra, 'a.md'), '# Harbour map\n\nWhere the harbour offices are.\n');
    writeFileSync(join(extra, 'b.md'), '# Lighthouse hours\n\nWhen the lighthouse opens.\n');
    const seed = await openDatabase(join(dir, 'db'));
    await migrateDatabase(seed);
    await ingestContent(seed.db, createHashingEmbedder(), { contentDir: join(dir, 'docs'), source: 'docs' });
    // `npm run ingest --source extra` failed at its second page: the first one is written.
    await ingestContent(seed.db, failingOn('Lighthouse', createHashingEmbedder()), { contentDir: extra, source: 'extra', embedGroupSize: 1 }).catch(() => {});
    await seed.close();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = start(port, { ADMIN_TOKEN });
    await server.waitFor(`[docent] listening on ${url}, but not answering questions: no ingest of source "extra" ever finished (GET /api/health says so)`);
    expect(server.output()).not.toContain('[docent] serving');
    const health = await json(`${url}/api/health`);
    expect(health.body).toMatchObject({ status: 'incomplete', index: { state: 'incomplete', reason: expect.stringContaining('No ingest of source "extra" ever finished') } });
    expect((await json(`${url}/api/search?q=harbour`)).body.error.code).toBe('index_incomplete');

    const ingest = await fetch(`${url}/api/admin/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: extra, source: 'extra' }),
    });
    expect((await ingest.text()).trim().split('\n').at(-1)).toContain('"type":"summary"');
    await server.waitFor('[docent] the index of source "extra" is complete');
    const deadline = Date.now() + 30_000;
    while ((await json(`${url}/api/health`)).body.status !== 'ok' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect((await json(`${url}/api/health`)).body).toMatchObject({ status: 'ok', index: { state: 'ready' } });
    expect((await json(`${url}/api/search?q=harbour`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('reports a busy port at once, before the ingest of a first index, with exit code 2', async () => {
    rmSync(join(dir, 'db'), { recursive: true, force: true });
    stub.hold('ferry');
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as { port: number };
    try {
      const server = start(port);
      expect(await server.exited).toBe(2);
      expect(server.output()).toContain(`[docent] Port ${port} is already in use on 127.0.0.1`);
      expect(server.output()).not.toContain('[docent] ingest docs');
    } finally {
      stub.release();
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
  });
});
