import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestContent } from '../ingest/index';
import { READING_PROGRESS_MIN_PAGES } from '../ingest/sync';
import type { IngestProgress } from '../ingest/types';
import { removeTempDirs, tempDir } from './helpers/content';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';

/** A content folder of `count` small pages in a few folders. */
function folderOf(count: number): string {
  const dir = tempDir();
  for (let i = 0; i < count; i++) {
    const folder = join(dir, `part-${i % 4}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `page-${i}.md`), `# Page ${i}\n\nSome text about topic ${i}.\n`);
  }
  return dir;
}

describe('ingest: progress while reading a large folder', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
  });
  afterAll(async () => {
    await database?.close();
    removeTempDirs();
  });

  const messages = async (count: number) => {
    const events: IngestProgress[] = [];
    await ingestContent(database.db, createHashingEmbedder('test:reading@512'), {
      contentDir: folderOf(count),
      source: `reading-${count}`,
      dryRun: true,
      onProgress: (e) => events.push(e),
    });
    return events.flatMap((e) => (e.message ? [e.message] : []));
  };

  it('says how many pages it reads, then each quarter read, before any embedding', async () => {
    const total = READING_PROGRESS_MIN_PAGES * 2;
    expect(await messages(total)).toEqual([
      `Reading ${total} pages (parsing and chunking them before embedding)…`,
      `Read ${total / 4}/${total} pages`,
      `Read ${total / 2}/${total} pages`,
      `Read ${(total * 3) / 4}/${total} pages`,
    ]);
  });

  it('says nothing extra for a small folder', async () => {
    expect(await messages(READING_PROGRESS_MIN_PAGES - 1)).toEqual([]);
  });
});
