import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ingestOnStart } from '../ingest/on-start';
import { loadConfig } from '../server/config';
import { FIXTURES_DIR, removeTempDirs, tempDir } from './helpers/content';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('pglite');
});
afterAll(async () => database?.close());

it('ingestOnStart() ingests CONTENT_DIR, saying how much it embeds, then one summary line; an unchanged corpus again without embedding', async () => {
  const config = loadConfig({ CONTENT_DIR: 'docs', CONTENT_SOURCE: 'site' });
  const embedder = createHashingEmbedder();
  const lines: string[] = [];
  const first = await ingestOnStart(database.db, config, { embedder, cwd: FIXTURES_DIR, log: (l) => lines.push(l) });
  expect(first?.documents.added).toBe(7);
  const embedded = first!.chunks.embedded;
  expect(lines[0]).toBe(`[docent] ingest docs: embedding ${embedded} chunks before serving (the server answers when this is done; later starts embed only what changed)`);
  // At most one line a quarter in between, each with a count that grows.
  const counts = lines.slice(1, -1).map((l) => Number(/: (\d+)\/\d+ chunks embedded$/.exec(l)?.[1]));
  expect(counts.length).toBeLessThanOrEqual(3);
  expect(counts).toEqual([...counts].sort((a, b) => a - b));
  expect(counts.every((n) => n > 0 && n < embedded)).toBe(true);
  expect(lines.at(-1)).toMatch(/^\[docent\] ingest docs: 7 added, 0 updated, 0 unchanged, 0 removed · \d+ chunks \(\d+ embedded, 0 reused, 0 removed\) · test:hashing@512 · /);

  const calls = embedder.calls;
  const before = lines.length;
  const again = await ingestOnStart(database.db, config, { embedder, cwd: FIXTURES_DIR, log: (l) => lines.push(l) });
  expect(again?.documents.unchanged).toBe(7);
  expect(embedder.calls).toBe(calls);
  expect(lines.slice(before)).toEqual([expect.stringMatching(/^\[docent\] ingest docs: 0 added, 0 updated, 7 unchanged/)]);
});

it('ingestOnStart() skips a missing content folder with a note, and survives a failing embedder', async () => {
  const lines: string[] = [];
  const missing = await ingestOnStart(database.db, loadConfig({ CONTENT_DIR: 'nope' }), { cwd: FIXTURES_DIR, log: (l) => lines.push(l) });
  expect(missing).toBeUndefined();
  expect(lines[0]).toMatch(/content folder .*nope not found; serving the existing index/);

  const broken = { ...createHashingEmbedder('test:broken@512'), embedDocuments: async () => Promise.reject(new Error('model failed to load')) };
  const failed = await ingestOnStart(database.db, loadConfig({ CONTENT_DIR: join(FIXTURES_DIR, 'docs'), CONTENT_SOURCE: 'other' }), {
    embedder: broken,
    log: (l) => lines.push(l),
  });
  expect(failed).toBeUndefined();
  expect(lines.at(-1)).toMatch(/stopped: model failed to load\. Serving the index as it is/);
});

it('ingestOnStart() does not empty the index when CONTENT_DIR has no pages: it warns and serves the index as it was', async () => {
  const config = loadConfig({ CONTENT_DIR: 'docs', CONTENT_SOURCE: 'kept' });
  const embedder = createHashingEmbedder();
  expect((await ingestOnStart(database.db, config, { embedder, cwd: FIXTURES_DIR, log: () => {} }))?.documents.added).toBe(7);
  const work = tempDir();
  mkdirSync(join(work, 'docs')); // the same CONTENT_DIR, empty: a checkout or mount gone wrong
  const lines: string[] = [];
  const skipped = await ingestOnStart(database.db, config, { embedder, cwd: work, log: (l) => lines.push(l) });
  expect(skipped).toBeUndefined();
  expect(lines).toEqual([
    `[docent] ingest: warning: no pages found in ${join(work, 'docs')}, but the index holds 7 pages of source "kept": skipped the ingest rather than remove them all; serving the index as it was. Check CONTENT_DIR (to empty the source on purpose: npm run ingest -- --content docs --allow-empty).`,
  ]);
  const again = await ingestOnStart(database.db, config, { embedder, cwd: FIXTURES_DIR, log: () => {} });
  expect(again?.documents).toMatchObject({ unchanged: 7, removed: 0 });
  removeTempDirs();
});

it('ingestOnStart() skips a CONTENT_DIR that is a file, with a note, and serves the existing index', async () => {
  const lines: string[] = [];
  const file = await ingestOnStart(database.db, loadConfig({ CONTENT_DIR: 'docs/notes.md' }), { cwd: FIXTURES_DIR, log: (l) => lines.push(l) });
  expect(file).toBeUndefined();
  expect(lines).toEqual([`[docent] ingest: Not a folder: ${join(FIXTURES_DIR, 'docs/notes.md')} (the content folder holds your markdown/MDX files); serving the existing index (set CONTENT_DIR)`]);
});
