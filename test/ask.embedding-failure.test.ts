/**
 * `npm run ask` through a running Docent server whose embedding server fails, end to end: a local
 * OpenAI-compatible embedding server (started here) that embeds the docs, then fails each question
 * as a case asks (503: down for a while; 401: a refused key); `npm start`'s entry point holding
 * the embedded database; `npm run ask` as a separate process, which finds the database in use and
 * asks that server. It exits 75 (try again later) or 1 (the answer failed) and says why in a
 * reader's words, pointing the operator at the server's log, which has the details.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestContent } from '../ingest/index';
import { EXIT_ANSWER_FAILED, EXIT_TRY_LATER } from '../server/ask-exit';
import { migrateDatabase } from '../server/db/migrate';
import { openDatabase } from '../server/db/open';
import { createOpenAIEmbeddingProvider } from '../server/embed/openai';
import { type EmbeddingStub, type EmbeddingStubFailure, startEmbeddingStub } from './helpers/embedding-stub';

/** A port nothing listens on now, for the server to listen on. */
async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** How the stub embedding server answers now. */
type Mode = 'ok' | 'down' | 'refused-key';

describe('npm run ask through a running server whose embedding server fails', () => {
  const dir = mkdtempSync(join(tmpdir(), 'docent-ask-embed-'));
  const dataDir = join(dir, 'db');
  let mode: Mode = 'ok';
  let embeddingServer: EmbeddingStub;
  let baseURL: string;
  let docent: ChildProcess | undefined;
  let docentOutput = '';

  beforeAll(async () => {
    embeddingServer = await startEmbeddingStub((): EmbeddingStubFailure | undefined => {
      if (mode === 'down') return { status: 503, body: { error: { message: 'upstream gpu-7.internal is down' } }, headers: { 'retry-after-ms': '1' } };
      if (mode === 'refused-key') return { status: 401, body: { error: { message: 'Incorrect API key provided: sk-stub' } } };
      return undefined;
    });
    baseURL = embeddingServer.baseURL;

    // The docs, embedded by the stub with the model the server uses.
    const docs = join(dir, 'docs');
    mkdirSync(docs);
    writeFileSync(join(docs, 'tickets.md'), '# Tickets\n\nFerry tickets are sold at the pier kiosk from 7 am.\n');
    const seed = await openDatabase(dataDir);
    await migrateDatabase(seed);
    await ingestContent(seed.db, createOpenAIEmbeddingProvider({ baseURL }), { contentDir: docs, source: 'docs' });
    await seed.close();

    docent = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, ...env(), HOST: '127.0.0.1', PORT: String(await freePort()), INGEST_ON_START: 'false', PGLITE_SHARED_BUFFERS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    docent.stdout!.on('data', (d) => (docentOutput += d));
    docent.stderr!.on('data', (d) => (docentOutput += d));
    const deadline = Date.now() + 90_000;
    while (!docentOutput.includes('[docent] serving')) {
      if (docent.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${docentOutput}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 120_000);

  afterAll(async () => {
    if (docent && docent.exitCode === null) {
      const exited = new Promise((resolve) => docent!.once('exit', resolve));
      docent.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (docent.exitCode === null) docent.kill('SIGKILL');
    }
    embeddingServer?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** What `npm run ask` and the server share: the database and the embedding server; no language model, no tracing. */
  function env(): Record<string, string> {
    return { DATABASE_URL: dataDir, EMBEDDING_PROVIDER: 'openai', OPENAI_BASE_URL: baseURL, OPENAI_API_KEY: 'sk-stub-key', LANGSMITH_TRACING: 'false' };
  }

  /** Runs `npm run ask` (not `spawnSync`: the stub embedding server answers from this process). */
  async function ask(question: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/ask.ts', question], { env: { ...process.env, ...env() }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(timer);
    return { status, stdout, stderr };
  }

  it('exits 75 when the embedding server is down for a while (503), saying the docs could not be searched and to try again', async () => {
    mode = 'down';
    const logged = docentOutput.length;
    const run = await ask('Where are ferry tickets sold?');
    expect(run.stderr, run.stderr).toContain('(asking the running Docent server at http://127.0.0.1:');
    expect(run.stderr).toContain('ask: The docs could not be searched for your question: the search service failed (HTTP 503). Please try again.');
    expect(run.stderr).toMatch(/\n\(the details are in the log of the Docent server at http:\/\/127\.0\.0\.1:\d+\)\n/);
    expect(run.status, run.stderr).toBe(EXIT_TRY_LATER);
    expect(run.stdout + run.stderr).not.toMatch(/gpu-7|sk-stub|embedding/i);
    // The operator's details are in the server's log, without the key.
    expect(docentOutput.slice(logged)).toMatch(/embedding model openai:text-embedding-3-small at http:\/\/127\.0\.0\.1:\d+\/v1: .*503/);
    expect(docentOutput).not.toContain('sk-stub-key');
  });

  it('exits 1 when the embedding server refuses the key (401), saying trying again will not help', async () => {
    mode = 'refused-key';
    const run = await ask('When does the kiosk open?');
    expect(run.stderr).toContain(
      'ask: The docs could not be searched for your question: the search service refused this site’s credentials (HTTP 401). ' +
        'Trying again will not help until the site’s operator fixes the server’s configuration.',
    );
    expect(run.status, run.stderr).toBe(EXIT_ANSWER_FAILED);
  });
});
