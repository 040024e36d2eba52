/**
 * A page whose reading fails with an error that is no `ParseError` (a `RangeError` from code that
 * did not expect a generated page of 200,000 lines, a bug) fails on its own: the run names it, keeps
 * its earlier version, and ingests the other pages; so does one whose includes cannot be scanned
 * before it is parsed. An error of the embedder still stops the run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ingestContent } from '../ingest/index';
import { type Database, queryRows } from '../server/db/open';
import { removeTempDirs, tempDir } from './helpers/content';
import { createTestDatabase, DRIVER_KINDS, type TestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';

/** Text that makes chunking fail as code that overflows the stack on one page does. */
const FAILS_TO_CHUNK = 'this page breaks the chunker';
/** Text that makes the scan for a page's includes fail, before the page is parsed (its hash is made). */
const FAILS_TO_SCAN = 'this page breaks the include scan';

vi.mock('../ingest/vitepress-includes', async (importOriginal) => {
  const original = await importOriginal<typeof import('../ingest/vitepress-includes')>();
  return {
    ...original,
    includedFiles: (...args: Parameters<typeof original.includedFiles>) => {
      if (args[0].includes(FAILS_TO_SCAN)) throw new RangeError('Invalid string length');
      return original.includedFiles(...args);
    },
  };
});

vi.mock('../ingest/chunk', async (importOriginal) => {
  const original = await importOriginal<typeof import('../ingest/chunk')>();
  return {
    ...original,
    chunkSections: (...args: Parameters<typeof original.chunkSections>) => {
      if (args[0].some((section) => section.blocks.some((block) => block.text.includes(FAILS_TO_CHUNK)))) {
        throw new RangeError('Maximum call stack size exceeded');
      }
      return original.chunkSections(...args);
    },
  };
});

afterAll(() => removeTempDirs());

describe.each(DRIVER_KINDS)('ingestContent() with a page whose reading fails unexpectedly, through %s', (kind) => {
  let database: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    db = database.db;
  });
  afterAll(async () => database?.close());

  const texts = async (source: string) =>
    (await queryRows<{ path: string; text: string }>(db, sql`select d.path, c.text from documents d join chunks c on c.document_id = d.id where d.source = ${source} order by d.path, c.ordinal`)).map(
      (r) => `${r.path}: ${r.text}`,
    );

  it('names that page as failed, keeps its earlier version, and ingests the others', async () => {
    const dir = tempDir('docent-page-failure-');
    writeFileSync(join(dir, 'generated.md'), '# Generated\n\nA first version.\n');
    writeFileSync(join(dir, 'guide.md'), '# Guide\n\nRead this.\n');
    const run = () => ingestContent(db, createHashingEmbedder('test:page-failure@512'), { contentDir: dir, source: 'page-failure' });
    expect((await run()).documents).toMatchObject({ added: 2, failed: 0 });

    writeFileSync(join(dir, 'generated.md'), `# Generated\n\nNow ${FAILS_TO_CHUNK}.\n`);
    writeFileSync(join(dir, 'guide.md'), '# Guide\n\nRead this first.\n');
    writeFileSync(join(dir, 'new.md'), '# New\n\nA new page.\n');
    const summary = await run();
    expect(summary.documents).toMatchObject({ added: 1, updated: 1, failed: 1, removed: 0 });
    expect(summary.errors).toEqual([
      {
        path: 'generated.md',
        line: null,
        message:
          'not indexed: reading it failed unexpectedly (RangeError: Maximum call stack size exceeded); its earlier version, if any, stays indexed. ' +
          'This is a bug in Docent or a page far larger than docs pages are: please report it, with the file if you can',
      },
    ]);
    expect(await texts('page-failure')).toEqual(['generated.md: A first version.', 'guide.md: Read this first.', 'new.md: A new page.']);
  });

  it('names a page whose includes cannot be scanned as failed, keeps its earlier version, and ingests the others', async () => {
    const dir = tempDir('docent-scan-failure-');
    writeFileSync(join(dir, 'generated.md'), '# Generated\n\nA first version.\n');
    writeFileSync(join(dir, 'guide.md'), '# Guide\n\nRead this.\n');
    const run = () => ingestContent(db, createHashingEmbedder('test:scan-failure@512'), { contentDir: dir, source: 'scan-failure' });
    expect((await run()).documents).toMatchObject({ added: 2, failed: 0 });

    writeFileSync(join(dir, 'generated.md'), `# Generated\n\nNow ${FAILS_TO_SCAN}.\n`);
    writeFileSync(join(dir, 'guide.md'), '# Guide\n\nRead this first.\n');
    writeFileSync(join(dir, 'new.md'), '# New\n\nA new page.\n');
    const summary = await run();
    expect(summary.documents).toMatchObject({ added: 1, updated: 1, failed: 1, removed: 0 });
    expect(summary.errors).toEqual([
      {
        path: 'generated.md',
        line: null,
        message:
          'not indexed: reading it failed unexpectedly (RangeError: Invalid string length); its earlier version, if any, stays indexed. ' +
          'This is a bug in Docent or a page far larger than docs pages are: please report it, with the file if you can',
      },
    ]);
    expect(await texts('scan-failure')).toEqual(['generated.md: A first version.', 'guide.md: Read this first.', 'new.md: A new page.']);
  });

  it('still stops the run on an error of the embedder', async () => {
    const dir = tempDir('docent-embedder-failure-');
    writeFileSync(join(dir, 'guide.md'), '# Guide\n\nRead this.\n');
    const embedder = {
      ...createHashingEmbedder('test:embedder-failure@512'),
      countTokens: () => {
        throw new Error('tokenizer not loaded');
      },
    };
    await expect(ingestContent(db, embedder, { contentDir: dir, source: 'embedder-failure' })).rejects.toThrow('tokenizer not loaded');
    expect(await texts('embedder-failure')).toEqual([]);
  });
});
