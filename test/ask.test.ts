import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { UIMessageChunk } from 'ai';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askArguments } from '../server/ask-args';
import { askFailureExitCode, EXIT_TRY_LATER } from '../server/ask-exit';
import { answerHere } from '../server/ask-here';
import { AskServerError, askServer, sessionFileFor } from '../server/ask-server';
import { startChatTurn } from '../server/answer/turn';
import { renderAnswer, sseChunks, streamChunks } from '../server/answer/ui-stream';
import { loadConfig } from '../server/config';
import { migrateDatabase } from '../server/db/migrate';
import { openDatabase } from '../server/db/open';
import { NoIndexError } from '../server/db/open-index';
import { chats, users } from '../server/db/schema';
import { createApp, type AppOptions } from '../server/http/app';
import { createStartingApp } from '../server/http/starting-app';
import { createIndexStatus } from '../server/index-status';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { SERVER_DOCS } from './helpers/docs';
import { createHashingEmbedder } from './helpers/embedder';
import { seedDocuments } from './helpers/seed';
import { chatBody } from './helpers/ui-stream';

const embedder = createHashingEmbedder();

describe('npm run ask', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDocuments(database.db, embedder, SERVER_DOCS);
  });
  afterAll(async () => database?.close());

  it('renderAnswer() prints the streamed answer, then the sources with their scores', async () => {
    const [user] = await database.db.insert(users).values({ displayName: 'ask-cli' }).returning();
    const turn = await startChatTurn({ db: database.db, embedder }, { userId: user!.id, clientChatId: 'cli', question: 'How do I set a cookie?' });
    let out = '';
    const writes: string[] = [];
    const answer = await renderAnswer(streamChunks(turn.stream), {
      write: (s: string) => {
        writes.push(s);
        out += s;
      },
    });
    expect(await turn.done).toEqual({ status: 'complete' });
    expect(answer.error).toBeUndefined();
    expect(out).toContain('> Use setCookie(c, "name", "value") to set a cookie on the response. [1]');
    expect(out).toMatch(/\nSources\n {2}\[1\] [01]\.\d{3} {2}Cookies › Set a cookie {2}guides\/cookies\.md {2}\/guides\/cookies\/#set-a-cookie\n/);
    expect(writes.length).toBeGreaterThan(3); // streamed in pieces, not printed at the end
  });

  it('renderAnswer() says when the model cut the answer off (its length limit or content filter)', async () => {
    for (const [finishReason, note] of [
      ['length', "(This answer was cut off before its end (the model's length limit).)"],
      ['content-filter', "(This answer was cut off before its end (the model's content filter).)"],
      ['stop', undefined],
    ] as const) {
      async function* chunks(): AsyncGenerator<UIMessageChunk> {
        yield { type: 'start', messageId: 'm1' };
        yield { type: 'text-delta', id: 't', delta: 'Set PORT to' };
        yield { type: 'finish', finishReason };
      }
      let out = '';
      const answer = await renderAnswer(chunks(), { write: (s: string) => (out += s) });
      expect(answer.cutOff).toBe(finishReason === 'stop' ? undefined : finishReason);
      if (note) expect(out).toBe(`Set PORT to\n\n${note}\n`);
      else expect(out).toBe('Set PORT to\n');
    }
  });

  it('sseChunks() reads a server’s /api/chat response (the hand-off when the server holds the database)', async () => {
    const app = createApp({ database, config: loadConfig({}), embedder, siteDir: false });
    const res = await app.request('/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chatBody('cli-http', 'How do I delete a cookie?')),
    });
    let out = '';
    const answer = await renderAnswer(sseChunks(res.body!), { write: (s: string) => (out += s) });
    expect(answer.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.sources?.sources[0]).toMatchObject({ rank: 1, heading: 'Delete a cookie' });
    expect(out).toContain('deleteCookie');
  });

  it('explains its usage when no question is given (exit code 2)', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/ask.ts'], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('ask: no question given.');
    expect(run.stderr).toContain('Usage: npm run ask -- "your question"');
  });

  it('takes a question that starts with -- when quoted with a space in it, or after a lone --', () => {
    expect(askArguments(['--base-url does what?'])).toEqual({ question: '--base-url does what?' });
    expect(askArguments(['--', '--base-url', 'does', 'what?'])).toEqual({ question: '--base-url does what?' });
    expect(askArguments(['how', 'do', 'I', 'start?'])).toEqual({ question: 'how do I start?' });
    expect(askArguments(['-', 'is', 'what?'])).toEqual({ question: '- is what?' });
    expect(askArguments(['--help'])).toEqual({ help: true });
    expect(askArguments(['--', '--help'])).toEqual({ question: '--help' });
    expect(askArguments(['--base-url', 'does', 'what?'])).toEqual({ error: expect.stringMatching(/^unknown option --base-url \(a question that starts with - goes after --/) });
    expect(askArguments(['--'])).toEqual({ error: 'no question given.' });
  });

  it('exits 2, creating nothing, when DATABASE_URL names no database, and for a bad configuration', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docent-ask-none-'));
    try {
      const dataDir = join(dir, 'typo');
      const ask = (env: Record<string, string>) =>
        spawnSync(process.execPath, ['--import', 'tsx', 'server/ask.ts', 'how do I start?'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '', ...env } });
      const none = ask({ DATABASE_URL: dataDir });
      expect(none.status).toBe(2);
      expect(none.stderr).toBe(`ask: No index at ${dataDir} yet: run \`npm run ingest\` (or \`npm start\`) first.\n`);
      expect(existsSync(dataDir)).toBe(false);
      const config = ask({ DATABASE_URL: dataDir, EMBEDDING_PROVIDER: 'nope' });
      expect(config.status).toBe(2);
      expect(config.stderr).toMatch(/^ask: Invalid configuration:\n  - EMBEDDING_PROVIDER: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run ask on an index embedded with another model', () => {
  it('warns on stderr, naming both models and what to run, and still answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'docent-ask-model-'));
    try {
      const dataDir = join(dir, 'pglite');
      const seed = await openDatabase(dataDir);
      await migrateDatabase(seed);
      await seedDocuments(seed.db, embedder, SERVER_DOCS);
      await seed.close();
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/ask.ts', 'How do I set a cookie?'], {
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '', LANGSMITH_TRACING: 'false', DATABASE_URL: dataDir, EMBEDDING_PROVIDER: 'local' },
      });
      expect(run.stderr, run.stderr).toMatch(
        /^ask: warning: none of the \d+ indexed chunks were embedded with this embedding model \(local:use-lite@512\); they were with test:hashing@512, .*Ingest again with this model \(npm run ingest\)/m,
      );
      expect(run.stdout.length, run.stderr).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});

