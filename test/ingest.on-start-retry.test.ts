import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestContent } from '../ingest/index';
import { hasFinishedIngest, incompleteIndexReason, ingestOnStart, isWorthRetrying } from '../ingest/on-start';
import { runBackgroundIngest } from '../server/background-ingest';
import { loadConfig } from '../server/config';
import { createOpenAIEmbeddingProvider } from '../server/embed/openai';
import { indexIncompleteMessage } from '../server/http/index-building';
import { createIndexStatus, type IndexStatus, type IndexStatusReport } from '../server/index-status';
import { FIXTURES_DIR } from './helpers/content';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';
import { seedDocuments } from './helpers/seed';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('pglite');
});
const servers: Server[] = [];
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await database?.close();
});

/**
 * An OpenAI-protocol embeddings server on `port` (0: any) answering each request with the status
 * `statusOf(n)` returns for the n-th request (1-based): 200 with vectors, or that status with an error.
 */
async function startEmbeddingServer(port: number, statusOf: (n: number) => number): Promise<{ url: string; port: number; requests: () => number }> {
  let n = 0;
  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const part of req) raw += part;
    const status = statusOf(++n);
    if (status !== 200) {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `status ${status}`, type: 'server_error' } }));
      return;
    }
    const { input } = JSON.parse(raw) as { input: string[] };
    const data = input.map((text, index) => ({ object: 'embedding', index, embedding: Array.from({ length: 512 }, (_, i) => ((text.charCodeAt(i % text.length) + i) % 11) + 1) }));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data, usage: { prompt_tokens: 1, total_tokens: 1 } }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${bound}/v1`, port: bound, requests: () => n };
}

/** A port nothing listens on (yet). */
async function unusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** `status`, with the report it gives each time a new try is scheduled. */
function recordingRetries(status: IndexStatus): { status: IndexStatus; scheduled: IndexStatusReport[] } {
  const scheduled: IndexStatusReport[] = [];
  return {
    scheduled,
    status: {
      ...status,
      retryAt(failures, at) {
        status.retryAt(failures, at);
        scheduled.push(status.report());
      },
    },
  };
}

/** The ingest on start of `test/fixtures/docs` as source `source`, with the embedding server at `baseURL`, as `server/main.ts` runs it. */
function backgroundIngest(source: string, baseURL: string, status: IndexStatus, lines: string[], signal = new AbortController().signal, retryDelaysMs = [40, 80]) {
  const config = loadConfig({ CONTENT_DIR: 'docs', CONTENT_SOURCE: source });
  const embedder = createOpenAIEmbeddingProvider({ baseURL, apiKey: 'sk-test', maxRetries: 0, model: `model-of-${source}` }) // no vectors to reuse from the other tests;
  let incomplete = 0;
  const outcome = runBackgroundIngest({
    attempt: async (firstIndex, onFailure) => {
      await ingestOnStart(database.db, config, { embedder, cwd: FIXTURES_DIR, firstIndex, log: (l) => lines.push(l), onProgress: status.progress, signal, onFailure });
    },
    isFinished: () => hasFinishedIngest(database.db, config, FIXTURES_DIR),
    isWorthRetrying,
    status,
    firstIndex: true,
    label: 'docs',
    signal,
    onIncomplete: () => incomplete++,
    retryDelaysMs,
  });
  return { outcome, config, incompleteCalls: () => incomplete };
}

it('tries a first ingest on start again, with growing waits, while the embedding server is not up yet or answers 503, and answers once a try finishes', async () => {
  const port = await unusedPort();
  const base = createIndexStatus();
  base.begin('building');
  const { status, scheduled } = recordingRetries(base);
  const lines: string[] = [];
  let embeddings: Awaited<ReturnType<typeof startEmbeddingServer>> | undefined;
  // The embedding server starts once the first try has failed (docker compose starting both), and
  // answers its first request 503 (loading the model).
  const onLine = lines.push.bind(lines);
  lines.push = (...items: string[]) => {
    const n = onLine(...items);
    if (!embeddings && items.some((l) => l.includes('stopped:'))) void startEmbeddingServer(port, (i) => (i === 1 ? 503 : 200)).then((s) => (embeddings = s));
    return n;
  };
  const run = backgroundIngest('retried', `http://127.0.0.1:${port}/v1`, status, lines);

  expect(await run.outcome).toBe('finished');
  expect(base.report()).toEqual({ state: 'ready' });
  expect(await hasFinishedIngest(database.db, run.config, FIXTURES_DIR)).toBe(true);
  expect(run.incompleteCalls()).toBe(1);
  // Two failures in a row, each said in its one line with the wait before the next try: 40 ms, then 80 ms.
  const failures = lines.filter((l) => l.includes('stopped:'));
  expect(failures).toHaveLength(2);
  expect(failures[0]).toMatch(/^\[docent\] ingest docs stopped: .*Cannot connect.*The index is incomplete: questions are not answered until it is finished; trying again in 40 ms \(first failure\)\.$/);
  expect(failures[1]).toMatch(/^\[docent\] ingest docs stopped: .*HTTP 503.*; trying again in 80 ms \(2 failures in a row\)\.$/);
  expect(lines.at(-1)).toMatch(/^\[docent\] ingest docs: 7 added, /);
  expect(embeddings!.requests()).toBeGreaterThan(1);
  // While it waits: incomplete, how many tries failed, and when the next one is.
  expect(scheduled).toHaveLength(2);
  for (const [i, report] of scheduled.entries()) {
    expect(report).toMatchObject({ state: 'incomplete', failedAttempts: i + 1, nextAttemptAt: expect.any(String), reason: expect.stringContaining('tries again by itself') });
    expect(report).not.toHaveProperty('phase');
    expect(Date.parse(report.nextAttemptAt!)).toBeGreaterThan(Date.now() - 5_000);
    expect(indexIncompleteMessage(report)).toContain('It is tried again shortly.');
  }
});

