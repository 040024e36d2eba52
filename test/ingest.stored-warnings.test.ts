import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSummary, ingestContent, summaryLine } from '../ingest/index';
import type { IngestOptions, IngestProgress } from '../ingest/types';
import { type Database, queryRows } from '../server/db/open';
import { ingestRuns } from '../server/db/schema';
import { copyFixture, FIXTURES_DIR, removeTempDirs } from './helpers/content';
import { createTestDatabase, DRIVER_KINDS, type TestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';

afterAll(() => removeTempDirs());

const fenceWarning = { path: 'unterminated.md', line: 5, message: expect.stringContaining('unterminated code fence') };

describe.each(DRIVER_KINDS)('ingest warnings kept with their pages, through %s', (kind) => {
  let database: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    db = database.db;
  });
  afterAll(async () => database?.close());

  const setup = (name: string) => {
    const dir = copyFixture('docs');
    const embedder = createHashingEmbedder(`test:${name}@512`);
    const read: IngestProgress[] = [];
    const run = (options: Partial<IngestOptions> = {}) =>
      ingestContent(db, embedder, { contentDir: dir, source: name, onProgress: (e) => e.phase === 'read' && read.push(e), ...options });
    return { dir, embedder, run, read };
  };

  const storedWarnings = async (source: string) =>
    queryRows<{ path: string; warnings: unknown }>(db, sql`select path, warnings from documents where source = ${source} order by path`);

  it('reports a page\'s warnings on every run, unchanged or not, dry runs too, until the page is fixed', async () => {
    const { dir, embedder, run } = setup('every-run');
    cpSync(join(FIXTURES_DIR, 'broken/unterminated.md'), join(dir, 'unterminated.md'));
    expect((await run()).warnings).toEqual([fenceWarning]);
    const calls = embedder.calls;

    const again = await run();
    expect(again.documents).toMatchObject({ added: 0, updated: 0, unchanged: 8 });
    expect(again.warnings).toEqual([fenceWarning]);
    expect((await run({ dryRun: true })).warnings).toEqual([fenceWarning]);
    expect(embedder.calls).toBe(calls);
    const runs = await db.select().from(ingestRuns).where(eq(ingestRuns.source, 'every-run'));
    expect(runs.map((r) => r.errors)).toEqual([0, 1].map(() => [{ ...fenceWarning, severity: 'warning' }]));

    writeFileSync(join(dir, 'unterminated.md'), '# Unterminated fence\n\n```js\nconst a = 1\n```\n');
    const fixed = await run();
    expect(fixed.documents).toMatchObject({ updated: 1, unchanged: 7 });
    expect(fixed.warnings).toEqual([]);
    expect((await run()).warnings).toEqual([]);
  });

  it('reports the stored warnings of a page whose only change is its URL (a new base URL)', async () => {
    const { dir, run } = setup('relinked');
    cpSync(join(FIXTURES_DIR, 'broken/unterminated.md'), join(dir, 'unterminated.md'));
    await run();
    const moved = await run({ baseUrl: '/docs/' });
    expect(moved.documents).toMatchObject({ updated: 8, unchanged: 0 });
    expect(moved.warnings).toEqual([fenceWarning]);
    expect((await run({ baseUrl: '/docs/' })).warnings).toEqual([fenceWarning]);
  });

  it('lists page warnings by path, after the run\'s own (files not indexed, shared URLs), in the same order on every run', async () => {
    const { dir, run } = setup('order');
    cpSync(join(FIXTURES_DIR, 'broken/unterminated.md'), join(dir, 'unterminated.md'));
    cpSync(join(FIXTURES_DIR, 'broken/unterminated.md'), join(dir, 'guides/also-unterminated.md'));
    writeFileSync(join(dir, 'README.MD'), '# Read me\n\nText.\n');
    const first = await run();
    expect(first.warnings.map((w) => w.path)).toEqual(['README.MD', 'guides/also-unterminated.md', 'unterminated.md']);
    // One page changes: it is read again, the other is not; the order stays.
    writeFileSync(join(dir, 'unterminated.md'), '# Unterminated\n\n```js\nconst b = 2\n');
    const second = await run();
    expect(second.documents).toMatchObject({ updated: 1 });
    expect(second.warnings.map((w) => w.path)).toEqual(['README.MD', 'guides/also-unterminated.md', 'unterminated.md']);
    expect(second.warnings[2]).toEqual({ path: 'unterminated.md', line: 3, message: expect.stringContaining('unterminated code fence') });
  });

  it('reads a page stored before its warnings were kept once, without embedding, and keeps them from then on', async () => {
    const { dir, embedder, run, read } = setup('upgraded');
    cpSync(join(FIXTURES_DIR, 'broken/unterminated.md'), join(dir, 'unterminated.md'));
    await run();
    // As a database migrated from a version that did not keep them leaves every document.
    await db.execute(sql`update documents set warnings = null where source = 'upgraded'`);
    const chunksBefore = await queryRows<{ id: string }>(db, sql`select c.id from chunks c join documents d on d.id = c.document_id where d.source = 'upgraded' order by c.id`);
    const calls = embedder.calls;

    read.length = 0;
    const upgraded = await run();
    expect(upgraded.documents).toEqual({ added: 0, updated: 0, unchanged: 8, removed: 0, failed: 0 });
    expect(upgraded.chunks).toMatchObject({ embedded: 0, reused: 0, removed: 0 });
    expect(upgraded.warnings).toEqual([fenceWarning]);
    expect(embedder.calls).toBe(calls);
    expect(read.at(-1)).toMatchObject({ done: 8, total: 8 });
    expect(await queryRows<{ id: string }>(db, sql`select c.id from chunks c join documents d on d.id = c.document_id where d.source = 'upgraded' order by c.id`)).toEqual(chunksBefore);
    const stored = await storedWarnings('upgraded');
    expect(stored.find((d) => d.path === 'unterminated.md')!.warnings).toEqual([{ path: 'unterminated.md', line: 5, message: expect.any(String) }]);
    expect(stored.filter((d) => d.path !== 'unterminated.md').every((d) => Array.isArray(d.warnings) && d.warnings.length === 0)).toBe(true);

    // Read once: the next run reads nothing and still warns.
    read.length = 0;
    const next = await run();
    expect(next.warnings).toEqual([fenceWarning]);
    expect(read.every((e) => e.total === 0)).toBe(true);
  });

  it('reads for its warnings a page stored before they were kept whose URL changes, and keeps them', async () => {
    const { dir, run, read } = setup('upgraded-relinked');
    cpSync(join(FIXTURES_DIR, 'broken/unterminated.md'), join(dir, 'unterminated.md'));
    await run();
    await db.execute(sql`update documents set warnings = null where source = 'upgraded-relinked'`);
    const moved = await run({ baseUrl: '/docs/' });
    expect(moved.documents).toMatchObject({ updated: 8, failed: 0 });
    expect(moved.warnings).toEqual([fenceWarning]);
    expect((await storedWarnings('upgraded-relinked')).every((d) => Array.isArray(d.warnings))).toBe(true);
    read.length = 0;
    expect((await run({ baseUrl: '/docs/' })).warnings).toEqual([fenceWarning]);
    expect(read.every((e) => e.total === 0)).toBe(true);
  });

  it('a dry run reads a page with unknown warnings to report them, and stores nothing', async () => {
    const { dir, run } = setup('upgraded-dry');
    cpSync(join(FIXTURES_DIR, 'broken/unterminated.md'), join(dir, 'unterminated.md'));
    await run();
    await db.execute(sql`update documents set warnings = null where source = 'upgraded-dry'`);
    const dry = await run({ dryRun: true });
    expect(dry.documents).toEqual({ added: 0, updated: 0, unchanged: 8, removed: 0, failed: 0 });
    expect(dry.warnings).toEqual([fenceWarning]);
    expect((await storedWarnings('upgraded-dry')).every((d) => d.warnings === null)).toBe(true);
  });

  it('warns of a page with nothing to index (an empty file, only frontmatter or headings) on every run, and not once it has text', async () => {
    const { dir, run } = setup('empty-pages');
    writeFileSync(join(dir, 'empty.md'), '');
    writeFileSync(join(dir, 'frontmatter-only.md'), '---\ntitle: Coming soon\n---\n');
    writeFileSync(join(dir, 'headings-only.mdx'), '# Heading\n\n## Another\n');
    // A folder's page with frontmatter only is how Hugo and others title a section: no warning.
    mkdirSync(join(dir, 'section'));
    writeFileSync(join(dir, 'section/_index.md'), '---\ntitle: Section\n---\n');
    writeFileSync(join(dir, 'section/page.md'), '# Page\n\nText.\n');
    const nothing = (path: string) => ({ path, line: null, message: expect.stringMatching(/^nothing to index: /) });
    const expected = [nothing('empty.md'), nothing('frontmatter-only.md'), nothing('headings-only.mdx')];
    const first = await run();
    expect(first.documents).toMatchObject({ added: 12, failed: 0 });
    expect(first.warnings).toEqual(expected);
    expect((await run()).warnings).toEqual(expected);

    writeFileSync(join(dir, 'frontmatter-only.md'), '---\ntitle: Coming soon\n---\nNow it says something.\n');
    expect((await run()).warnings).toEqual([nothing('empty.md'), nothing('headings-only.mdx')]);
  });

  it('does not warn of an MDX page that shows components but has no text of its own (a landing page of cards), with frontmatter or without', async () => {
    const { dir, run } = setup('component-pages');
    mkdirSync(join(dir, 'start'));
    writeFileSync(join(dir, 'start/index.mdx'), '<CardGrid>\n  <LinkCard href="/install" />\n  <LinkCard href="/configure" />\n</CardGrid>\n');
    writeFileSync(join(dir, 'category.mdx'), "---\ntitle: Guides\n---\nimport DocCardList from '@theme/DocCardList';\n\n<DocCardList />\n");
    writeFileSync(join(dir, 'splash.mdx'), '<Hero />\n');
    // HTML tags are no components: a page of empty tags has nothing to show.
    writeFileSync(join(dir, 'tags-only.mdx'), '# Tags only\n\n<div>\n</div>\n');
    const expected = [{ path: 'tags-only.mdx', line: null, message: expect.stringMatching(/^nothing to index: /) }];
    const first = await run();
    expect(first.documents).toMatchObject({ added: 11, failed: 0 });
    expect(first.warnings).toEqual(expected);
    expect((await run()).warnings).toEqual(expected);
  });

  it('reads once, without embedding, a page stored with a "nothing to index" warning of an earlier version that shows components, and drops the warning', async () => {
    const { dir, embedder, run, read } = setup('component-page-upgraded');
    writeFileSync(join(dir, 'cards.mdx'), '<CardGrid>\n  <LinkCard href="/install" />\n</CardGrid>\n');
    writeFileSync(join(dir, 'empty.md'), '');
    await run();
    // As the version before components counted left them, word for word.
    const earlier = (path: string) => ({
      path,
      line: null,
      message:
        'nothing to index: the page has no text (only frontmatter or headings, or none at all), so no question can find it. ' +
        'Write its text, or delete it if it is not meant to be a page.',
    });
    for (const path of ['cards.mdx', 'empty.md']) {
      await db.execute(sql`update documents set warnings = ${JSON.stringify([earlier(path)])}::jsonb where source = 'component-page-upgraded' and path = ${path}`);
    }
    const calls = embedder.calls;
    read.length = 0;
    const upgraded = await run();
    expect(upgraded.documents).toEqual({ added: 0, updated: 0, unchanged: 9, removed: 0, failed: 0 });
    expect(upgraded.warnings).toEqual([{ path: 'empty.md', line: null, message: expect.stringMatching(/^nothing to index: the page has no text and shows no components/) }]);
    expect(embedder.calls).toBe(calls);
    expect(read.at(-1)).toMatchObject({ done: 2, total: 2 });
    const stored = await storedWarnings('component-page-upgraded');
    expect(stored.find((d) => d.path === 'cards.mdx')!.warnings).toEqual([]);

    // Read once: the next run reads nothing and says the same.
    read.length = 0;
    expect((await run()).warnings).toEqual(upgraded.warnings);
    expect(read.every((e) => e.total === 0)).toBe(true);
  });

  it('says in the summary how many files have warnings', async () => {
    const { dir, run } = setup('summary');
    cpSync(join(FIXTURES_DIR, 'broken/unterminated.md'), join(dir, 'unterminated.md'));
    // Two warnings in one file: an unknown YAML tag and an unterminated fence.
    writeFileSync(join(dir, 'twice.md'), '---\nbucket: !Ref Bucket\n---\n# Twice\n\n```sh\nnpm i\n');
    await run();
    const summary = await run();
    expect(summary.warnings).toHaveLength(3);
    const text = formatSummary(summary);
    expect(text).toMatch(/^unterminated\.md:5: warning: unterminated code fence/m);
    expect(text).toMatch(/^twice\.md:2: warning: /m);
    expect(text).toMatch(/^twice\.md:6: warning: unterminated code fence/m);
    expect(text).toMatch(/^ {2}warnings: {2}2 files \(listed above\)$/m);
    expect(summaryLine(summary)).toMatch(/, 2 files with warnings ·/);
    writeFileSync(join(dir, 'twice.md'), 'Text.\n');
    writeFileSync(join(dir, 'unterminated.md'), 'Text.\n');
    const clean = await run();
    expect(formatSummary(clean)).not.toMatch(/warnings/);
    expect(summaryLine(clean)).not.toMatch(/warnings/);
  });
});
