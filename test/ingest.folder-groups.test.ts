/**
 * Fumadocs folder groups, `(name)`: ingest stores a grouped page at the URL Fumadocs serves it at
 * (`(guides)/setup.md` → `/setup/`), points links to it there, warns on two pages that then share a
 * URL, and an index stored before (at `/(guides)/setup/`) keeps none of its old URLs after the run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestContent } from '../ingest/index';
import { PIPELINE_VERSION } from '../ingest/sync';
import { type Database, queryRows } from '../server/db/open';
import { ingestRuns } from '../server/db/schema';
import { removeTempDirs, tempDir } from './helpers/content';
import { createTestDatabase, DRIVER_KINDS, type TestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';

afterAll(() => removeTempDirs());

/** A content folder with these files. */
function contentFolder(files: Record<string, string>): string {
  const dir = tempDir('docent-groups-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const FILES = {
  'index.md': '# Home\n\nStart with [the setup](./(guides)/setup.md), then read [deploying](/deploy#steps).\n',
  '(guides)/setup.md': '# Setup\n\nInstall the package.\n',
  '(guides)/deploy/index.md': '# Deploy\n\n## Steps\n\nPush it.\n',
  '(a)/faq.md': '# FAQ of A\n\nText.\n',
  '(b)/faq.md': '# FAQ of B\n\nText.\n',
};

describe.each(DRIVER_KINDS)('ingestContent() with Fumadocs folder groups through %s', (kind) => {
  let database: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    db = database.db;
  });
  afterAll(async () => database?.close());

  const stored = (source: string) =>
    queryRows<{ path: string; url: string; text: string }>(
      db,
      sql`select d.path, d.url, c.text from documents d join chunks c on c.document_id = d.id where d.source = ${source} order by d.path, c.ordinal`,
    );

  it('stores grouped pages and links to them at their URLs without the group, and warns on two pages that then share one', async () => {
    const dir = contentFolder(FILES);
    const summary = await ingestContent(db, createHashingEmbedder('test:groups@512'), { contentDir: dir, source: 'groups', baseUrl: '/docs/' });
    const rows = await stored('groups');
    expect(Object.fromEntries(rows.map((r) => [r.path, r.url]))).toEqual({
      '(a)/faq.md': '/docs/faq/',
      '(b)/faq.md': '/docs/faq/',
      '(guides)/deploy/index.md': '/docs/deploy/',
      '(guides)/setup.md': '/docs/setup/',
      'index.md': '/docs/',
    });
    expect(rows.find((r) => r.path === 'index.md')!.text).toContain('[the setup](/docs/setup/), then read [deploying](/docs/deploy/#steps)');
    expect(summary.warnings).toEqual([
      {
        path: '(a)/faq.md',
        line: null,
        message: 'has the same URL as (b)/faq.md (/docs/faq/): the docs site serves this page there, so links to the other page and its citations open this page. Rename one of them.',
      },
      {
        path: '(b)/faq.md',
        line: null,
        message: 'has the same URL as (a)/faq.md (/docs/faq/): the docs site serves (a)/faq.md there, never this page, so links to this page and its citations open (a)/faq.md. Rename one of them.',
      },
    ]);
  });

  it('leaves none of the URLs an earlier version stored with the groups (/(guides)/setup/) after the next run', async () => {
    const dir = contentFolder(FILES);
    const run = () => ingestContent(db, createHashingEmbedder('test:groups-upgrade@512'), { contentDir: dir, source: 'groups-upgrade' });
    await run();
    // As the previous pipeline version stored them: URLs, links in chunks and recorded links with the group.
    const withGroups = (text: string) => text.replace(/\/setup\//g, '/(guides)/setup/').replace(/\/deploy\//g, '/(guides)/deploy/');
    await queryRows(db, sql`update documents set url = '/(guides)/setup/' where source = 'groups-upgrade' and path = '(guides)/setup.md'`);
    await queryRows(db, sql`update documents set url = '/(guides)/deploy/' where source = 'groups-upgrade' and path = '(guides)/deploy/index.md'`);
    await queryRows(db, sql`update documents set url = '/(a)/faq/' where source = 'groups-upgrade' and path = '(a)/faq.md'`);
    await queryRows(db, sql`update documents set url = '/(b)/faq/' where source = 'groups-upgrade' and path = '(b)/faq.md'`);
    for (const row of await queryRows<{ id: string; text: string }>(db, sql`select c.id, c.text from chunks c join documents d on d.id = c.document_id where d.source = 'groups-upgrade'`)) {
      // With the hash of that text, as that version wrote it.
      await queryRows(db, sql`update chunks set text = ${withGroups(row.text)}, content_hash = md5(${withGroups(row.text)}) where id = ${row.id}`);
    }
    await queryRows(db, sql`update documents set page_links = ${withGroups(JSON.stringify({ './(guides)/setup.md': '/setup/', '/deploy#steps': '/deploy/#steps' }))}::jsonb where source = 'groups-upgrade' and path = 'index.md'`);
    await db.update(ingestRuns).set({ options: sql`jsonb_set(${ingestRuns.options}, '{pipelineVersion}', ${String(PIPELINE_VERSION - 1)}::jsonb)` }).where(eq(ingestRuns.source, 'groups-upgrade'));
    expect((await stored('groups-upgrade')).some((r) => r.url.includes('(') || r.text.includes('/(guides)/'))).toBe(true);

    const summary = await run();
    expect(summary.documents).toMatchObject({ added: 0, removed: 0, failed: 0 });
    const rows = await stored('groups-upgrade');
    expect(rows.filter((r) => r.url.includes('(') || r.text.includes('/(guides)/'))).toEqual([]);
    expect(rows.find((r) => r.path === 'index.md')!.text).toContain('[the setup](/setup/), then read [deploying](/deploy/#steps)');
    const links = await queryRows<{ page_links: unknown }>(db, sql`select page_links from documents where source = 'groups-upgrade' and path = 'index.md'`);
    expect(links[0]!.page_links).toEqual({ './(guides)/setup.md': '/setup/', '/deploy#steps': '/deploy/#steps' });
  });
});