it('does not try again after a failure a new try would repeat (a refused API key): incomplete until an ingest finishes it', async () => {
  const embeddings = await startEmbeddingServer(0, () => 401);
  const status = createIndexStatus();
  status.begin('building');
  const lines: string[] = [];
  const run = backgroundIngest('refused', embeddings.url, status, lines);
  expect(await run.outcome).toBe('incomplete');
  expect(embeddings.requests()).toBe(1);
  expect(status.report()).toMatchObject({ state: 'incomplete', reason: expect.stringContaining('The next start, or npm run ingest, finishes it.') });
  expect(status.report()).not.toHaveProperty('failedAttempts');
  expect(status.report()).not.toHaveProperty('nextAttemptAt');
  expect(lines.filter((l) => l.includes('stopped:'))).toEqual([
    expect.stringMatching(/HTTP 401.*check OPENAI_API_KEY.*; the next start \(or npm run ingest\) finishes the job\.$/),
  ]);
});

it('stops waiting for the next try when the server stops', async () => {
  const embeddings = await startEmbeddingServer(0, () => 502);
  const status = createIndexStatus();
  status.begin('building');
  const stop = new AbortController();
  const lines: string[] = [];
  const run = backgroundIngest('stopped', embeddings.url, status, lines, stop.signal, [600_000]);
  while (status.report().nextAttemptAt === undefined) await new Promise((r) => setTimeout(r, 10));
  expect(status.report()).toMatchObject({ state: 'incomplete', failedAttempts: 1, nextAttemptInSeconds: 600 });
  const stoppedAt = Date.now();
  stop.abort();
  expect(await run.outcome).toBe('stopped');
  expect(Date.now() - stoppedAt).toBeLessThan(1_000);
  expect(embeddings.requests()).toBe(1);
});

