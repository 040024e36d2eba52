import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ingestContent } from '../ingest/index';
import { hasFinishedIngest, ingestOnStart, START_LOG_WARNINGS, unfinishedSources } from '../ingest/on-start';
import type { IngestProgress } from '../ingest/types';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../server/config';
import { queryRows } from '../server/db/open';
import { FIXTURES_DIR, removeTempDirs, tempDir } from './helpers/content';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { createHashingEmbedder, failingOn } from './helpers/embedder';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('pglite');
});
afterAll(async () => database?.close());

it('ingestOnStart() ingests CONTENT_DIR, saying how much it embeds for a first index, then one summary line; an unchanged corpus again without embedding', async () => {
  const config = loadConfig({ CONTENT_DIR: 'docs', CONTENT_SOURCE: 'site' });
  const embedder = createHashingEmbedder();
  const lines: string[] = [];
  expect(await hasFinishedIngest(database.db, config, FIXTURES_DIR)).toBe(false);
  const events: IngestProgress[] = [];
  const first = await ingestOnStart(database.db, config, { embedder, cwd: FIXTURES_DIR, firstIndex: true, log: (l) => lines.push(l), onProgress: (e) => events.push(e) });
  expect(first?.documents.added).toBe(7);
  expect(await hasFinishedIngest(database.db, config, FIXTURES_DIR)).toBe(true);
  const embedded = first!.chunks.embedded;
  expect(lines[0]).toBe(`[docent] ingest docs: embedding ${embedded} chunks for the first index (later starts embed only what changed)`);
  expect(events.filter((e) => e.phase === 'document').at(-1)).toMatchObject({ done: 7, total: 7 });
  expect(events.find((e) => e.phase === 'embed')).toMatchObject({ done: 0, total: embedded });
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

it('ingestOnStart() of an existing index says the index answers while changed pages are embedded', async () => {
  const work = tempDir();
  const docs = join(work, 'docs');
  mkdirSync(docs);
  writeFileSync(join(docs, 'index.md'), '# Home\n\nThe first version of the page.\n');
  const config = loadConfig({ CONTENT_DIR: 'docs', CONTENT_SOURCE: 'changed' });
  const embedder = createHashingEmbedder();
  await ingestOnStart(database.db, config, { embedder, cwd: work, log: () => {} });
  writeFileSync(join(docs, 'index.md'), '# Home\n\nThe second version of the page, with new words.\n');
  const lines: string[] = [];
  const again = await ingestOnStart(database.db, config, { embedder, cwd: work, log: (l) => lines.push(l) });
  expect(again?.documents.updated).toBe(1);
  expect(lines[0]).toMatch(
    /^\[docent\] ingest docs: embedding \d+ chunks of new and changed pages \(the existing index answers meanwhile; each page switches when it is written\)$/,
  );
  removeTempDirs();
});

it('ingestOnStart() stopped by a shutdown says so, and the next start finishes the job', async () => {
  const config = loadConfig({ CONTENT_DIR: 'docs', CONTENT_SOURCE: 'stopped' });
  const stop = new AbortController();
  const embedder = createHashingEmbedder();
  const lines: string[] = [];
  const stopped = await ingestOnStart(database.db, config, {
    embedder,
    cwd: FIXTURES_DIR,
    firstIndex: true,
    signal: stop.signal,
    log: (l) => lines.push(l),
    onProgress: (e) => {
      if (e.phase === 'document' && e.done === 2) stop.abort();
    },
  });
  expect(stopped).toBeUndefined();
  expect(lines.at(-1)).toBe('[docent] ingest docs: stopped by the shutdown; pages written so far stay, and the next start finishes the job.');
  expect(await hasFinishedIngest(database.db, config, FIXTURES_DIR)).toBe(false);
  const next = await ingestOnStart(database.db, config, { embedder, cwd: FIXTURES_DIR, firstIndex: true, log: () => {} });
  expect(next?.documents).toMatchObject({ added: 5, unchanged: 2 });
  expect(await hasFinishedIngest(database.db, config, FIXTURES_DIR)).toBe(true);
});

it('ingestOnStart() skips a missing content folder with a note, and survives a failing embedder', async () => {
  const lines: string[] = [];
  const missing = await ingestOnStart(database.db, loadConfig({ CONTENT_DIR: 'nope' }), { cwd: FIXTURES_DIR, log: (l) => lines.push(l) });
  expect(missing).toBeUndefined();
  expect(lines[0]).toMatch(/content folder .*nope not found; serving the existing index/);
  // On the first start of a new database there is no index to serve: the line says so.
  const empty = await createTestDatabase('pglite');
  try {
    lines.length = 0;
    await ingestOnStart(empty.db, loadConfig({ CONTENT_DIR: 'nope' }), { cwd: FIXTURES_DIR, log: (l) => lines.push(l), firstIndex: true });
    expect(lines).toEqual([
      expect.stringMatching(/content folder .*nope not found; nothing is indexed, so questions find nothing \(set CONTENT_DIR to the docs folder, then restart or run npm run ingest\)$/),
    ]);
  } finally {
    await empty.close();
  }

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

it('unfinishedSources() names the sources no run ever finished that hold pages: not one whose latest run failed after earlier ones finished', async () => {
  const { db, close } = await createTestDatabase('pglite');
  const docs = join(FIXTURES_DIR, 'docs');
  /** A run of the fixture as `source`; with `failOn`, it fails at the first page mentioning it (pages are written in path order, one embedding group each). */
  const run = (source: string, failOn?: string, modelId?: string) => {
    const embedder = createHashingEmbedder(modelId);
    return ingestContent(db, failOn === undefined ? embedder : failingOn(failOn, embedder), { contentDir: docs, source, embedGroupSize: 1 }).catch(() => undefined);
  };
  await run('whole');
  // Each with its own model: no vectors to reuse from the runs before.
  await run('half-done', 'Hono', 'test:half-done@512');
  await run('updated', undefined, 'test:updated@512');
  await run('updated', 'Hono', 'test:updated-again@512'); // re-embeds every page, and fails part way: each page is whole, old or new
  await run('nothing-written', '', 'test:nothing-written@512');
  const pages = await queryRows<{ source: string; n: number }>(db, sql`select source, count(*)::int as n from documents group by source order by source`);
  expect(pages).toEqual([
    { source: 'half-done', n: expect.any(Number) },
    { source: 'updated', n: 7 },
    { source: 'whole', n: 7 },
  ]);
  expect(pages[0]!.n).toBeGreaterThan(0);
  expect(pages[0]!.n).toBeLessThan(7);
  expect(await unfinishedSources(db)).toEqual(['half-done']);
  await run('half-done', undefined, 'test:half-done@512');
  expect(await unfinishedSources(db)).toEqual([]);
  await close();
});

it('ingestOnStart() logs the first START_LOG_WARNINGS warnings one by one and counts the rest, naming the command that lists them all', async () => {
  const work = tempDir();
  const docs = join(work, 'docs');
  mkdirSync(docs);
  writeFileSync(join(docs, 'index.md'), '# Home\n\nThe home page.\n');
  const broken = START_LOG_WARNINGS + 3;
  for (let i = 0; i < broken; i++) writeFileSync(join(docs, `page-${String(i).padStart(2, '0')}.md`), `# Page ${i}\n\nSome text.\n\n\`\`\`js\nconst unclosed = ${i};\n`);
  const config = loadConfig({ CONTENT_DIR: 'docs', CONTENT_SOURCE: 'many-warnings' });
  for (const run of ['first', 'unchanged']) {
    const lines: string[] = [];
    const summary = await ingestOnStart(database.db, config, { embedder: createHashingEmbedder(), cwd: work, log: (l) => lines.push(l) });
    expect(summary?.warnings.length, run).toBe(broken);
    const listed = lines.filter((l) => /^\[docent\] ingest: page-\d\d\.md:\d+: warning: /.test(l));
    expect(listed, run).toHaveLength(START_LOG_WARNINGS);
    expect(lines.filter((l) => l.startsWith('[docent] ingest: … and')), run).toEqual([
      '[docent] ingest: … and 3 more warnings (npm run ingest -- --dry-run --content docs lists them all)',
    ]);
  }
  removeTempDirs();
});
