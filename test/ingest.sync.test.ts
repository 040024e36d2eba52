import { cpSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chunkSections } from '../ingest/chunk';
import { IngestBusyError, IngestRunError, ingestContent } from '../ingest/index';
import { parseDocument } from '../ingest/parse';
import { listContentFiles } from '../ingest/scan';
import { PIPELINE_VERSION } from '../ingest/sync';
import type { IngestOptions, IngestProgress } from '../ingest/types';
import { documentUrl } from '../ingest/urls';
import { type Database, queryRows } from '../server/db/open';
import { ingestRuns } from '../server/db/schema';
import type { EmbeddingProvider } from '../server/embed/provider';
import { search } from '../server/retrieval/search';
import { copyFixture, FIXTURES_DIR, removeTempDirs } from './helpers/content';
import { createTestDatabase, DRIVER_KINDS, type TestDatabase } from './helpers/database';
import { createHashingEmbedder, failingOn } from './helpers/embedder';

interface Row extends Record<string, unknown> {
  id: string;
  path: string;
  url: string;
  content_hash: string;
  ordinal: number;
  heading: string;
  anchor: string;
  text: string;
  embedding_model: string;
}

async function indexOf(db: Database, source: string): Promise<Row[]> {
  return queryRows<Row>(
    db,
    sql`select c.id, d.path, d.url, d.content_hash, c.ordinal, c.heading, c.anchor, c.text, c.embedding_model
        from chunks c join documents d on d.id = c.document_id
        where d.source = ${source} order by d.path, c.ordinal`,
  );
}

/** What the index of `dir` must hold, computed with the pure parse and chunk functions. */
async function expectedIndex(dir: string) {
  const out: { path: string; ordinal: number; heading: string; anchor: string; text: string }[] = [];
  for (const path of await listContentFiles(dir)) {
    try {
      const doc = parseDocument(readFileSync(join(dir, path), 'utf8'), path);
      for (const c of chunkSections(doc.sections)) out.push({ path, ordinal: c.ordinal, heading: c.heading, anchor: c.anchor, text: c.text });
    } catch {
      /* files that fail to parse are not indexed */
    }
  }
  return out;
}

const strip = (rows: Row[]) => rows.map(({ path, ordinal, heading, anchor, text }) => ({ path, ordinal, heading, anchor, text }));

const edit = (dir: string, path: string, from: string | RegExp, to: string) => {
  const file = join(dir, path);
  const before = readFileSync(file, 'utf8');
  const after = before.replace(from, to);
  if (after === before) throw new Error(`edit: "${from}" not found in ${path}`);
  writeFileSync(file, after);
};

afterAll(() => removeTempDirs());

