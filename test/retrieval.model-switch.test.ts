import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunks } from '../server/db/schema';
import { TYPICAL_CANDIDATE_COSINE } from '../server/retrieval/fusion-model';
import { cosinesWithMissingFilled } from '../server/retrieval/missing-vectors';
import { scoreCandidates, search } from '../server/retrieval/search';
import { DEFAULT_RETRIEVAL_SETTINGS } from '../server/retrieval/settings';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';
import { seedDocuments } from './helpers/seed';

const oldModel = createHashingEmbedder('test:old-model@512');
const newModel = createHashingEmbedder('test:new-model@512');
const settings = { ...DEFAULT_RETRIEVAL_SETTINGS, minScore: 0 };

// The page that answers "how do I set a cookie on the response?" (its heading says so)...
const answer = { path: 'cookies.md', title: 'Cookies', sections: [{ heading: 'Set a cookie', text: 'Call setCookie(c, name, value) to set a cookie on the response. Options set the cookie path, domain and expiry.' }] };
// ...and one that mentions it in passing, with more of the question's common words (which the hashing embedder counts).
const nearMiss = {
  path: 'context.md',
  title: 'Context',
  sections: [{ heading: 'Helpers', text: 'How do I do it? I do it on the context, with its helpers: setCookie sets a cookie on the response, getCookie reads one, and header sets any header.' }],
};

describe('search() during a switch of embedding model (some pages re-embedded, some not)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
  });
  afterAll(async () => {
    await database.close();
  });

  it('ranks a page not yet re-embedded by its words, not below every page already re-embedded', async () => {
    await seedDocuments(database.db, oldModel, [answer]);
    await seedDocuments(database.db, newModel, [nearMiss]);
    const results = await search(database.db, { query: 'how do I set a cookie on the response?', embedder: newModel, settings });
    expect(results[0]?.path).toBe('cookies.md');
  });

});

describe('search() on an index none of whose chunks were embedded with the server\'s model (the model changed, nothing re-embedded yet)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDocuments(database.db, oldModel, [
      answer,
      nearMiss,
      { path: 'deploy.md', title: 'Deploying', sections: [{ heading: 'Deploy to a server', text: 'Build the app with npm run build, then copy the dist folder to the server and start it with node.' }] },
      { path: 'config.md', title: 'Configuration', sections: [{ heading: 'Environment variables', text: 'PORT sets the port the server listens on; HOST sets the address. A .env file is read at start.' }] },
    ]);
  });
  afterAll(async () => {
    await database.close();
  });

  it('answers by words, with the default threshold, instead of scoring every candidate as unlike the question', async () => {
    // Scored as candidates unlike the question (cosine 0), the page that answers fell to 0.22, under the threshold (0.45).
    const results = await search(database.db, { query: 'which port does it listen on?', embedder: newModel, settings: DEFAULT_RETRIEVAL_SETTINGS });
    expect(results.map((r) => r.path)).toEqual(['config.md']);
    const cookies = await search(database.db, { query: 'how do I set a cookie on the response?', embedder: newModel, settings: DEFAULT_RETRIEVAL_SETTINGS });
    expect(cookies[0]?.path).toBe('cookies.md');
  });

  it('an index of one model ranks exactly as before: every candidate\'s cosine is its own (nothing is filled in)', async () => {
    const query = 'how do I set a cookie on the response?';
    const candidates = await scoreCandidates(database.db, { query, embedder: oldModel });
    expect(candidates.length).toBeGreaterThanOrEqual(2);
    const q = await oldModel.embedQuery(query);
    const stored = await database.db.select({ id: chunks.id, embedding: chunks.embedding }).from(chunks);
    for (const c of candidates) {
      const v = stored.find((row) => row.id === c.chunkId)!.embedding;
      const cosine = Math.max(0, q.reduce((sum, x, i) => sum + x * v[i]!, 0));
      expect(c.features.cosine).toBeCloseTo(cosine, 5);
    }
  });
});

describe('cosinesWithMissingFilled()', () => {
  it('gives a candidate with no comparable vector the mean cosine of those that have one', () => {
    expect(cosinesWithMissingFilled([0.6, null, 0.2])).toEqual([0.6, 0.4, 0.2]);
  });
  it('leaves the cosines alone when every candidate has one (an index of one model)', () => {
    expect(cosinesWithMissingFilled([0.6, 0.1])).toEqual([0.6, 0.1]);
  });
  it('gives the typical cosine of a candidate when no candidate has a comparable vector', () => {
    expect(cosinesWithMissingFilled([null, null])).toEqual([TYPICAL_CANDIDATE_COSINE, TYPICAL_CANDIDATE_COSINE]);
  });
});
