import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestContent } from '../ingest/index';
import { READING_PROGRESS_MIN_PAGES } from '../ingest/sync';
import type { IngestProgress } from '../ingest/types';
import { removeTempDirs, tempDir } from './helpers/content';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';

/** A content folder of `count` small pages in a few folders (with `sections` more sections each). */
function folderOf(count: number, sections = 0): string {
  const dir = tempDir();
  for (let i = 0; i < count; i++) {
    const folder = join(dir, `part-${i % 4}`);
    mkdirSync(folder, { recursive: true });
    const more = Array.from({ length: sections }, (_, s) => `## Section ${s}\n\nMore text about topic ${i}, part ${s}, with a [link](./page-${s}.md) and \`code\`.\n`);
    writeFileSync(join(folder, `page-${i}.md`), [`# Page ${i}\n\nSome text about topic ${i}.\n`, ...more].join('\n'));
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

  const messages = async (count: number, options: { dryRun?: boolean } = {}) => {
    const events: IngestProgress[] = [];
    await ingestContent(database.db, createHashingEmbedder('test:reading@512'), {
      contentDir: folderOf(count),
      source: `reading-${count}-${options.dryRun ?? true}`,
      dryRun: options.dryRun ?? true,
      onProgress: (e) => events.push(e),
    });
    return events.flatMap((e) => (e.message ? [e.message] : []));
  };

  it('says how many pages it reads, then each quarter read, before any embedding (one batch)', async () => {
    const total = READING_PROGRESS_MIN_PAGES * 2;
    expect(await messages(total)).toEqual([
      `Reading ${total} pages (parsing and chunking them before embedding)…`,
      `Read ${total / 4}/${total} pages`,
      `Read ${total / 2}/${total} pages`,
      `Read ${(total * 3) / 4}/${total} pages`,
    ]);
  });

  it('lets the event loop run while it reads (a server ingesting in the background goes on answering), and stops there when asked', async () => {
    const total = READING_PROGRESS_MIN_PAGES * 2;
    const dir = folderOf(total, 12);
    // Turns of the event loop, counted while the folder is read.
    let turns = 0;
    let counting = true;
    const count = () => {
      turns++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const seen = new Map<string, number>();
    try {
      await ingestContent(database.db, createHashingEmbedder('test:reading@512'), {
        contentDir: dir,
        source: 'reading-turns',
        dryRun: true,
        onProgress: (e) => {
          if (e.message) seen.set(e.message, turns);
        },
      });
    } finally {
      counting = false;
    }
    expect(seen.get(`Read ${(total * 3) / 4}/${total} pages`)).toBeGreaterThan(seen.get(`Reading ${total} pages (parsing and chunking them before embedding)…`)!);

    const stop = new AbortController();
    const messages: string[] = [];
    const run = ingestContent(database.db, createHashingEmbedder('test:reading@512'), {
      contentDir: dir,
      source: 'reading-stopped',
      dryRun: true,
      signal: stop.signal,
      onProgress: (e) => {
        if (e.message) messages.push(e.message);
        if (e.message === `Read ${total / 4}/${total} pages`) stop.abort();
      },
    });
    await expect(run).rejects.toThrow('The run was cancelled');
    expect(messages).toHaveLength(2);
  });

  it('says so when it reads a large change in batches, each embedded and written before the next is read', async () => {
    const total = 600; // more pages than a batch holds (500)
    expect(await messages(total)).toEqual([
      `Reading ${total} pages in 2 batches…`,
      `Read ${total / 4}/${total} pages`,
      `Read ${total / 2}/${total} pages`,
      `Read ${(total * 3) / 4}/${total} pages`,
    ]);
    expect((await messages(total, { dryRun: false }))[0]).toBe(`Reading ${total} pages in 2 batches (each parsed and chunked, then embedded and written)…`);
  });

  it('reports the pages read as it reads them, of all the pages to read, also when it reads in batches', async () => {
    const total = 600; // two batches
    const events: IngestProgress[] = [];
    await ingestContent(database.db, createHashingEmbedder('test:reading@512'), {
      contentDir: folderOf(total),
      source: 'reading-events',
      onProgress: (e) => events.push(e),
    });
    const read = events.filter((e) => e.phase === 'read');
    expect(read[0]).toEqual({ phase: 'read', done: 0, total });
    expect(read.at(-1)).toEqual({ phase: 'read', done: total, total });
    expect(read.every((e, i) => e.total === total && (i === 0 || e.done >= read[i - 1]!.done))).toBe(true);
    // The first batch (500 pages) is read, then embedded and written, before the second is read.
    const firstWrite = events.findIndex((e) => e.phase === 'document');
    expect(events.slice(0, firstWrite).filter((e) => e.phase === 'read').at(-1)).toEqual({ phase: 'read', done: 500, total });
    expect(events.slice(firstWrite).some((e) => e.phase === 'read' && e.done === 550)).toBe(true);
  });

  it('says nothing extra for a small folder', async () => {
    expect(await messages(READING_PROGRESS_MIN_PAGES - 1)).toEqual([]);
  });
});
