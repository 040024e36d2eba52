/**
 * What a first ingest holds in memory: ingests a folder into a fresh embedded database with the
 * deterministic test embedder (no model: the memory and time are the pipeline's and the
 * database's), and reports the JavaScript heap that survives a full GC when the first embedding
 * starts and every 100 documents written, when the first document is written, and the run's counts.
 * Peak RSS: run it under `/usr/bin/time -v` (or `-f %M`).
 *
 * `node --expose-gc --import tsx bench/ingest-memory.ts CONTENT_DIR NEW_DATABASE_DIR`
 */
import { ingestContent } from '../ingest/index';
import type { IngestProgress } from '../ingest/types';
import { migrateDatabase } from '../server/db/migrate';
import { openDatabase } from '../server/db/open';
import { createHashingEmbedder } from '../test/helpers/embedder';

const [content, dataDir] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc;
if (!content || !dataDir || !gc) {
  console.error('usage: node --expose-gc --import tsx bench/ingest-memory.ts CONTENT_DIR NEW_DATABASE_DIR');
  process.exit(2);
}
const mb = (n: number) => Math.round(n / 1e6);
/** Heap in use after a full GC: what the run still references. */
const retained = () => {
  gc();
  return mb(process.memoryUsage().heapUsed);
};

const handle = await openDatabase(dataDir, { purpose: 'ingest' });
await migrateDatabase(handle);
const started = performance.now();
const seconds = () => Math.round((performance.now() - started) / 1000);
let firstEmbedding: { seconds: number; retainedMB: number } | undefined;
let firstWrite: number | undefined;
let written = 0;
let maxRetainedMB = 0;
const summary = await ingestContent(handle.db, createHashingEmbedder('bench:hashing@512'), {
  contentDir: content,
  source: 'bench',
  onProgress: (event: IngestProgress) => {
    if (event.phase === 'embed' && !firstEmbedding) firstEmbedding = { seconds: seconds(), retainedMB: retained() };
    if (event.phase === 'document' && event.path) {
      firstWrite ??= seconds();
      if (++written % 100 === 0) maxRetainedMB = Math.max(maxRetainedMB, retained());
    }
  },
});
console.log(
  JSON.stringify({
    seconds: seconds(),
    firstEmbedding,
    firstWriteSeconds: firstWrite,
    maxRetainedEvery100DocumentsMB: maxRetainedMB,
    documents: summary.documents,
    chunks: summary.chunks,
  }),
);
await handle.close();
