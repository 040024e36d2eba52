/**
 * `IngestOptions.maxPageBytes`: a page file larger than it is not read (a 50 MB generated file would
 * take minutes and gigabytes to parse): the run names it as failed, its earlier version stays
 * indexed, and every other page is ingested.
 */
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ingestContent } from '../ingest/index';
import { DEFAULT_MAX_PAGE_BYTES, scanContentFolder } from '../ingest/scan';
import { type Database, queryRows } from '../server/db/open';
import { removeTempDirs, tempDir } from './helpers/content';
import { createTestDatabase, DRIVER_KINDS, type TestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';

// Which files are read whole (the scan's drafts and includes, then the pages).
vi.mock('node:fs/promises', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:fs/promises')>();
  return { ...original, readFile: vi.fn(original.readFile) };
});

afterAll(() => removeTempDirs());

describe('scanContentFolder() options.maxPageBytes', () => {
  it('does not read a larger page whole (for drafts and includes), but still finds a draft by its frontmatter', async () => {
    const dir = tempDir('docent-scan-sizes-');
    const body = `${'word '.repeat(600_000)}\n<!--@include: ./part.md-->\n`;
    writeFileSync(join(dir, 'generated.md'), `# Generated\n\n${body}`);
    writeFileSync(join(dir, 'draft.md'), `---\ndraft: true\n---\n\n${body}`);
    writeFileSync(join(dir, 'part.md'), 'A part.\n');
    writeFileSync(join(dir, 'guide.md'), '# Guide\n');
    vi.mocked(readFile).mockClear();
    const { pages, notPages } = await scanContentFolder(dir, { maxPageBytes: 2_500_000 });
    const readWhole = vi.mocked(readFile).mock.calls.map(([file]) => String(file).slice(dir.length + 1)).filter((f) => f.endsWith('.md')).sort();
    expect(readWhole).toEqual(['guide.md', 'part.md']);
    // Not read, it includes nothing: part.md is a page of its own (generated.md is not indexed).
    expect(pages).toEqual(['generated.md', 'guide.md', 'part.md']);
    expect(notPages.map((f) => f.path)).toEqual(['draft.md']);
  });
});

describe.each(DRIVER_KINDS)('ingestContent() options.maxPageBytes through %s', (kind) => {
  let database: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    db = database.db;
  });
  afterAll(async () => database?.close());

  const texts = async () =>
    (await queryRows<{ path: string; text: string }>(db, sql`select d.path, c.text from documents d join chunks c on c.document_id = d.id where d.source = 'sizes' order by d.path, c.ordinal`)).map(
      (r) => `${r.path}: ${r.text}`,
    );

  it('names a larger page as failed without reading it, keeps its earlier version, and ingests the others', async () => {
    const dir = tempDir('docent-sizes-');
    writeFileSync(join(dir, 'generated.md'), '# Generated\n\nA small first version.\n');
    writeFileSync(join(dir, 'guide.md'), '# Guide\n\nRead this.\n');
    const run = () => ingestContent(db, createHashingEmbedder('test:sizes@512'), { contentDir: dir, source: 'sizes', maxPageBytes: 2_500_000 });
    expect((await run()).documents).toMatchObject({ added: 2, failed: 0 });

    // Regenerated as 3 MB in one paragraph, and the guide edited.
    writeFileSync(join(dir, 'generated.md'), `# Generated\n\n${'word '.repeat(600_000)}\n`);
    writeFileSync(join(dir, 'guide.md'), '# Guide\n\nRead this first.\n');
    const summary = await run();
    expect(summary.documents).toMatchObject({ added: 0, updated: 1, failed: 1, removed: 0 });
    expect(summary.errors).toEqual([
      {
        path: 'generated.md',
        line: null,
        message:
          'not indexed: the file is 3.0 MB, more than the 2.5 MB a page may have (a generated or misnamed file?); its earlier version, if any, stays indexed. ' +
          'Split it into smaller pages, or raise INGEST_MAX_PAGE_BYTES (now 2500000)',
      },
    ]);
    expect(await texts()).toEqual(['generated.md: A small first version.', 'guide.md: Read this first.']);
  });

  it('reads pages up to 2 MB by default', () => {
    expect(DEFAULT_MAX_PAGE_BYTES).toBe(2_000_000);
  });
});