describe('npm run ask through a running server (askServer)', () => {
  let database: TestDatabase;
  let dir: string;
  const servers: Server[] = [];
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDocuments(database.db, embedder, SERVER_DOCS);
    dir = mkdtempSync(join(tmpdir(), 'docent-ask-'));
  });
  afterAll(async () => {
    for (const server of servers) server.close();
    rmSync(dir, { recursive: true, force: true });
    await database?.close();
  });

  /**
   * The app over HTTP, allowing `newReaders` new readers per address (one by default); for the
   * first `startingMs`, the app of a server still opening its database (as `npm start` does).
   */
  async function startServer(newReaders = 1, startingMs = 0): Promise<string> {
    const options: Partial<AppOptions> = { newUserRateLimit: { max: newReaders, windowMs: 60_000 } };
    const app = createApp({ database, config: loadConfig({}), embedder, siteDir: false, ...options });
    const starting = createStartingApp({ config: loadConfig({}), databaseKind: 'pglite', siteDir: false });
    const startedAt = Date.now();
    const fetch = (request: Request) => (Date.now() - startedAt < startingMs ? starting.fetch(request) : app.fetch(request));
    const server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s as Server));
    });
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  const userCount = async () => (await database.db.select({ n: count() }).from(users))[0]!.n;
  const ask = async (url: string, sessionFile?: string) => {
    let out = '';
    const answer = await askServer(url, 'How do I set a cookie?', { sessionFile, out: { write: (s: string) => (out += s) } });
    return { answer, out };
  };

  it('keeps one reader across runs: the session cookie is kept in a file only its owner can read, and sent back', async () => {
    const url = await startServer(1);
    const sessionFile = sessionFileFor(join(dir, 'pglite'));
    expect(sessionFile).toBe(join(dir, 'pglite.ask-session'));
    const before = await userCount();

    const first = await ask(url, sessionFile);
    expect(first.answer.error).toBeUndefined();
    expect(first.out).toContain('setCookie');
    expect(statSync(sessionFile).mode & 0o777).toBe(0o600);
    const token = readFileSync(sessionFile, 'utf8').trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);

    // The server allows one new reader a minute from this address: a second reader would get 429.
    const second = await ask(url, sessionFile);
    expect(second.answer.error).toBeUndefined();
    expect(await userCount()).toBe(before + 1);
    // Two chats (one per run, as in the local path), of one reader.
    const rows = await database.db.select({ userId: chats.userId }).from(chats);
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.userId)).size).toBe(1);
    expect(first.out + second.out).not.toContain(token);
  });

  it('waits for a server still starting (503 server_starting), saying so, then asks it', async () => {
    const url = await startServer(1, 1_000);
    const said: string[] = [];
    let out = '';
    const answer = await askServer(url, 'How do I set a cookie?', { onWarning: (m) => said.push(m), out: { write: (s: string) => (out += s) } });
    expect(said).toEqual(['(the server is still starting, opening its database: waiting for it)']);
    expect(answer.error).toBeUndefined();
    expect(out).toContain('setCookie');
  });

  it('a server with nothing indexed is told as such (npm run ask exits 2), not asked: no abstention printed, no chat stored', async () => {
    const empty = await createTestDatabase('pglite');
    try {
      const app = createApp({ database: empty, config: loadConfig({}), embedder, siteDir: false });
      const server = await new Promise<Server>((resolve) => {
        const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s as Server));
      });
      servers.push(server);
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      let out = '';
      const refused = await askServer(url, 'How do I set a cookie?', { out: { write: (s: string) => (out += s) } }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(NoIndexError);
      expect((refused as Error).message).toBe(
        `the Docent server at ${url} has nothing indexed yet: run \`npm run ingest\` (it sends the run to that server), or check the server's CONTENT_DIR.`,
      );
      expect(out).toBe('');
      expect(await empty.db.select({ n: count() }).from(chats)).toEqual([{ n: 0 }]);
    } finally {
      await empty.close();
    }
  });

  it('a server still starting after the longest wait ends the run with exit code 75 (try again later), asking nothing', async () => {
    const url = await startServer(1, 60_000);
    const error = await askServer(url, 'How do I set a cookie?', { onWarning: () => {}, out: { write: () => {} }, startTimeoutMs: 300 }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('is still starting (opening its database) after 0 s: run this again once it serves.');
    expect(askFailureExitCode(error)).toBe(EXIT_TRY_LATER);
  });

  it('a server still building its first index refuses with its 503 message, and npm run ask exits 75 (try again later)', async () => {
    const indexStatus = createIndexStatus();
    indexStatus.begin('building');
    const app = createApp({ database, config: loadConfig({}), embedder, siteDir: false, indexStatus });
    const server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s as Server));
    });
    servers.push(server);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const refused = await askServer(url, 'How do I set a cookie?', { out: { write: () => {} } }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AskServerError);
    expect((refused as AskServerError).status).toBe(503);
    expect((refused as Error).message).toMatch(new RegExp(`^the server at ${url} answered 503: Docent is still indexing the docs for the first time`));
    expect(askFailureExitCode(refused)).toBe(EXIT_TRY_LATER);
    // Any other refusal is an answer that failed.
    expect(askFailureExitCode(new AskServerError('the server at x answered 400: bad', 400))).toBe(1);
  });

  it('a 429 is told for the terminal: which limit, and when to try again; no curl advice', async () => {
    const url = await startServer(1);
    await ask(url); // the address's one new reader this minute
    const refused = await ask(url).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AskServerError);
    expect((refused as AskServerError).status).toBe(429); // npm run ask exits 75 (rate limited: try again later)
    const message = (refused as Error).message;
    expect(message).toMatch(
      new RegExp(`^the server at ${url} refused the question: too many new readers from your address: at most 1 per 60 s\\. Try again in \\d+ s\\.$`),
    );
    expect(message).not.toMatch(/curl|cookies\.txt|cookie/i);
  });

  it('a session the server does not know is replaced by the new one it sets', async () => {
    const url = await startServer(5);
    const sessionFile = join(dir, 'stale.ask-session');
    writeFileSync(sessionFile, 'not-a-session-the-server-knows\n', { mode: 0o600 });
    const { answer } = await ask(url, sessionFile);
    expect(answer.error).toBeUndefined();
    const token = readFileSync(sessionFile, 'utf8').trim();
    expect(token).not.toBe('not-a-session-the-server-knows');
    const before = await userCount();
    await ask(url, sessionFile);
    expect(await userCount()).toBe(before);
  });
});

