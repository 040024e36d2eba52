import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ingestContent } from '../ingest/index';
import type { IngestOptions, IngestSummary } from '../ingest/types';
import { type Database, queryRows } from '../server/db/open';
import type { EmbeddingProvider } from '../server/embed/provider';
import { copyFixture, FIXTURES_DIR, removeTempDirs } from './helpers/content';
import { createTestDatabase, DRIVER_KINDS, type TestDatabase } from './helpers/database';
import { createHashingEmbedder, failingOn } from './helpers/embedder';

/** What happened, in order: `parse <path>` as ingest parses a page, `write <path>` as it writes one. */
const log = vi.hoisted(() => [] as string[]);
vi.mock('../ingest/parse', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../ingest/parse')>();
  return {
    ...actual,
    parseDocument: (...args: Parameters<typeof actual.parseDocument>) => {
      log.push(`parse ${args[1]}`);
      return actual.parseDocument(...args);
    },
  };
});

afterAll(() => removeTempDirs());

/** The docs fixture, with a copy of one page (its sections are embedded once) and a page that fails to parse. */
function site(): string {
  const dir = copyFixture('docs');
  cpSync(join(dir, 'hono/streaming.md'), join(dir, 'guides/streaming-copy.md'));
  cpSync(join(FIXTURES_DIR, 'broken/bad-frontmatter.md'), join(dir, 'guides/bad.md'));
  return dir;
}

/** Every stored chunk of `source`, with its document and vector: what search and answers read. */
async function rowsOf(db: Database, source: string) {
  return queryRows(
    db,
    sql`select d.path, d.url, d.title, d.content_hash, d.page_links, c.ordinal, c.heading, c.anchor, c.text,
               c.content_hash as chunk_hash, c.embedding::text as embedding
        from chunks c join documents d on d.id = c.document_id
        where d.source = ${source} order by d.path, c.ordinal`,
  );
}

const counts = ({ documents, chunks, errors, warnings }: IngestSummary) => ({ documents, chunks, errors, warnings });

describe.each(DRIVER_KINDS)('ingest read in batches, through %s', (kind) => {
  let database: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    db = database.db;
  });
  afterAll(async () => database?.close());

  it('a page at a time gives the same index and the same summaries as one batch, first run, edits and dry runs alike', async () => {
    const dir = site();
    // Two sources of one folder, so each run compares with itself; models of their own, so neither reuses the other's vectors.
    const whole = (options: Partial<IngestOptions> = {}) =>
      ingestContent(db, createHashingEmbedder('test:whole@512'), { contentDir: dir, source: 'whole', ...options });
    const paged = (options: Partial<IngestOptions> = {}) =>
      ingestContent(db, createHashingEmbedder('test:paged@512'), { contentDir: dir, source: 'paged', readBatchBytes: 1, ...options });
    const same = async (options: Partial<IngestOptions> = {}) => {
      const a = await whole(options);
      const b = await paged(options);
      expect(counts(b)).toEqual(counts(a));
      expect(await rowsOf(db, 'paged')).toEqual(await rowsOf(db, 'whole'));
      return a;
    };

    expect(counts(await whole({ dryRun: true }))).toEqual(counts(await paged({ dryRun: true })));
    const first = await same();
    expect(first.documents).toMatchObject({ added: 8, failed: 1 });
    // The copy's sections were embedded once, in another batch than the page they copy.
    expect(first.chunks.reused).toBeGreaterThan(0);
    expect(first.chunks.embedded + first.chunks.reused).toBe(first.chunks.total);

    writeFileSync(join(dir, 'notes.md'), `${readFileSync(join(dir, 'notes.md'), 'utf8')}\n\n## Added later\n\nA new section.\n`);
    rmSync(join(dir, 'hono/routing.md'));
    writeFileSync(join(dir, 'guides/new.md'), '# New\n\nA page of its own. See [streaming](../hono/streaming.md).\n');
    expect(counts(await whole({ dryRun: true }))).toEqual(counts(await paged({ dryRun: true })));
    const edited = await same();
    expect(edited.documents).toMatchObject({ added: 1, updated: 1, removed: 1, failed: 1 });
    expect((await same()).documents).toMatchObject({ added: 0, updated: 0, removed: 0 });
    expect((await same({ force: true })).chunks.embedded).toBeGreaterThan(0);
  });

  it('an unfinished --force run, resumed a page at a time, re-embeds what one batch would and gives the same rows', async () => {
    const dir = site();
    // A second copy after the page it copies: both are past the point where the forced run stops.
    cpSync(join(dir, 'hono/streaming.md'), join(dir, 'zz-streaming-copy.md'));
    const resumed = async (source: string, readBatchBytes?: number) => {
      const embedder = createHashingEmbedder(`test:${source}@512`);
      const run = (options: Partial<IngestOptions> = {}, using: EmbeddingProvider = embedder) =>
        ingestContent(db, using, { contentDir: dir, source, embedGroupSize: 1, ...(readBatchBytes ? { readBatchBytes } : {}), ...options });
      await run();
      // The forced run stops at the first page after `guides/`.
      await expect(run({ force: true }, failingOn('The Streaming Helper provides', embedder))).rejects.toThrow();
      return run();
    };
    const whole = await resumed('resume-whole');
    const paged = await resumed('resume-paged', 1);
    expect(counts(paged)).toEqual(counts(whole));
    // The copies' sections are embedded once, not once per batch.
    expect(paged.chunks.reused).toBeGreaterThan(0);
    expect(await rowsOf(db, 'resume-paged')).toEqual(await rowsOf(db, 'resume-whole'));
  });

  it('writes the pages of a batch before it reads the next batch', async () => {
    const dir = site();
    log.length = 0;
    await ingestContent(db, createHashingEmbedder('test:order@512'), {
      contentDir: dir,
      source: 'order',
      readBatchBytes: 1,
      onProgress: (event) => {
        if (event.phase === 'document' && event.path) log.push(`write ${event.path}`);
      },
    });
    const parsedPages = log.filter((entry) => entry.startsWith('parse '));
    expect(parsedPages).toHaveLength(9);
    // A page at a time: each page is written right after it is read (the broken one never is).
    const expected = parsedPages.flatMap((entry) => (entry === 'parse guides/bad.md' ? [entry] : [entry, entry.replace('parse ', 'write ')]));
    expect(log).toEqual(expected);
  });
});
