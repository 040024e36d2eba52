/**
 * Runs one ingest in a child process, for the crash test: `node --import tsx ingest-child.ts DATA_DIR CONTENT_DIR [READ_BATCH_BYTES]`.
 * Uses the deterministic test embedder, slowed down so the parent can kill the run mid-way, and
 * prints `written <path>` as each document's transaction commits.
 */
import { ingestContent } from '../../ingest/index';
import { migrateDatabase } from '../../server/db/migrate';
import { openDatabase } from '../../server/db/open';
import { createHashingEmbedder } from './embedder';

const [dataDir, contentDir, readBatchBytes] = process.argv.slice(2);
const inner = createHashingEmbedder('test:crash@512');
const slow = {
  ...inner,
  async embedDocuments(texts: string[]) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    return inner.embedDocuments(texts);
  },
};
const handle = await openDatabase(dataDir, { purpose: 'ingest' });
await migrateDatabase(handle);
await ingestContent(handle.db, slow, {
  contentDir: contentDir!,
  source: 'crash',
  embedGroupSize: 1,
  readBatchBytes: readBatchBytes ? Number(readBatchBytes) : undefined,
  onProgress: (event) => {
    if (event.phase === 'document' && event.path) process.stdout.write(`written ${event.path}\n`);
  },
});
process.stdout.write('finished\n');
await handle.close();
