import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosinesWithMissingFilled } from '../server/retrieval/missing-vectors';
import { search } from '../server/retrieval/search';
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

describe('cosinesWithMissingFilled()', () => {
  it('gives a candidate with no comparable vector the mean cosine of those that have one', () => {
    expect(cosinesWithMissingFilled([0.6, null, 0.2])).toEqual([0.6, 0.4, 0.2]);
  });
  it('leaves the cosines alone when every candidate has one (an index of one model)', () => {
    expect(cosinesWithMissingFilled([0.6, 0.1])).toEqual([0.6, 0.1]);
  });
  it('gives 0 when no candidate has a comparable vector', () => {
    expect(cosinesWithMissingFilled([null, null])).toEqual([0, 0]);
  });
});
