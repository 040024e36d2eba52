/**
 * A Postgres that crashes while `npm run ingest` writes a page (the connection closes in the
 * middle of a transaction): ingest stops with its own error and exit code 2. postgres.js 3.4
 * instead threw `TypeError: Cannot read properties of null (reading 'write')` from a timer, where
 * nothing could catch it, and the process died with it.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from '../server/db/open';
import { FIXTURES_DIR } from './helpers/content';
import { startCrashingProxy } from './helpers/crashing-proxy';

/** `npm run ingest`'s script, run as its own process. */
const INGEST_CLI = fileURLToPath(new URL('../ingest/cli.ts', import.meta.url));

/** Runs `node --import tsx ingest/cli.ts args` with `env`; resolves with its exit code and output. */
function runIngestProcess(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', INGEST_CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('a database crash while ingest writes', () => {
  let pglite: PGlite;
  let postgresServer: PGLiteSocketServer;
  let postgresPort: number;
  let embeddings: Server;
  let embeddingsUrl: string;

  beforeAll(async () => {
    // A Postgres (PGlite over the wire protocol); ingest migrates it. One connection at a time:
    // pglite-socket shares a single backend session between connections.
    pglite = await PGlite.create({ extensions: { vector } });
    postgresServer = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 1 });
    await postgresServer.start();
    postgresPort = Number(postgresServer.getServerConn().split(':').at(-1));
    // An OpenAI-compatible embedding server: the same vector for every input.
    embeddings = createServer(async (req, res) => {
      let raw = '';
      for await (const part of req) raw += part;
      const input = (JSON.parse(raw) as { input: string[] }).input;
      const data = input.map((_, index) => ({ object: 'embedding', index, embedding: Array.from({ length: 512 }, (_, i) => (i === index % 512 ? 1 : 0.01)) }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data }));
    });
    await new Promise<void>((resolve) => embeddings.listen(0, '127.0.0.1', resolve));
    embeddingsUrl = `http://127.0.0.1:${(embeddings.address() as AddressInfo).port}/v1`;
  });

  afterAll(async () => {
    embeddings?.closeAllConnections();
    await new Promise((resolve) => embeddings?.close(resolve));
    await postgresServer?.stop();
    await pglite?.close();
  });

  it('stops the run with exit code 2 and the connection error, not an uncaught TypeError, and leaves no page half-written', async () => {
    // The database goes down as ingest writes a page's chunks, inside that page's transaction.
    const proxy = await startCrashingProxy(postgresPort, /insert into "chunks"/i);
    try {
      const run = await runIngestProcess(['--content', join(FIXTURES_DIR, 'docs')], {
        DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${proxy.port}/postgres?max=1`,
        EMBEDDING_PROVIDER: 'openai',
        OPENAI_BASE_URL: embeddingsUrl,
        OPENAI_API_KEY: '',
      });
      await proxy.crashed;
      expect(run.stderr).not.toContain('TypeError');
      expect(run.stderr).toMatch(/^ingest: the run stopped: .*CONNECTION_CLOSED/m);
      expect(run.stderr).toContain('run the command again to finish the job');
      expect(run.code).toBe(2);
    } finally {
      await proxy.close();
    }

    // The page being written when the database went down was rolled back as a whole.
    const handle = await openDatabase(`postgres://postgres:postgres@127.0.0.1:${postgresPort}/postgres`, { maxConnections: 1 });
    try {
      const halfWritten = await queryRows<{ path: string }>(
        handle.db,
        sql`select d.path from documents d where not exists (select 1 from chunks c where c.document_id = d.id)`,
      );
      expect(halfWritten).toEqual([]);
    } finally {
      await handle.close();
    }
  }, 120_000);
});