describe('npm run ask answering in this process (answerHere)', () => {
  const SPEC = 'The wire format is described in [the protocol spec](./spec.pdf#page=2), with every message type.';
  let database: TestDatabase;
  let siteDir = '';
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDocuments(database.db, embedder, [{ path: 'guides/protocol.md', title: 'Protocol', sections: [{ heading: 'Wire format', text: SPEC }] }]);
    // The built site, holding the file the page links to, as the site's build copies it.
    siteDir = mkdtempSync(join(tmpdir(), 'docent-ask-site-'));
    mkdirSync(join(siteDir, '_docent/files/content/guides'), { recursive: true });
    writeFileSync(join(siteDir, '_docent/files/content/guides/spec.pdf'), '%PDF-1.4\n');
  });
  afterAll(async () => {
    await database?.close();
    if (siteDir) rmSync(siteDir, { recursive: true, force: true });
  });

  const answer = async (env: Record<string, string>, dir: string) => {
    let out = '';
    const config = loadConfig({ OPENAI_API_KEY: '', OPENAI_BASE_URL: '', ...env });
    await answerHere({ db: database.db, embedder }, config, 'What is the wire format of the protocol?', { out: { write: (s: string) => (out += s) }, siteDir: dir });
    return out;
  };

  it('quotes a link to a file of the docs pointed where the built site serves it, as the server does', async () => {
    // The content folder's source is `docs` (CONTENT_SOURCE, else the folder's name), the seeded pages'.
    expect(await answer({ CONTENT_SOURCE: 'docs' }, siteDir)).toContain('[the protocol spec](/_docent/files/content/guides/spec.pdf#page=2)');
    expect(await answer({ CONTENT_DIR: join(tmpdir(), 'docs') }, siteDir)).toContain('[the protocol spec](/_docent/files/content/guides/spec.pdf#page=2)');
    // Without the built site, or for another source's pages, as before: against the page's URL.
    expect(await answer({ CONTENT_SOURCE: 'docs' }, join(siteDir, 'none'))).toContain('[the protocol spec](/guides/protocol/spec.pdf#page=2)');
    expect(await answer({ CONTENT_SOURCE: 'other' }, siteDir)).toContain('[the protocol spec](/guides/protocol/spec.pdf#page=2)');
  });
});
