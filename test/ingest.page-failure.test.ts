/**
 * A page whose reading fails with an error that is no `ParseError` (a `RangeError` from code that
 * did not expect a generated page of 200,000 lines, a bug) fails on its own: the run names it, keeps
 * its earlier version, and ingests the other pages; so does one whose includes cannot be scanned
 * before it is parsed, and one that a scan of all pages at once (slugs, labels, shared slugs,
 * drafts) fails on. An error of the embedder still stops the run.
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

/** Text that makes each scan of all pages at once fail on the page that holds it. */
const FAILS_SLUGS = 'this page breaks the slug scan';
const FAILS_LABELS = 'this page breaks the label scan';
const FAILS_SHARED_SLUGS = 'this page breaks the shared slug scan';
const FAILS_DRAFTS = 'this page breaks the draft scan';

/** `scan`, throwing `error()` when one of the pages it reads holds `marker()` (read when called: `vi.mock` runs first). */
function failingOn<T>(marker: () => string, error: () => Error, scan: (sources: Iterable<readonly [string, string]>, ...rest: never[]) => T) {
  return (sources: Iterable<readonly [string, string]>, ...rest: never[]): T => {
    for (const [, source] of sources) if (source.includes(marker())) throw error();
    return scan(sources, ...rest);
  };
}

vi.mock('../ingest/page-links', async (importOriginal) => {
  const original = await importOriginal<typeof import('../ingest/page-links')>();
  return { ...original, docusaurusPaths: failingOn(() => FAILS_SLUGS, () => new RangeError('Maximum call stack size exceeded'), original.docusaurusPaths) };
});

vi.mock('../ingest/myst-labels', async (importOriginal) => {
  const original = await importOriginal<typeof import('../ingest/myst-labels')>();
  return { ...original, mystLabels: failingOn(() => FAILS_LABELS, () => new RangeError('Invalid array length'), original.mystLabels) };
});

vi.mock('../ingest/shared-slugs', async (importOriginal) => {
  const original = await importOriginal<typeof import('../ingest/shared-slugs')>();
  return { ...original, sharedSlugWarnings: failingOn(() => FAILS_SHARED_SLUGS, () => new TypeError('Cannot read properties of undefined'), original.sharedSlugWarnings as never) };
});

vi.mock('../ingest/drafts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../ingest/drafts')>();
  return {
    ...original,
    isDraft: (source: string) => {
      if (source.includes(FAILS_DRAFTS)) throw new RangeError('Invalid string length');
      return original.isDraft(source);
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

  it('names each page that a scan of all pages fails on as failed, keeps its earlier version, and ingests the others', async () => {
    const dir = tempDir('docent-cross-page-failure-');
    const names = ['drafts', 'labels', 'shared', 'slugs'];
    for (const name of names) writeFileSync(join(dir, `${name}.md`), `# ${name}\n\nA first version.\n`);
    writeFileSync(join(dir, 'guide.md'), '---\nslug: /start\n---\n# Guide\n\nRead [the drafts](./drafts.md).\n');
    const run = () => ingestContent(db, createHashingEmbedder('test:cross-page-failure@512'), { contentDir: dir, source: 'cross-page-failure' });
    expect((await run()).documents).toMatchObject({ added: 5, failed: 0 });

    writeFileSync(join(dir, 'drafts.md'), `# drafts\n\nNow ${FAILS_DRAFTS}.\n`);
    writeFileSync(join(dir, 'labels.md'), `(mine)=\n# labels\n\nNow ${FAILS_LABELS}.\n`);
    writeFileSync(join(dir, 'shared.md'), `---\nslug: /shared\n---\n# shared\n\nNow ${FAILS_SHARED_SLUGS}.\n`);
    writeFileSync(join(dir, 'slugs.md'), `---\nslug: /slugs\n---\n# slugs\n\nNow ${FAILS_SLUGS}.\n`);
    writeFileSync(join(dir, 'guide.md'), '---\nslug: /start\n---\n# Guide\n\nRead [the drafts](./drafts.md) first.\n');
    writeFileSync(join(dir, 'new.md'), '# New\n\nSee [the guide](/start).\n');
    const summary = await run();
    expect(summary.documents).toMatchObject({ added: 1, updated: 1, failed: 4, removed: 0 });
    const failure = (path: string, error: string) => ({
      path,
      line: null,
      message:
        `not indexed: reading it failed unexpectedly (${error}); its earlier version, if any, stays indexed. ` +
        'This is a bug in Docent or a page far larger than docs pages are: please report it, with the file if you can',
    });
    expect(summary.errors).toEqual([
      failure('drafts.md', 'RangeError: Invalid string length'),
      failure('labels.md', 'RangeError: Invalid array length'),
      failure('shared.md', 'TypeError: Cannot read properties of undefined'),
      failure('slugs.md', 'RangeError: Maximum call stack size exceeded'),
    ]);
    expect(await texts('cross-page-failure')).toEqual([
      'drafts.md: A first version.',
      'guide.md: Read [the drafts](/drafts/) first.',
      'labels.md: A first version.',
      'new.md: See [the guide](/guide/).',
      'shared.md: A first version.',
      'slugs.md: A first version.',
    ]);
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
