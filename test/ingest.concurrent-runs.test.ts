import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { queryRows } from '../server/db/open';
import { copyFixture, removeTempDirs } from './helpers/content';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';

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