describe('a first ingest on start whose content folder is missing, unreadable or empty', () => {
  /** Runs the ingest on start of `contentDir` (under a fresh temp folder) as source `source`, as `server/main.ts` does. */
  async function runFirstIndex(source: string, contentDir: string) {
    const config = loadConfig({ CONTENT_DIR: contentDir, CONTENT_SOURCE: source });
    const status = createIndexStatus();
    status.begin('building');
    const lines: string[] = [];
    const embedder = createHashingEmbedder();
    const outcome = await runBackgroundIngest({
      attempt: async (firstIndex, onFailure) => {
        await ingestOnStart(database.db, config, { embedder, cwd: workDir, firstIndex, log: (l) => lines.push(l), onProgress: status.progress, onFailure });
      },
      isFinished: () => hasFinishedIngest(database.db, config, workDir),
      isWorthRetrying,
      incompleteReason: incompleteIndexReason,
      status,
      firstIndex: !(await hasFinishedIngest(database.db, config, workDir)),
      label: contentDir,
      signal: new AbortController().signal,
      retryDelaysMs: [40],
    });
    return { outcome, report: status.report(), lines };
  }
  const workDir = mkdtempSync(join(tmpdir(), 'docent-on-start-missing-'));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('leaves the index incomplete, with a reason naming the problem, when an earlier unfinished run left pages of its source', async () => {
    await seedDocuments(database.db, createHashingEmbedder(), [
      { source: 'half-done', path: 'a.md', title: 'A', sections: [{ text: 'First page.' }] },
      { source: 'half-done', path: 'b.md', title: 'B', sections: [{ text: 'Second page.' }] },
    ]);
    const missing = await runFirstIndex('half-done', 'gone');
    expect(missing.outcome).toBe('incomplete');
    expect(missing.report).toMatchObject({ state: 'incomplete', reason: expect.stringMatching(/^The content folder \(CONTENT_DIR=gone\) was not found, and the index holds only the 2 pages/) });
    expect(missing.report.reason).not.toContain(workDir);
    expect(missing.lines.join('\n')).toMatch(/content folder .*gone not found, and the index holds only the 2 pages of source "half-done".*The index is incomplete/);

    mkdirSync(join(workDir, 'empty'));
    const empty = await runFirstIndex('half-done', 'empty');
    expect(empty.outcome).toBe('incomplete');
    expect(empty.report.reason).toMatch(/^The content folder \(CONTENT_DIR=empty\) holds no pages, and the index holds only the 2 pages/);

    writeFileSync(join(workDir, 'a-file'), 'not a folder');
    const notAFolder = await runFirstIndex('half-done', 'a-file');
    expect(notAFolder.outcome).toBe('incomplete');
    expect(notAFolder.report.reason).toMatch(/^The content folder \(CONTENT_DIR=a-file\) cannot be read/);
  });

  it('serves the other sources when the missing folder\'s source has no pages at all', async () => {
    const run = await runFirstIndex('never-ingested', 'gone');
    expect(run.outcome).toBe('finished');
    expect(run.report).toEqual({ state: 'ready' });
    expect(run.lines).toEqual([expect.stringMatching(/not found; serving the existing index \(set CONTENT_DIR\)$/)]);
  });
});

describe('a try of the ingest on start while npm run ingest of the same source runs on the server', () => {
  /** An embedder whose calls wait until `release(fail)`; then they fail (`fail`) or embed. */
  function heldEmbedder() {
    const inner = createHashingEmbedder();
    let release!: (fail: boolean) => void;
    const released = new Promise<boolean>((resolve) => (release = resolve));
    const embedder = {
      ...inner,
      async embedDocuments(texts: string[], options?: Parameters<typeof inner.embedDocuments>[1]) {
        if (await released) throw new Error('embedding service unavailable');
        return inner.embedDocuments(texts, options);
      },
    };
    return { embedder, release };
  }

  it('waits for that run to end, then runs: a run that failed does not leave the source unfinished', async () => {
    const config = loadConfig({ CONTENT_DIR: 'docs', CONTENT_SOURCE: 'admin-failed' });
    const admin = heldEmbedder();
    const adminRun = ingestContent(database.db, admin.embedder, { contentDir: `${FIXTURES_DIR}/docs`, source: 'admin-failed' });
    const lines: string[] = [];
    const onStart = ingestOnStart(database.db, config, { embedder: createHashingEmbedder(), cwd: FIXTURES_DIR, firstIndex: true, log: (l) => lines.push(l) });
    await new Promise((r) => setTimeout(r, 50));
    expect(lines).toEqual([expect.stringContaining('waiting for the ingest of source "admin-failed" already running on this server (npm run ingest) to end')]);
    admin.release(true);
    await expect(adminRun).rejects.toThrow();
    const summary = await onStart;
    expect(summary?.documents.added).toBeGreaterThan(0);
    expect(await hasFinishedIngest(database.db, config, FIXTURES_DIR)).toBe(true);
  });

  it('ends the retries when another run finishes the index while the next try waits', async () => {
    const status = createIndexStatus();
    status.begin('building');
    const finishedElsewhere = new AbortController();
    let attempts = 0;
    const outcome = runBackgroundIngest({
      attempt: async (_first, onFailure) => {
        attempts++;
        onFailure(new Error('the embedding server is starting'));
      },
      isFinished: async () => finishedElsewhere.signal.aborted,
      isWorthRetrying: () => true,
      status,
      firstIndex: true,
      label: 'docs',
      signal: new AbortController().signal,
      finishedElsewhere: finishedElsewhere.signal,
      retryDelaysMs: [600_000],
    });
    while (status.report().nextAttemptAt === undefined) await new Promise((r) => setTimeout(r, 10));
    expect(status.report()).toMatchObject({ state: 'incomplete', failedAttempts: 1 });
    const at = Date.now();
    finishedElsewhere.abort();
    expect(await outcome).toBe('finished');
    expect(Date.now() - at).toBeLessThan(1_000);
    expect(status.report()).toEqual({ state: 'ready' });
    expect(attempts).toBe(1);
  });
});
