import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unmatchedSources } from '../server/retrieval/source-filter';
import { createTestDatabase, DRIVER_KINDS, type TestDatabase } from './helpers/database';
import { SERVER_DOCS } from './helpers/docs';
import { createHashingEmbedder } from './helpers/embedder';
import { seedDocuments } from './helpers/seed';

describe.each(DRIVER_KINDS)('unmatchedSources() through %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedDocuments(database.db, createHashingEmbedder(), SERVER_DOCS);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('lists, in order and once each, the entries that match no document by source name or path prefix', async () => {
    const entries = ['guide/', 'guides/', 'legacy', '/api/routing.md', 'api/routing.md', 'nope', 'guide/', 'guides%', 'api_'];
    expect(await unmatchedSources(database.db, entries)).toEqual(['guide/', 'nope', 'guides%', 'api_']);
  });

  it('is empty for no entries', async () => {
    expect(await unmatchedSources(database.db, [])).toEqual([]);
  });
});
