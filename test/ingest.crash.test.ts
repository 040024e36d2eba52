import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq, sql } from 'drizzle-orm';
import { afterAll, expect, it } from 'vitest';
import { chunkSections } from '../ingest/chunk';
import { ingestContent } from '../ingest/index';
import { parseDocument } from '../ingest/parse';
import { listContentFiles } from '../ingest/scan';
import { migrateDatabase } from '../server/db/migrate';
import { openDatabase, queryRows } from '../server/db/open';
import { ingestRuns } from '../server/db/schema';
import { copyFixture, removeTempDirs, tempDir } from './helpers/content';
import { createHashingEmbedder } from './helpers/embedder';

afterAll(() => removeTempDirs());

const CHILD = fileURLToPath(new URL('./helpers/ingest-child.ts', import.meta.url));

async function expectedChunks(dir: string) {
  const out = new Map<string, string[]>();
  for (const path of await listContentFiles(dir)) {
    const doc = parseDocument(readFileSync(join(dir, path), 'utf8'), path);
    out.set(path, chunkSections(doc.sections).map((c) => `${c.heading}\n${c.text}`));
  }
  return out;
}

it.each([
  ['read in one batch', undefined],
  ['read a page at a time', 1],
])('a process killed mid-run (kill -9) leaves a consistent database, and the next run completes the job (pages %s)', async (_, readBatchBytes) => {
  const content = copyFixture('docs');
  const dataDir = join(tempDir('docent-crash-'), 'pglite');
  const embedder = createHashingEmbedder('test:crash@512');

  // Version 1, ingested normally.
  let handle = await openDatabase(dataDir);
  await migrateDatabase(handle);
  await ingestContent(handle.db, embedder, { contentDir: content, source: 'crash' });
  await handle.close();
  const v1 = await expectedChunks(content);

  // Version 2 of every file, ingested by a child process that is killed after three documents.
  const paths = [...v1.keys()];
  for (const path of paths) writeFileSync(join(content, path), `${readFileSync(join(content, path), 'utf8')}\n\nRevision two of ${path}.\n`);
  const v2 = await expectedChunks(content);
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, content, ...(readBatchBytes ? [String(readBatchBytes)] : [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  child.stdout.on('data', (d: Buffer) => {
    stdout += d;
    if ((stdout.match(/^written /gm) ?? []).length >= 3) child.kill('SIGKILL');
  });
  expect(await exited, stderr).toBe('SIGKILL');
  expect(stdout).not.toContain('finished');

  // The database opens (the dead process's lock is taken over) and every document is whole: v1 or v2.
  handle = await openDatabase(dataDir);
  const rows = await queryRows<{ path: string; heading: string; text: string }>(
    handle.db,
    sql`select d.path, c.heading, c.text from chunks c join documents d on d.id = c.document_id where d.source = 'crash' order by d.path, c.ordinal`,
  );
  const byPath = new Map<string, string[]>();
  for (const r of rows) byPath.set(r.path, [...(byPath.get(r.path) ?? []), `${r.heading}\n${r.text}`]);
  const versions = paths.map((path) => {
    const got = byPath.get(path);
    if (JSON.stringify(got) === JSON.stringify(v2.get(path))) return 2;
    expect(got, `${path} is neither version 1 nor version 2`).toEqual(v1.get(path));
    return 1;
  });
  const written = versions.filter((v) => v === 2).length;
  expect(written).toBeGreaterThanOrEqual(3);
  expect(written).toBeLessThan(paths.length);
  expect(versions).toEqual([...versions].sort().reverse()); // documents are written in path order

  // The killed run stays on record with the progress it committed.
  const [killed] = await handle.db.select().from(ingestRuns).where(eq(ingestRuns.status, 'running'));
  expect(killed!.counts!.documents.updated).toBe(written);

  // The next run finishes the job and embeds only what the killed run had not written.
  const calls = embedder.calls;
  const summary = await ingestContent(handle.db, embedder, { contentDir: content, source: 'crash', readBatchBytes });
  expect(summary.documents).toEqual({ added: 0, updated: paths.length - written, unchanged: written, removed: 0, failed: 0 });
  expect(embedder.calls - calls).toBe(summary.chunks.embedded);
  const final = await queryRows<{ path: string; heading: string; text: string }>(
    handle.db,
    sql`select d.path, c.heading, c.text from chunks c join documents d on d.id = c.document_id where d.source = 'crash' order by d.path, c.ordinal`,
  );
  expect(final.map((r) => `${r.heading}\n${r.text}`)).toEqual(paths.flatMap((p) => v2.get(p)!));
  await handle.close();
});