describe.each(DRIVER_KINDS)('ingestContent() through %s', (kind) => {
  let database: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    db = database.db;
  });
  afterAll(async () => database?.close());

  // Each scenario uses its own source and its own embedding model id, so reuse between
  // scenarios (which ingest would rightly do) cannot make a count look right by accident.
  const setup = (name: string) => {
    const dir = copyFixture('docs');
    const embedder = createHashingEmbedder(`test:${name}@512`);
    const run = (options: Partial<IngestOptions> = {}, using: EmbeddingProvider = embedder) =>
      ingestContent(db, using, { contentDir: dir, source: name, ...options });
    return { dir, embedder, run };
  };

  it('indexes every file with paths relative to the folder, breadcrumbs, anchors and URLs, and records the run', async () => {
    const { dir, embedder, run } = setup('first');
    const summary = await run({ baseUrl: 'https://docs.example.com/' });
    expect(summary).toEqual({
      documents: { added: 7, updated: 0, unchanged: 0, removed: 0, failed: 0 },
      chunks: { embedded: summary.chunks.total, reused: 0, removed: 0, total: summary.chunks.total },
      embeddingModel: 'test:first@512',
      durationMs: expect.any(Number),
      errors: [],
      warnings: [],
      notPages: [],
    });
    const rows = await indexOf(db, 'first');
    expect(strip(rows)).toEqual(await expectedIndex(dir));
    expect(summary.chunks.total).toBe(rows.length);
    expect(embedder.calls).toBe(rows.length); // one window per chunk for a model with a large window
    expect(new Set(rows.map((r) => r.path))).toEqual(
      new Set(['guides/components.mdx', 'guides/reference.mdx', 'hono/index.md', 'hono/middleware/basic-auth.md', 'hono/routing.md', 'hono/streaming.md', 'notes.md']),
    );
    const realm = rows.find((r) => r.anchor === 'realm-string')!;
    expect(realm).toMatchObject({
      path: 'hono/middleware/basic-auth.md',
      url: 'https://docs.example.com/hono/middleware/basic-auth/',
      heading: 'Basic Auth Middleware > Options > realm: string',
    });
    expect(rows.every((r) => r.url === documentUrl(r.path, 'https://docs.example.com/'))).toBe(true);

    const [runRow] = await db.select().from(ingestRuns).where(eq(ingestRuns.source, 'first'));
    expect(runRow).toMatchObject({
      status: 'succeeded',
      embeddingModel: 'test:first@512',
      counts: { documents: summary.documents, chunks: summary.chunks },
      errors: [],
    });
    expect(runRow!.finishedAt).toBeInstanceOf(Date);
  });

  it('an unchanged re-run embeds nothing and keeps every chunk row', async () => {
    const { embedder, run } = setup('unchanged');
    await run();
    const before = await indexOf(db, 'unchanged');
    const calls = embedder.calls;
    const summary = await run();
    expect(summary.documents).toEqual({ added: 0, updated: 0, unchanged: 7, removed: 0, failed: 0 });
    expect(summary.chunks).toEqual({ embedded: 0, reused: 0, removed: 0, total: before.length });
    expect(embedder.calls).toBe(calls);
    expect(await indexOf(db, 'unchanged')).toEqual(before);
  });

  it('editing one section re-embeds only its chunk; the other chunks keep their rows', async () => {
    const { dir, embedder, run } = setup('edit');
    await run();
    const before = await indexOf(db, 'edit');
    const calls = embedder.calls;
    edit(dir, 'hono/routing.md', 'Routing of Hono is flexible and intuitive.', 'Routing in Hono is flexible, intuitive and fast.');
    const summary = await run();
    expect(summary.documents).toMatchObject({ updated: 1, unchanged: 6 });
    expect(summary.chunks).toMatchObject({ embedded: 1, removed: 1, total: before.length });
    expect(embedder.calls).toBe(calls + 1);
    const after = await indexOf(db, 'edit');
    expect(strip(after)).toEqual(await expectedIndex(dir));
    const changed = after.filter((row) => !before.some((b) => b.id === row.id));
    expect(changed.map((r) => [r.path, r.heading])).toEqual([['hono/routing.md', 'Routing']]);
    const routingChunks = before.filter((r) => r.path === 'hono/routing.md').length;
    expect(summary.chunks.reused).toBe(routingChunks - 1);
  });

  it('inserting a section keeps the rows of the chunks after it (they only move)', async () => {
    const { dir, run } = setup('insert');
    await run();
    const before = await indexOf(db, 'insert');
    edit(dir, 'hono/streaming.md', '## `streamText()`', '## A new section\n\nBrand new words here.\n\n## `streamText()`');
    const summary = await run();
    expect(summary.chunks).toMatchObject({ embedded: 1, removed: 0 });
    const after = await indexOf(db, 'insert');
    expect(strip(after)).toEqual(await expectedIndex(dir));
    const streaming = (rows: Row[]) => rows.filter((r) => r.path === 'hono/streaming.md');
    const moved = streaming(after).filter((r) => before.some((b) => b.id === r.id));
    expect(moved).toHaveLength(streaming(before).length);
  });

  it('deleting a file purges its document and chunks', async () => {
    const { dir, run } = setup('delete');
    await run();
    const before = await indexOf(db, 'delete');
    rmSync(join(dir, 'hono/streaming.md'));
    const summary = await run();
    const gone = before.filter((r) => r.path === 'hono/streaming.md').length;
    expect(summary.documents).toMatchObject({ removed: 1, unchanged: 6 });
    expect(summary.chunks).toMatchObject({ removed: gone, embedded: 0, total: before.length - gone });
    const after = await indexOf(db, 'delete');
    expect(after.some((r) => r.path === 'hono/streaming.md')).toBe(false);
    const [{ n }] = (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from documents where source = 'delete' and path = 'hono/streaming.md'`)) as [{ n: number }];
    expect(n).toBe(0);
  });

  it('a page made a draft (draft: true) is purged like a deleted file and named; published again, it is indexed again', async () => {
    const { dir, run } = setup('draft');
    await run();
    const before = await indexOf(db, 'draft');
    const original = readFileSync(join(dir, 'hono/streaming.md'), 'utf8');
    writeFileSync(join(dir, 'hono/streaming.md'), `---\ndraft: true\n---\n${original}`);
    const drafted = await run();
    expect(drafted.documents).toMatchObject({ removed: 1, unchanged: 6, failed: 0 });
    expect(drafted.notPages).toEqual([
      {
        path: 'hono/streaming.md',
        line: null,
        message: 'not indexed: a draft (`draft: true` or `published: false` in its frontmatter); the docs site does not build it either',
      },
    ]);
    expect(drafted.warnings).toEqual([]); // meant so by its author: nothing to fix
    expect((await indexOf(db, 'draft')).some((r) => r.path === 'hono/streaming.md')).toBe(false);

    writeFileSync(join(dir, 'hono/streaming.md'), original);
    const published = await run();
    expect(published.documents).toMatchObject({ added: 1, unchanged: 6 });
    expect(published.warnings).toEqual([]);
    expect(strip(await indexOf(db, 'draft'))).toEqual(strip(before));
  });

  it('a folder named in .docentignore leaves the index like deleted files; taken out of it, its pages come back', async () => {
    const { dir, run } = setup('ignore-file');
    await run();
    const before = await indexOf(db, 'ignore-file');
    writeFileSync(join(dir, '.docentignore'), '/hono/middleware/\n');
    const ignored = await run();
    expect(ignored.documents).toMatchObject({ removed: 1, unchanged: 6, failed: 0 });
    expect(ignored.warnings).toEqual([]);
    expect((await indexOf(db, 'ignore-file')).some((r) => r.path.startsWith('hono/middleware/'))).toBe(false);

    rmSync(join(dir, '.docentignore'));
    const back = await run();
    expect(back.documents).toMatchObject({ added: 1, unchanged: 6 });
    expect(strip(await indexOf(db, 'ignore-file'))).toEqual(strip(before));
  });

  it('renaming or moving a file reuses its embeddings', async () => {
    const { dir, embedder, run } = setup('rename');
    await run();
    const calls = embedder.calls;
    renameSync(join(dir, 'hono/routing.md'), join(dir, 'guides/routing-guide.md'));
    const summary = await run();
    expect(summary.documents).toMatchObject({ added: 1, removed: 1, unchanged: 6 });
    expect(summary.chunks.embedded).toBe(0);
    expect(summary.chunks.reused).toBeGreaterThan(10);
    expect(embedder.calls).toBe(calls);
    expect(strip(await indexOf(db, 'rename'))).toEqual(await expectedIndex(dir));
  });

  it('a file that fails to parse is reported with its line, the others land, and its previous version stays', async () => {
    const { dir, run } = setup('broken');
    await run();
    const before = await indexOf(db, 'broken');
    cpSync(join(FIXTURES_DIR, 'broken/bad-frontmatter.md'), join(dir, 'new/bad.md'), { recursive: true });
    edit(dir, 'guides/reference.mdx', 'description: Every setting, in one table.', 'description: [Every setting');
    edit(dir, 'notes.md', 'Line one.', 'Line one, edited.');
    const events: IngestProgress[] = [];
    const summary = await run({ onProgress: (e) => events.push(e) });
    expect(summary.documents).toEqual({ added: 0, updated: 1, unchanged: 5, removed: 0, failed: 2 });
    // Not among the documents to write; the progress display counts them as failed.
    expect(events.filter((e) => e.phase === 'document')).toEqual([{ phase: 'document', done: 1, total: 1, failed: 2, path: 'notes.md' }]);
    expect(summary.errors).toEqual([
      { path: 'guides/reference.mdx', line: 3, message: expect.stringMatching(/^invalid frontmatter: /) },
      { path: 'new/bad.md', line: 3, message: expect.stringMatching(/^invalid frontmatter: /) },
    ]);
    const after = await indexOf(db, 'broken');
    expect(after.filter((r) => r.path === 'guides/reference.mdx')).toEqual(before.filter((r) => r.path === 'guides/reference.mdx'));
    expect(after.find((r) => r.path === 'notes.md')!.text).toContain('Line one, edited.');
    const runs = await db.select().from(ingestRuns).where(eq(ingestRuns.source, 'broken'));
    expect(runs.map((r) => r.status).sort()).toEqual(['partial', 'succeeded']);
  });

  it('an MDX page that MDX cannot parse is indexed as markdown, with a warning naming the MDX error', async () => {
    const { dir, run } = setup('mdx-fallback');
    cpSync(join(FIXTURES_DIR, 'broken/invalid.mdx'), join(dir, 'new/invalid.mdx'), { recursive: true });
    const summary = await run();
    expect(summary.documents).toMatchObject({ added: 8, failed: 0 });
    expect(summary.errors).toEqual([]);
    expect(summary.warnings).toEqual([
      { path: 'new/invalid.mdx', line: 5, message: expect.stringMatching(/^not valid MDX \(Expected a closing tag for `<Callout>`\), so it was indexed as plain markdown/) },
    ]);
    const rows = await indexOf(db, 'mdx-fallback');
    expect(rows.filter((r) => r.path === 'new/invalid.mdx').map((r) => r.text).join('\n')).toContain('An unclosed component.');
    expect(strip(rows)).toEqual(await expectedIndex(dir));
  });

  it('a file with a NUL byte fails on its own; the files after it still land', async () => {
    const { dir, run } = setup('nul');
    writeFileSync(join(dir, 'guides/binary.md'), '# Binary\n\nA NUL \0 here.\n');
    const summary = await run();
    expect(summary.documents).toMatchObject({ added: 7, failed: 1 });
    expect(summary.errors).toEqual([{ path: 'guides/binary.md', line: 3, message: expect.stringContaining('NUL byte') }]);
    expect(strip(await indexOf(db, 'nul'))).toEqual(await expectedIndex(dir));
  });

  it('a file nested too deeply to parse fails on its own, named; the files after it still land', async () => {
    const { dir, run } = setup('nested');
    writeFileSync(join(dir, 'guides/nested.md'), `# Nested\n\n${'> '.repeat(5000)}A quote.\n`);
    const summary = await run();
    expect(summary.documents).toMatchObject({ added: 7, failed: 1 });
    expect(summary.errors).toEqual([{ path: 'guides/nested.md', line: 3, message: expect.stringMatching(/^nested 5000 levels deep/) }]);
    expect(strip(await indexOf(db, 'nested'))).toEqual(await expectedIndex(dir));
  });

  it('a file that is not UTF-8 fails with the line of its first bad byte; its previous version stays', async () => {
    const { dir, run } = setup('latin1');
    await run();
    const before = await indexOf(db, 'latin1');
    writeFileSync(join(dir, 'notes.md'), Buffer.concat([Buffer.from('# Notes\n\nLine two, '), Buffer.from('café au lait\n', 'latin1')]));
    const summary = await run();
    expect(summary.documents).toEqual({ added: 0, updated: 0, unchanged: 6, removed: 0, failed: 1 });
    expect(summary.errors).toEqual([{ path: 'notes.md', line: 3, message: expect.stringMatching(/^not valid UTF-8 text .*: save the file as UTF-8$/) }]);
    expect(await indexOf(db, 'latin1')).toEqual(before);
  });

  it('a file that cannot be read fails on its own: the others land and its previous version stays', async () => {
    const { dir, run } = setup('unreadable');
    await run();
    const before = await indexOf(db, 'unreadable');
    edit(dir, 'notes.md', 'Line one.', 'Line one, edited.');
    // Listed, then gone when read (deleted meanwhile, or unreadable): reading it fails.
    const onProgress = (event: IngestProgress) => {
      if (event.phase === 'scan') rmSync(join(dir, 'hono/routing.md'));
    };
    const summary = await run({ onProgress });
    expect(summary.documents).toEqual({ added: 0, updated: 1, unchanged: 5, removed: 0, failed: 1 });
    expect(summary.errors).toEqual([{ path: 'hono/routing.md', line: null, message: expect.stringMatching(/^cannot be read: ENOENT/) }]);
    const after = await indexOf(db, 'unreadable');
    expect(after.filter((r) => r.path === 'hono/routing.md')).toEqual(before.filter((r) => r.path === 'hono/routing.md'));
    expect(after.find((r) => r.path === 'notes.md')!.text).toContain('Line one, edited.');
  });

  it('a file with an unterminated fence is indexed and reported as a warning', async () => {
    const { dir, run } = setup('fence');
    cpSync(join(FIXTURES_DIR, 'broken/unterminated.md'), join(dir, 'unterminated.md'));
    const summary = await run();
    expect(summary.documents.failed).toBe(0);
    expect(summary.warnings).toEqual([{ path: 'unterminated.md', line: 5, message: expect.stringContaining('unterminated code fence') }]);
    const rows = await indexOf(db, 'fence');
    expect(rows.filter((r) => r.path === 'unterminated.md')).toHaveLength(1);
    expect(rows.filter((r) => r.path === 'notes.md')).toHaveLength(1); // the next file is untouched
    const [runRow] = await db.select().from(ingestRuns).where(eq(ingestRuns.source, 'fence'));
    expect(runRow!.errors).toEqual([{ path: 'unterminated.md', line: 5, message: expect.any(String), severity: 'warning' }]);
  });

  it('warns on each of two files at one URL, naming the other and the one the docs site serves, on every run', async () => {
    const { dir, run } = setup('same-url');
    writeFileSync(join(dir, 'notes.mdx'), '# Other notes\n\nText.\n');
    writeFileSync(join(dir, 'hono.md'), '# Hono overview\n\nText.\n');
    const expected = [
      { path: 'hono.md', line: null, message: expect.stringMatching(/^has the same URL as hono\/index\.md \(\/hono\/\): the docs site serves this page there, so links to the other page and its citations open this page\./) },
      { path: 'hono/index.md', line: null, message: expect.stringMatching(/^has the same URL as hono\.md \(\/hono\/\): the docs site serves hono\.md there, never this page, so links to this page and its citations open hono\.md\./) },
      { path: 'notes.md', line: null, message: expect.stringMatching(/^has the same URL as notes\.mdx \(\/notes\/\): the docs site serves this page there/) },
      { path: 'notes.mdx', line: null, message: expect.stringMatching(/^has the same URL as notes\.md \(\/notes\/\): the docs site serves notes\.md there, never this page/) },
    ];
    expect((await run()).warnings).toEqual(expected);
    expect((await run()).warnings).toEqual(expected);
  });

  it('warns on both pages that claim one URL through a frontmatter slug, naming each other, on every run and in dry runs', async () => {
    const { dir, run } = setup('shared-slugs');
    writeFileSync(join(dir, 'guides/jot.md'), '---\ntitle: Jottings\nslug: /notes\n---\n# Jottings\n\nText.\n');
    writeFileSync(join(dir, 'a.md'), '---\nslug: /same\n---\n# A\n\nText.\n');
    writeFileSync(join(dir, 'b.md'), '---\nslug: /same\n---\n# B\n\nText.\n');
    const expected = [
      { path: 'a.md', line: 2, message: expect.stringMatching(/^claims the URL \/same\/ \(slug: \/same\), as b\.md \(slug: \/same\) does: links to \/same\/ open neither page/) },
      { path: 'b.md', line: 2, message: expect.stringMatching(/^claims the URL \/same\/ \(slug: \/same\), as a\.md \(slug: \/same\) does/) },
      { path: 'guides/jot.md', line: 3, message: expect.stringMatching(/^claims the URL \/notes\/ \(slug: \/notes\), as notes\.md \(its file's path\) does: links to \/notes\/ open notes\.md, never this page\./) },
      { path: 'notes.md', line: null, message: expect.stringMatching(/^claims the URL \/notes\/ \(its file's path\), as guides\/jot\.md \(slug: \/notes\) does: links to \/notes\/ open this page, never guides\/jot\.md\./) },
    ];
    expect((await run()).warnings).toEqual(expected);
    const again = await run();
    expect(again.documents).toMatchObject({ added: 0, updated: 0 });
    expect(again.warnings).toEqual(expected);
    expect((await run({ dryRun: true })).warnings).toEqual(expected);

    writeFileSync(join(dir, 'b.md'), '---\nslug: /b\n---\n# B\n\nText.\n');
    expect((await run()).warnings).toEqual(expected.slice(2));
  });

  it('warns about two pages whose URLs differ only in case (one file on macOS and Windows)', async () => {
    const { dir, run } = setup('case-urls');
    writeFileSync(join(dir, 'Notes.md'), '# Other notes\n\nText.\n');
    const { warnings, documents } = await run();
    expect(documents.added).toBeGreaterThan(1);
    expect(warnings).toEqual([
      { path: expect.stringMatching(/^(Notes|notes)\.md$/), line: null, message: expect.stringMatching(/^has a URL that differs from (Notes|notes)\.md's only in case: on macOS and Windows/) },
    ]);
  });

  it('warns about each file with an upper-case .md/.mdx extension: not indexed, and why, on every run (dry runs too)', async () => {
    const { dir, run } = setup('miscased');
    writeFileSync(join(dir, 'README.MD'), '# Read me\n\nText.\n');
    writeFileSync(join(dir, 'guides/Setup.Mdx'), '# Setup\n\nText.\n');
    const expected = [
      { path: 'README.MD', line: null, message: 'not indexed: page files must end in lower-case .md or .mdx (rename it to README.md)' },
      { path: 'guides/Setup.Mdx', line: null, message: 'not indexed: page files must end in lower-case .md or .mdx (rename it to Setup.mdx)' },
    ];
    const first = await run();
    expect(first.warnings).toEqual(expected);
    expect(first.documents).toMatchObject({ added: 7, failed: 0 });
    expect((await indexOf(db, 'miscased')).some((r) => /readme|setup/i.test(r.path))).toBe(false);
    expect((await run()).warnings).toEqual(expected);
    expect((await run({ dryRun: true })).warnings).toEqual(expected);
    const runs = await db.select().from(ingestRuns).where(eq(ingestRuns.source, 'miscased'));
    expect(runs.map((r) => r.errors)).toEqual([0, 1].map(() => expected.map((w) => ({ ...w, severity: 'warning' }))));
  });

  it('a new base URL updates links without re-embedding', async () => {
    const { run, embedder } = setup('relink');
    await run({ baseUrl: '/docs/' });
    const calls = embedder.calls;
    const summary = await run({ baseUrl: '/v2/' });
    expect(summary.documents).toMatchObject({ updated: 7 });
    expect(summary.chunks).toMatchObject({ embedded: 0 });
    expect(embedder.calls).toBe(calls);
    const rows = await indexOf(db, 'relink');
    expect(rows.every((r) => r.url.startsWith('/v2/'))).toBe(true);
  });

  it('stores links to another page\'s file pointed at the page\'s URL; a new base URL re-points them (that page only is re-chunked)', async () => {
    const { dir, run } = setup('page-links');
    writeFileSync(join(dir, 'hono/links.md'), '# Links\n\nSee [the helper](./streaming.md#import), [routing](routing) and [the web](https://example.com/a.md).\n');
    await run({ baseUrl: '/docs/' });
    const linksText = async () => (await indexOf(db, 'page-links')).filter((r) => r.path === 'hono/links.md').map((r) => r.text).join('\n');
    expect(await linksText()).toBe('See [the helper](/docs/hono/streaming/#import), [routing](/docs/hono/routing/) and [the web](https://example.com/a.md).');
    const before = await indexOf(db, 'page-links');

    const summary = await run({ baseUrl: '/v2/' });
    expect(summary.documents).toMatchObject({ updated: 8 });
    expect(await linksText()).toBe('See [the helper](/v2/hono/streaming/#import), [routing](/v2/hono/routing/) and [the web](https://example.com/a.md).');
    const after = await indexOf(db, 'page-links');
    // Every other chunk kept its row.
    const others = (rows: Row[]) => rows.filter((r) => r.path !== 'hono/links.md').map((r) => [r.id, r.text]);
    expect(others(after)).toEqual(others(before));
  });

  it('a page added or removed later re-points the links to it in unchanged pages (only those are updated)', async () => {
    const { dir, run } = setup('link-targets');
    writeFileSync(join(dir, 'hono/links.md'), '# Links\n\nSee [the new guide](./new-guide.md) and [streaming](./streaming.md).\n');
    await run();
    const linksText = async () => (await indexOf(db, 'link-targets')).filter((r) => r.path === 'hono/links.md').map((r) => r.text).join('\n');
    expect(await linksText()).toBe('See [the new guide](./new-guide.md) and [streaming](/hono/streaming/).');

    writeFileSync(join(dir, 'hono/new-guide.md'), '# New guide\n\nFresh words.\n');
    const added = await run();
    expect(added.documents).toEqual({ added: 1, updated: 1, unchanged: 7, removed: 0, failed: 0 });
    expect(await linksText()).toBe('See [the new guide](/hono/new-guide/) and [streaming](/hono/streaming/).');

    // A page no other page links to changes nothing else.
    writeFileSync(join(dir, 'hono/unlinked.md'), '# Unlinked\n\nAlone.\n');
    expect((await run()).documents).toEqual({ added: 1, updated: 0, unchanged: 9, removed: 0, failed: 0 });

    rmSync(join(dir, 'hono/new-guide.md'));
    const removed = await run();
    expect(removed.documents).toEqual({ added: 0, updated: 1, unchanged: 8, removed: 1, failed: 0 });
    expect(await linksText()).toBe('See [the new guide](./new-guide.md) and [streaming](/hono/streaming/).');
  });

  it('stores links written to the URL a Docusaurus slug gives a page pointed at that page', async () => {
    const { dir, run } = setup('slug-links');
    writeFileSync(join(dir, 'guides/started.md'), '---\nslug: /getting-started\n---\n# Getting started\n\nFirst steps.\n');
    writeFileSync(join(dir, 'hono/see-also.md'), '# See also\n\nRead [getting started](/getting-started#first) first.\n');
    expect((await run()).documents.added).toBe(9);
    const text = (await indexOf(db, 'slug-links')).filter((r) => r.path === 'hono/see-also.md').map((r) => r.text);
    expect(text).toEqual(['Read [getting started](/guides/started/#first) first.']);
  });

  it('indexes an MDX partial where a page includes it, and re-indexes that page (only) when the partial changes', async () => {
    const { dir, run } = setup('partials');
    writeFileSync(join(dir, 'guides/_shared-setup.mdx'), '## Shared setup\n\nRun `docent init` once per project.\n');
    writeFileSync(join(dir, 'guides/setup.mdx'), "import SharedSetup from './_shared-setup.mdx';\n\n# Setup\n\nIntro.\n\n<SharedSetup />\n");
    const first = await run();
    expect(first.documents.added).toBe(8); // the partial is no page of its own
    expect(first.warnings).toEqual([]);
    const setupRows = async () => (await indexOf(db, 'partials')).filter((r) => r.path === 'guides/setup.mdx').map((r) => [r.heading, r.anchor, r.text]);
    expect(await setupRows()).toEqual([
      ['Setup', '', 'Intro.'],
      ['Setup > Shared setup', 'shared-setup', 'Run `docent init` once per project.'],
    ]);

    edit(dir, 'guides/_shared-setup.mdx', 'once per project', 'once per machine');
    const edited = await run();
    expect(edited.documents).toEqual({ added: 0, updated: 1, unchanged: 7, removed: 0, failed: 0 });
    expect((await setupRows())[1]![2]).toBe('Run `docent init` once per machine.');

    rmSync(join(dir, 'guides/_shared-setup.mdx'));
    const removed = await run();
    expect(removed.documents).toEqual({ added: 0, updated: 1, unchanged: 7, removed: 0, failed: 0 });
    expect(await setupRows()).toEqual([['Setup', '', 'Intro.']]);
    expect(removed.warnings).toEqual([
      { path: 'guides/setup.mdx', line: 7, message: expect.stringContaining('<SharedSetup /> includes a partial whose text is not indexed: guides/_shared-setup.mdx is not a file') },
    ]);
  });

  it('reads an MkDocs snippet into the page that includes it, and re-indexes that page (only) when the snippet changes', async () => {
    const { dir, run } = setup('snippets');
    mkdirSync(join(dir, '_snippets'));
    writeFileSync(join(dir, '_snippets/steps.md'), 'Run `docent init` once per project.\n');
    writeFileSync(join(dir, 'guides/install.md'), '# Install\n\nIntro.\n\n--8<-- "_snippets/steps.md"\n\n## Next\n\nDone.\n');
    const first = await run();
    expect(first.documents.added).toBe(8); // the snippet's folder holds no page
    expect(first.warnings).toEqual([]);
    const installRows = async () => (await indexOf(db, 'snippets')).filter((r) => r.path === 'guides/install.md').map((r) => [r.heading, r.text]);
    expect(await installRows()).toEqual([
      ['Install', 'Intro.\n\nRun `docent init` once per project.'],
      ['Install > Next', 'Done.'],
    ]);

    edit(dir, '_snippets/steps.md', 'once per project', 'once per machine');
    const edited = await run();
    expect(edited.documents).toEqual({ added: 0, updated: 1, unchanged: 7, removed: 0, failed: 0 });
    expect((await installRows())[0]![1]).toBe('Intro.\n\nRun `docent init` once per machine.');

    rmSync(join(dir, '_snippets/steps.md'));
    const removed = await run();
    expect(removed.documents).toEqual({ added: 0, updated: 1, unchanged: 7, removed: 0, failed: 0 });
    expect(await installRows()).toEqual([['Install', 'Intro.'], ['Install > Next', 'Done.']]);
    expect(removed.warnings).toEqual([{ path: 'guides/install.md', line: 5, message: expect.stringContaining('the snippet "_snippets/steps.md" is not included: no such file') }]);
  });

  it('reads a VitePress include and code import into the page, and re-indexes that page (only) when an included file changes', async () => {
    const { dir, run } = setup('includes');
    mkdirSync(join(dir, 'guides/parts'));
    writeFileSync(join(dir, 'guides/parts/steps.md'), '---\ntitle: Steps\n---\nRun `docent init` once per project.\n');
    writeFileSync(join(dir, 'guides/parts/app.ts'), 'import x from "y";\n// #region init\ninit({ project: "docs" });\n// #endregion init\n');
    writeFileSync(join(dir, 'guides/install.md'), '# Install\n\nIntro.\n\n<!--@include: ./parts/steps.md-->\n\n<<< @/guides/parts/app.ts#init\n');
    const first = await run();
    expect(first.documents.added).toBe(8); // the part is no page of its own (scan.ts), and ingest says so
    expect(first.notPages).toEqual([{ path: 'guides/parts/steps.md', line: null, message: expect.stringContaining('not indexed as a page: a part that guides/install.md includes') }]);
    expect(first.warnings).toEqual([]);
    const installRows = async () => (await indexOf(db, 'includes')).filter((r) => r.path === 'guides/install.md').map((r) => [r.heading, r.text]);
    expect(await installRows()).toEqual([['Install', 'Intro.\n\nRun `docent init` once per project.\n\n```ts\ninit({ project: "docs" });\n```']]);

    edit(dir, 'guides/parts/app.ts', '"docs"', '"site"');
    const edited = await run();
    expect(edited.documents).toEqual({ added: 0, updated: 1, unchanged: 7, removed: 0, failed: 0 });
    expect((await installRows())[0]![1]).toContain('init({ project: "site" });');

    rmSync(join(dir, 'guides/parts/steps.md'));
    const removed = await run();
    expect(removed.documents).toEqual({ added: 0, updated: 1, unchanged: 7, removed: 0, failed: 0 });
    expect(removed.warnings).toEqual([{ path: 'guides/install.md', line: 5, message: expect.stringContaining('the include "./parts/steps.md" is not put in place: no such file') }]);

    // A page that no longer includes a file makes it a page again.
    writeFileSync(join(dir, 'guides/parts/steps.md'), 'Run `docent init` once per project.\n');
    writeFileSync(join(dir, 'guides/install.md'), '# Install\n\nIntro.\n');
    const unincluded = await run();
    expect(unincluded.documents).toEqual({ added: 1, updated: 1, unchanged: 7, removed: 0, failed: 0 });
  });

  it('options.force re-embeds everything', async () => {
    const { run, embedder } = setup('force');
    const first = await run();
    const calls = embedder.calls;
    const summary = await run({ force: true });
    expect(summary.documents).toMatchObject({ updated: 7, unchanged: 0 });
    expect(summary.chunks).toMatchObject({ embedded: first.chunks.total, reused: 0, total: first.chunks.total });
    expect(embedder.calls).toBe(calls + first.chunks.total);
  });

  it('a change of embedding model re-embeds everything, says so, and leaves no vector of the old model', async () => {
    const { run } = setup('model');
    const first = await run();
    const other = createHashingEmbedder('test:model-v2@512');
    const events: IngestProgress[] = [];
    const summary = await run({ onProgress: (e) => events.push(e) }, other);
    expect(summary.embeddingModel).toBe('test:model-v2@512');
    expect(summary.chunks).toMatchObject({ embedded: first.chunks.total, total: first.chunks.total });
    expect(events.find((e) => e.message)?.message).toMatch(/Embedding model changed \(test:model@512 → test:model-v2@512\)/);
    const rows = await indexOf(db, 'model');
    expect(new Set(rows.map((r) => r.embedding_model))).toEqual(new Set(['test:model-v2@512']));
    const results = await search(db, { query: 'basic auth realm', embedder: other, settings: { enabled: true, maxResults: 3, minScore: 0, preferredSources: [], excludedSources: [] } });
    expect(results.length).toBeGreaterThan(0);
  });

  it('a change of embedding model stopped half-way is finished by the next run, which counts the pages already re-embedded as unchanged', async () => {
    const { dir, run } = setup('model-resume');
    await run();
    const paths = await listContentFiles(dir);
    const failedAt = paths.indexOf('hono/streaming.md');
    const other = createHashingEmbedder('test:model-resume-v2@512');
    const stopped = await run({ embedGroupSize: 1 }, failingOn('The Streaming Helper provides', other)).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(IngestRunError);
    expect((stopped as IngestRunError).summary.documents).toMatchObject({ updated: failedAt });

    const unreached = paths.slice(failedAt);
    const unreachedChunks = (await indexOf(db, 'model-resume')).filter((r) => unreached.includes(r.path)).length;
    const events: IngestProgress[] = [];
    const calls = other.calls;
    const resumed = await run({ onProgress: (e) => events.push(e) }, other);
    expect(resumed.documents).toEqual({ added: 0, updated: unreached.length, unchanged: failedAt, removed: 0, failed: 0 });
    expect(resumed.chunks).toMatchObject({ embedded: unreachedChunks, reused: 0 });
    expect(other.calls - calls).toBe(unreachedChunks);
    expect(events.map((e) => e.message)).toContain(
      `Embedding model changed (test:model-resume@512 → test:model-resume-v2@512): re-embedding the ${unreached.length} document(s) of "model-resume" not re-embedded yet.`,
    );
    const rows = await indexOf(db, 'model-resume');
    expect(new Set(rows.map((r) => r.embedding_model))).toEqual(new Set(['test:model-resume-v2@512']));
    expect(strip(rows)).toEqual(await expectedIndex(dir));
  });

  it('says why every page is re-read after an upgrade that changed the pipeline, once', async () => {
    const { run } = setup('upgrade');
    await run();
    // As if the last run had been made by a version that read pages differently.
    await db.update(ingestRuns).set({ options: sql`jsonb_set(${ingestRuns.options}, '{pipelineVersion}', ${String(PIPELINE_VERSION - 1)}::jsonb)` }).where(eq(ingestRuns.source, 'upgrade'));
    const messages = async () => {
      const events: IngestProgress[] = [];
      await run({ onProgress: (e) => events.push(e) });
      return events.flatMap((e) => (e.message ? [e.message] : []));
    };
    expect(await messages()).toEqual([
      `This version of Docent reads pages differently (pipeline ${PIPELINE_VERSION - 1} → ${PIPELINE_VERSION}): re-reading every document of "upgrade"; sections whose text is unchanged keep their embeddings.`,
    ]);
    expect(await messages()).toEqual([]);
  });

  it('options.dryRun reports exactly what the run will do and writes nothing at all', async () => {
    const { dir, run, embedder } = setup('dry');
    await run();
    edit(dir, 'hono/routing.md', 'Routing of Hono is flexible and intuitive.', 'Routing is flexible.');
    rmSync(join(dir, 'notes.md'));
    renameSync(join(dir, 'hono/streaming.md'), join(dir, 'streaming.md'));
    const snapshot = async () =>
      queryRows(
        db,
        sql`select (select count(*)::int from documents) as docs, (select count(*)::int from chunks) as chunks,
                   (select count(*)::int from ingest_runs) as runs, (select max(updated_at)::text from documents) as docs_at,
                   (select max(updated_at)::text from chunks) as chunks_at`,
      );
    const before = await snapshot();
    const calls = embedder.calls;
    const dry = await run({ dryRun: true });
    expect(await snapshot()).toEqual(before);
    expect(embedder.calls).toBe(calls);
    const real = await run();
    expect({ ...dry, durationMs: 0 }).toEqual({ ...real, durationMs: 0 });
    expect(real.documents).toEqual({ added: 1, updated: 1, unchanged: 4, removed: 2, failed: 0 });
  });

  it('options.dryRun with no database (none exists yet) reports what a first run will do', async () => {
    const { dir, run, embedder } = setup('dry-first');
    const dry = await ingestContent(undefined, embedder, { contentDir: dir, source: 'dry-first', dryRun: true });
    expect(embedder.calls).toBe(0);
    const real = await run();
    expect({ ...dry, durationMs: 0 }).toEqual({ ...real, durationMs: 0 });
    await expect(ingestContent(undefined, embedder, { contentDir: dir, source: 'dry-first' })).rejects.toThrow(
      'A database is needed, except for a dry run',
    );
  });

  it('a document the database refuses stops the run with the document named and the database\'s message, not a query dump', async () => {
    const { run } = setup('refused');
    // A database that refuses one document (as it would a row breaking a constraint).
    await db.execute(sql`create function refuse_basic_auth() returns trigger language plpgsql as $$
      begin
        if new.source = 'refused' and new.path = 'hono/middleware/basic-auth.md' then raise exception 'refused by a test trigger'; end if;
        return new;
      end $$`);
    await db.execute(sql`create trigger refuse_basic_auth before insert on documents for each row execute function refuse_basic_auth()`);
    try {
      const error = await run().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IngestRunError);
      expect((error as IngestRunError).message).toBe('Could not store hono/middleware/basic-auth.md: refused by a test trigger');
    } finally {
      await db.execute(sql`drop trigger refuse_basic_auth on documents`);
      await db.execute(sql`drop function refuse_basic_auth()`);
    }
  });

  it('a vector with NaN or Infinity fails its document (the model and section named) before any write: its previous version stays, the others land', async () => {
    const { dir, embedder, run } = setup('nan');
    await run();
    const before = await indexOf(db, 'nan');
    // A broken embedding server: NaN (or Infinity) in the vectors of some inputs.
    const broken: EmbeddingProvider = {
      ...embedder,
      async embedDocuments(texts, options) {
        const vectors = await embedder.embedDocuments(texts, options);
        return vectors.map((v, i) =>
          texts[i]!.includes('Revision two') ? v.map((x, j) => (j === 3 ? (texts[i]!.includes('new page') ? Infinity : Number.NaN) : x)) : v,
        );
      },
    };
    edit(dir, 'hono/middleware/basic-auth.md', '## Recipes', '## Recipes\n\nRevision two of this page.');
    writeFileSync(join(dir, 'guides/new.md'), '# New\n\nRevision two, a new page.\n');
    edit(dir, 'notes.md', 'Line one.', 'Line one, edited.');
    const events: IngestProgress[] = [];
    const summary = await run({ onProgress: (e) => events.push(e) }, broken);
    expect(summary.documents).toEqual({ added: 0, updated: 1, unchanged: 5, removed: 0, failed: 2 });
    // The progress display counts the two as failed, not as written (like files that fail to parse).
    expect(events.filter((e) => e.phase === 'document' || e.phase === 'done')).toEqual([
      { phase: 'document', done: 0, total: 2, failed: 1 },
      { phase: 'document', done: 0, total: 1, failed: 2 },
      { phase: 'document', done: 1, total: 1, failed: 2, path: 'notes.md' },
      { phase: 'done', done: 1, total: 1 },
    ]);
    expect(summary.errors).toEqual([
      {
        path: 'guides/new.md',
        line: null,
        message: 'the embedding model test:nan@512 returned a vector with Infinity at position 3 (of 512) for the section "New"; its previous version, if any, stays indexed',
      },
      {
        path: 'hono/middleware/basic-auth.md',
        line: null,
        message:
          'the embedding model test:nan@512 returned a vector with NaN at position 3 (of 512) for the section "Basic Auth Middleware > Recipes"; its previous version, if any, stays indexed',
      },
    ]);
    const after = await indexOf(db, 'nan');
    expect(after.filter((r) => r.path === 'hono/middleware/basic-auth.md')).toEqual(before.filter((r) => r.path === 'hono/middleware/basic-auth.md'));
    expect(after.some((r) => r.path === 'guides/new.md')).toBe(false);
    expect(after.find((r) => r.path === 'notes.md')!.text).toContain('Line one, edited.');
    const [vectors] = await queryRows<{ bad: number }>(
      db,
      sql`select count(*)::int as bad from chunks where embedding_model = 'test:nan@512' and embedding::text ~* 'nan|inf'`,
    );
    expect(vectors!.bad).toBe(0);
    const runs = await db.select().from(ingestRuns).where(eq(ingestRuns.source, 'nan'));
    expect(runs.map((r) => r.status).sort()).toEqual(['partial', 'succeeded']);

    const fixed = await run();
    expect(fixed.documents).toEqual({ added: 1, updated: 1, unchanged: 6, removed: 0, failed: 0 });
    expect(strip(await indexOf(db, 'nan'))).toEqual(await expectedIndex(dir));
  });

  it('a vector of zeros fails its document like NaN (pgvector would rank it NaN, hiding every result beside it): its previous version stays, the others land', async () => {
    const { dir, embedder, run } = setup('zeros');
    await run();
    const before = await indexOf(db, 'zeros');
    const zeros: EmbeddingProvider = {
      ...embedder,
      async embedDocuments(texts, options) {
        const vectors = await embedder.embedDocuments(texts, options);
        return vectors.map((v, i) => (texts[i]!.includes('Revision two') ? v.map(() => 0) : v));
      },
    };
    edit(dir, 'hono/middleware/basic-auth.md', '## Recipes', '## Recipes\n\nRevision two of this page.');
    edit(dir, 'notes.md', 'Line one.', 'Line one, edited.');
    const summary = await run({}, zeros);
    expect(summary.documents).toEqual({ added: 0, updated: 1, unchanged: 5, removed: 0, failed: 1 });
    expect(summary.errors).toEqual([
      {
        path: 'hono/middleware/basic-auth.md',
        line: null,
        message:
          'the embedding model test:zeros@512 returned a vector of zeros for the section "Basic Auth Middleware > Recipes"; its previous version, if any, stays indexed',
      },
    ]);
    const after = await indexOf(db, 'zeros');
    expect(after.filter((r) => r.path === 'hono/middleware/basic-auth.md')).toEqual(before.filter((r) => r.path === 'hono/middleware/basic-auth.md'));
    expect(after.find((r) => r.path === 'notes.md')!.text).toContain('Line one, edited.');
    const [stored] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from chunks where embedding_model = 'test:zeros@512' and vector_norm(embedding) = 0`,
    );
    expect(stored!.n).toBe(0);
    const settings = { enabled: true, maxResults: 3, minScore: 0, preferredSources: [], excludedSources: [] };
    const found = await search(db, { query: 'basic auth realm', embedder, onlySources: ['zeros'], settings });
    expect(found[0]?.path).toBe('hono/middleware/basic-auth.md');
  });

  it('a vector of the wrong length stops the run, naming the model and the file, before that file is written', async () => {
    const { dir, embedder, run } = setup('short');
    await run();
    const before = await indexOf(db, 'short');
    const short: EmbeddingProvider = {
      ...embedder,
      async embedDocuments(texts, options) {
        const vectors = await embedder.embedDocuments(texts, options);
        return vectors.map((v, i) => (texts[i]!.includes('Revision two') ? v.slice(0, 384) : v));
      },
    };
    edit(dir, 'hono/middleware/basic-auth.md', '## Recipes', '## Recipes\n\nRevision two of this page.');
    const error = await run({}, short).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestRunError);
    expect((error as IngestRunError).message).toBe(
      'The embedding model test:short@512 returned a vector of 384 dimensions instead of 512 for hono/middleware/basic-auth.md; Docent stores 512-dimensional vectors',
    );
    expect(await indexOf(db, 'short')).toEqual(before);
  });

  it('a failing embedder at document N leaves documents before N new and the rest old; the next run finishes the job', async () => {
    const { dir, embedder, run } = setup('crash');
    await run();
    const paths = await listContentFiles(dir);
    // A new version of every file: each gets a paragraph with a marker of its version.
    for (const path of paths) writeFileSync(join(dir, path), `${readFileSync(join(dir, path), 'utf8')}\n\nRevision two of ${path}.\n`);
    const failing = failingOn('Revision two of hono/routing.md', embedder);

    const error = await run({ embedGroupSize: 1 }, failing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestRunError);
    expect((error as IngestRunError).message).toBe('embedding service unavailable');
    const partial = (error as IngestRunError).summary;

    const rows = await indexOf(db, 'crash');
    const failedAt = paths.indexOf('hono/routing.md');
    for (const [i, path] of paths.entries()) {
      const doc = rows.filter((r) => r.path === path);
      const isNew = doc.some((r) => r.text.includes(`Revision two of ${path}.`));
      expect(isNew, path).toBe(i < failedAt);
      // Never a mix: every chunk of the document comes from one version.
      const expected = (await expectedIndex(dir)).filter((e) => e.path === path);
      if (isNew) expect(strip(doc)).toEqual(expected);
      else expect(doc.length).toBeGreaterThan(0);
    }
    expect(partial.documents.updated).toBe(failedAt);
    const [failedRun] = await db.select().from(ingestRuns).where(and(eq(ingestRuns.source, 'crash'), eq(ingestRuns.status, 'failed')));
    expect(failedRun).toMatchObject({ source: 'crash', counts: { documents: partial.documents } });
    expect(failedRun!.errors).toEqual([{ path: '', line: null, message: 'embedding service unavailable' }]);

    const resumed = await run();
    expect(resumed.documents).toEqual({ added: 0, updated: paths.length - failedAt, unchanged: failedAt, removed: 0, failed: 0 });
    expect(strip(await indexOf(db, 'crash'))).toEqual(await expectedIndex(dir));
  });

  it('a --force run that did not finish is finished by the next plain runs, which re-embed only the documents it did not reach', async () => {
    const { dir, embedder, run } = setup('force-resume');
    await run();
    const paths = await listContentFiles(dir);
    const failedAt = paths.indexOf('hono/streaming.md');
    const failing = failingOn('The Streaming Helper provides', embedder);
    const forced = await run({ force: true, embedGroupSize: 1 }, failing).catch((e: unknown) => e);
    expect(forced).toBeInstanceOf(IngestRunError);
    expect((forced as IngestRunError).summary.documents).toMatchObject({ updated: failedAt });

    // A plain run that stops early as well leaves the job to the run after it.
    const stopped = await run({ embedGroupSize: 1 }, failing).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(IngestRunError);
    expect((stopped as IngestRunError).summary.documents).toMatchObject({ updated: 0, unchanged: failedAt });

    const unreached = paths.slice(failedAt);
    const unreachedChunks = (await indexOf(db, 'force-resume')).filter((r) => unreached.includes(r.path)).length;
    const events: IngestProgress[] = [];
    const calls = embedder.calls;
    const resumed = await run({ onProgress: (e) => events.push(e) });
    expect(resumed.documents).toEqual({ added: 0, updated: unreached.length, unchanged: failedAt, removed: 0, failed: 0 });
    expect(resumed.chunks).toMatchObject({ embedded: unreachedChunks, reused: 0 });
    expect(embedder.calls - calls).toBe(unreachedChunks);
    expect(events.map((e) => e.message)).toContain(`The last --force run did not finish: re-embedding the ${unreached.length} document(s) it did not reach.`);
    expect(strip(await indexOf(db, 'force-resume'))).toEqual(await expectedIndex(dir));

    // Finished: the next run has nothing to do.
    expect((await run()).documents).toMatchObject({ updated: 0, unchanged: paths.length });
  });

  it('marks a run whose process died as interrupted: on Postgres once it has not been heard from for long (a recent one is waited for), on the embedded database at once', async () => {
    const { run } = setup('stale');
    const stale = new Date(Date.now() - 60 * 60_000);
    const [row] = await db
      .insert(ingestRuns)
      .values({ source: 'stale', embeddingModel: 'test:stale@512', startedAt: stale, updatedAt: stale })
      .returning();
    await db.execute(sql`update ingest_runs set updated_at = ${stale.toISOString()}::timestamptz where id = ${row!.id}`);
    const [fresh] = await db.insert(ingestRuns).values({ source: 'stale', embeddingModel: 'test:stale@512' }).returning();
    const waits: string[] = [];
    const running = run({ onProgress: (event) => event.message && waits.push(event.message) });
    if (kind === 'postgres') {
      // Recent: on Postgres maybe another live process, which the run waits for until it is over.
      await vi.waitFor(() => expect(waits[0]).toMatch(/^Another ingest of source "stale" is running/));
      const [waiting] = await db.select().from(ingestRuns).where(eq(ingestRuns.id, fresh!.id));
      expect(waiting!.status).toBe('running');
      await db.update(ingestRuns).set({ status: 'succeeded', finishedAt: new Date() }).where(eq(ingestRuns.id, fresh!.id));
    }
    await running;
    const runs = await db.select().from(ingestRuns).where(eq(ingestRuns.source, 'stale'));
    expect(runs.find((r) => r.id === row!.id)).toMatchObject({
      status: 'failed',
      errors: [{ path: '', line: null, message: 'interrupted (the process stopped before the run finished)' }],
    });
    // The embedded database has only this process: its run left `running` was interrupted.
    expect(runs.find((r) => r.id === fresh!.id)!.status).toBe(kind === 'pglite' ? 'failed' : 'succeeded');
    if (kind === 'pglite') expect(waits).toEqual([]);
  });

  it('refuses a second run of the same source while one is running', async () => {
    const { run } = setup('busy');
    const first = run();
    await expect(run()).rejects.toBeInstanceOf(IngestBusyError);
    await first;
  });

  it('rejects a missing content folder before touching the database', async () => {
    const before = await db.select().from(ingestRuns);
    await expect(ingestContent(db, createHashingEmbedder(), { contentDir: join(FIXTURES_DIR, 'nope') })).rejects.toThrow(
      /^Content folder not found: .*nope$/,
    );
    expect(await db.select().from(ingestRuns)).toHaveLength(before.length);
    // The failed call does not leave its source marked busy.
    await expect(ingestContent(db, createHashingEmbedder(), { contentDir: join(FIXTURES_DIR, 'nope') })).rejects.toThrow(/not found/);
  });
});
