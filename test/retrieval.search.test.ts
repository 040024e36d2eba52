import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, queryRows } from '../server/db/open';
import { HNSW_EF_SEARCH, SEARCH_STAGES, search, setVectorSearchSettings } from '../server/retrieval/search';
import { DEFAULT_RETRIEVAL_SETTINGS, type RetrievalSettings } from '../server/retrieval/settings';
import { createTestDatabase, DRIVER_KINDS, type TestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';
import { seedDocuments } from './helpers/seed';

const embedder = createHashingEmbedder();
const settings = (patch: Partial<RetrievalSettings> = {}): RetrievalSettings => ({
  ...DEFAULT_RETRIEVAL_SETTINGS,
  minScore: 0,
  ...patch,
});

describe('search() on a database holding a vector of zeros', () => {
  it('still ranks and scores every candidate: the zero vector counts as no vector evidence', async () => {
    // Ingest refuses zero vectors now; a database written before that may still hold one.
    const database = await createTestDatabase('pglite');
    try {
      await seedDocuments(database.db, embedder, [
        { path: 'a.md', title: 'Cookies', sections: [{ heading: 'Set a cookie', text: 'Use setCookie to set a cookie on the response.' }] },
        { path: 'b.md', title: 'Cookies again', sections: [{ heading: 'Read a cookie', text: 'Use getCookie to read a cookie from the request.' }] },
      ]);
      await database.db.execute(sql`update chunks set embedding = array_fill(0, array[512])::vector where heading like '%Set a cookie%'`);
      const results = await search(database.db, { query: 'how do I set a cookie?', embedder, settings: settings() });
      expect(results.map((r) => r.headings.at(-1))).toContain('Set a cookie');
      for (const r of results) expect(Number.isFinite(r.score) && r.score > 0).toBe(true);
    } finally {
      await database.close();
    }
  });
});

describe('search(): one result per section', () => {
  it('puts the chunks of one long section together, in page order, at the place of the best; limit counts sections', async () => {
    const database = await createTestDatabase('pglite');
    try {
      // One section cut into four chunks (same heading and anchor, consecutive ordinals).
      const part = (text: string) => ({ heading: 'Client options', text });
      await seedDocuments(database.db, embedder, [
        {
          path: 'api/client.md',
          title: 'Client',
          sections: [
            part('timeout: how long the client waits for a response, in milliseconds.'),
            part('retries: how many times the client retries a request that timed out.'),
            part('keepAlive: whether sockets are reused between requests.'),
            part('proxy: the URL of the proxy the client sends requests through, retries included.'),
          ],
        },
        { path: 'guides/timeouts.md', title: 'Timeouts', sections: [{ heading: 'Retries after a timeout', text: 'A request that timed out is retried when retries is above zero.' }] },
        { path: 'guides/proxy.md', title: 'Proxies', sections: [{ heading: 'Proxy and retries', text: 'Retries go through the proxy too.' }] },
      ]);
      const results = await search(database.db, { query: 'client timeout retries proxy', embedder, settings: settings({ maxResults: 2, minScore: 0.3 }) }); // keepAlive scores under 0.3
      expect(results).toHaveLength(2);
      expect(results.filter((r) => r.path === 'api/client.md')).toHaveLength(1);
      const client = results.find((r) => r.path === 'api/client.md')!;
      expect(client.text.split('\n\n').map((t) => t.split(':')[0])).toEqual(['timeout', 'retries', '…', 'proxy']);
      expect(results.map((r) => r.rank)).toEqual([1, 2]);
    } finally {
      await database.close();
    }
  });
});

describe('search(): troubleshooting pages', () => {
  it('puts the remedy first when the question describes the problem in the problem section\'s words', async () => {
    const database = await createTestDatabase('pglite');
    try {
      await seedDocuments(database.db, embedder, [
        {
          path: 'troubleshooting/stream-cut-off.md',
          title: 'Streams cut off on the edge',
          sections: [
            { heading: 'Issue', text: 'Long answers stop in the middle and the browser console shows "Uncaught Error: stream closed".' },
            { heading: 'Background', text: 'The platform ends a function once its time limit passes.' },
            { heading: 'Solution', text: 'Raise maxDuration in the route configuration.' },
          ],
        },
        { path: 'guides/streaming.md', title: 'Streaming', sections: [{ heading: 'Errors', text: 'An error in a stream closes the stream.' }] },
      ]);
      const results = await search(database.db, { query: 'long answers stop in the middle, console says stream closed', embedder, settings: settings() });
      expect(results.slice(0, 2).map((r) => r.headings.at(-1))).toEqual(['Solution', 'Issue']);
      expect(results[0]!.score).toBe(results[1]!.score);
    } finally {
      await database.close();
    }
  });
});

describe('search(): "What is X?" where X is what the site is about', () => {
  // The product's name is in every section, several of which open with it; the home page is
  // titled "Introduction" and says what the product is.
  const site = [
    { path: 'index.md', title: 'Introduction', sections: [{ text: 'Acme is a tool for packaging widgets. Install it once per machine.' }] },
    {
      path: 'contributing.md',
      title: 'Contributing to Acme',
      sections: [
        { heading: 'Local development', text: 'Acme is developed with pnpm; its tests run with vitest before every commit.' },
        { heading: 'Releases', text: 'Acme is released every month, when the maintainers tag the project repository.' },
      ],
    },
    { path: 'guides/acme-cli.md', title: 'Acme CLI', sections: [{ text: 'The Acme CLI runs Acme commands: acme build packs Acme widgets.' }] },
    { path: 'guides/index.md', title: 'Guides', sections: [{ text: 'Guides for Acme users: packaging, publishing and widgets.' }] },
  ];

  it('puts the home page lead first: it introduces the subject, the other sections only open with its name', async () => {
    const database = await createTestDatabase('pglite');
    try {
      await seedDocuments(database.db, embedder, site);
      const results = await search(database.db, { query: 'What is Acme?', embedder, settings: settings() });
      expect(results[0]).toMatchObject({ path: 'index.md', headings: ['Introduction'] });
      // Another question about a subject the home page does not introduce is ranked as before.
      const cli = await search(database.db, { query: 'What is the Acme CLI?', embedder, settings: settings() });
      expect(cli[0]?.path).toBe('guides/acme-cli.md');
    } finally {
      await database.close();
    }
  });

  it('puts the home page lead first for a question that means the site without naming it ("What is this project?")', async () => {
    const database = await createTestDatabase('pglite');
    try {
      await seedDocuments(database.db, embedder, site);
      const results = await search(database.db, { query: 'What is this project?', embedder, settings: settings() });
      expect(results[0]).toMatchObject({ path: 'index.md', headings: ['Introduction'] });
    } finally {
      await database.close();
    }
  });

  it('honours excluded sources: an excluded home page is no candidate', async () => {
    const database = await createTestDatabase('pglite');
    try {
      await seedDocuments(database.db, embedder, site);
      const results = await search(database.db, { query: 'What is Acme?', embedder, settings: settings({ excludedSources: ['index.md'] }) });
      expect(results.length).toBeGreaterThan(0);
      expect(results.map((r) => r.path)).not.toContain('index.md');
    } finally {
      await database.close();
    }
  });
});

describe.each(DRIVER_KINDS)('search() through %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedDocuments(database.db, embedder, [
      {
        path: 'api/routing.md',
        title: 'Routing',
        sections: [
          { heading: 'Path parameters', text: 'Read a path parameter with c.req.param("id") inside the handler.' },
          { heading: 'Grouping', text: 'Group routes with app.route("/book", book) to mount a sub application.' },
        ],
      },
      {
        path: 'guides/cookies.md',
        title: 'Cookies',
        sections: [{ heading: 'Set a cookie', text: 'Use setCookie(c, "name", "value") to set a cookie on the response.' }],
      },
      {
        path: 'concepts/middleware.md',
        title: 'Middleware',
        sections: [
          { text: 'Middleware runs before and after the handler, and can change the request or the response.' },
          { heading: 'Order', text: 'Middleware registered first runs first; middleware after it runs inside the other middleware.' },
        ],
      },
      {
        path: 'api/app.md',
        title: 'App',
        sections: [{ heading: 'use()', text: 'app.use(middleware) registers middleware: middleware for every path, or middleware for one path.' }],
      },
      {
        source: 'legacy',
        path: 'api/routing.md',
        title: 'Routing (v1)',
        sections: [{ heading: 'Path parameters', text: 'In version one, read a path parameter with req.params.id.' }],
      },
    ]);
  });
  afterAll(async () => database?.close());

  it('ranks the section that answers the question first, with a 0–1 score and a deep link', async () => {
    const results = await search(database.db, { query: 'how do I set a cookie?', embedder, settings: settings() });
    expect(results[0]).toMatchObject({
      rank: 1,
      source: 'docs',
      path: 'guides/cookies.md',
      title: 'Cookies',
      headings: ['Cookies', 'Set a cookie'],
      anchor: 'set-a-cookie',
      url: '/guides/cookies/#set-a-cookie',
    });
    for (const r of results) {
      expect(r.score).toBeGreaterThan(0);
      expect(r.score).toBeLessThanOrEqual(1);
    }
    expect(results.map((r) => r.score)).toEqual([...results.map((r) => r.score)].sort((a, b) => b - a));
  });

  it('trusts the docs less when the question names something they never mention', async () => {
    // Same lexemes, same vectors (the test embedder lower-cases): only "Flask" written as a name differs.
    const [named] = await search(database.db, { query: 'How do I set a cookie in Flask?', embedder, settings: settings() });
    const [plain] = await search(database.db, { query: 'how do i set a cookie in flask?', embedder, settings: settings() });
    expect(named!.chunkId).toBe(plain!.chunkId);
    expect(named!.score).toBeLessThan(plain!.score);
  });

  it('answers a question asking what something is with the section that introduces it', async () => {
    // "middleware" is the question's only term: BM25 alone prefers the section repeating it most.
    const [lexical] = await search(database.db, { query: 'What is middleware?', embedder, settings: settings(), mode: 'lexical' });
    expect(lexical!.headings).not.toEqual(['Middleware']);
    const [first] = await search(database.db, { query: 'What is middleware?', embedder, settings: settings() });
    expect(first).toMatchObject({ path: 'concepts/middleware.md', headings: ['Middleware'] });
  });

  it('options.onStage reports the time of every stage, in the order they run', async () => {
    const stages: string[] = [];
    const onStage = (stage: string, ms: number) => {
      expect(ms).toBeGreaterThanOrEqual(0);
      stages.push(stage);
    };
    const results = await search(database.db, { query: 'how do I set a cookie?', embedder, settings: settings(), onStage });
    expect(results.length).toBeGreaterThan(0);
    expect(stages).toEqual([...SEARCH_STAGES]);
  });

  it('setVectorSearchSettings sets the HNSW search width and iterative scan for the transaction only', async () => {
    const current = sql`select current_setting('hnsw.ef_search') as ef_search, current_setting('hnsw.iterative_scan') as iterative_scan`;
    await database.db.transaction(async (tx) => {
      await setVectorSearchSettings(tx as unknown as Database);
      expect(await queryRows(tx as unknown as Database, current)).toEqual([{ ef_search: String(HNSW_EF_SEARCH), iterative_scan: 'relaxed_order' }]);
    });
    expect(await queryRows(database.db, current)).toEqual([{ ef_search: '40', iterative_scan: 'off' }]);
  });

  it('settings.enabled = false retrieves nothing', async () => {
    expect(await search(database.db, { query: 'cookie', embedder, settings: settings({ enabled: false }) })).toEqual([]);
  });

  it('settings.maxResults caps the results', async () => {
    const results = await search(database.db, { query: 'path parameter routes cookie', embedder, settings: settings({ maxResults: 2 }) });
    expect(results).toHaveLength(2);
  });

  it('settings.minScore drops weaker sources', async () => {
    const all = await search(database.db, { query: 'read a path parameter', embedder, settings: settings({ maxResults: 20 }) });
    expect(all.length).toBeGreaterThan(1);
    const threshold = (all[0]!.score + all.at(-1)!.score) / 2;
    const strong = await search(database.db, {
      query: 'read a path parameter',
      embedder,
      settings: settings({ maxResults: 20, minScore: threshold }),
    });
    expect(strong.length).toBeGreaterThan(0);
    expect(strong.length).toBeLessThan(all.length);
    for (const r of strong) expect(r.score).toBeGreaterThanOrEqual(threshold);
  });

  it('settings.excludedSources filters by source name or path prefix before the limit', async () => {
    const bySource = await search(database.db, {
      query: 'read a path parameter',
      embedder,
      settings: settings({ excludedSources: ['legacy'], maxResults: 20 }),
    });
    expect(bySource.some((r) => r.source === 'legacy')).toBe(false);
    expect(bySource.some((r) => r.path === 'api/routing.md')).toBe(true);

    const byPrefix = await search(database.db, {
      query: 'read a path parameter',
      embedder,
      settings: settings({ excludedSources: ['api/'], maxResults: 1 }),
    });
    expect(byPrefix).toHaveLength(1);
    expect(byPrefix[0]!.path).toBe('guides/cookies.md');
  });

  it('settings.preferredSources boosts matching sources', async () => {
    const plain = await search(database.db, { query: 'read a path parameter', embedder, settings: settings({ maxResults: 20 }) });
    const legacyPlain = plain.find((r) => r.source === 'legacy')!;
    const boosted = await search(database.db, {
      query: 'read a path parameter',
      embedder,
      settings: settings({ preferredSources: ['legacy'], maxResults: 20 }),
    });
    const legacyBoosted = boosted.find((r) => r.source === 'legacy')!;
    expect(legacyBoosted.score).toBeGreaterThan(legacyPlain.score);
    expect(legacyBoosted.rank).toBeLessThanOrEqual(legacyPlain.rank);
  });

  it('never compares vectors of another embedding model', async () => {
    const other = createHashingEmbedder('test:other@512');
    const results = await search(database.db, { query: 'zzz qqq', embedder: other, settings: settings() });
    expect(results).toEqual([]);
  });

  it('fails with the embedder\'s error when embedding the question fails during the search, and leaves the database usable', async () => {
    // The question is embedded while the lexical search runs: a failure arrives mid-transaction.
    const failing = {
      ...embedder,
      embedQuery: async (): Promise<number[]> => {
        throw new Error('embedding service unavailable');
      },
    };
    await expect(search(database.db, { query: 'path parameter', embedder: failing, settings: settings() })).rejects.toThrow('embedding service unavailable');
    expect((await search(database.db, { query: 'cookie', embedder, settings: settings() }))[0]?.path).toBe('guides/cookies.md');
  });

  it('holds no database connection while it waits for the question\'s embedding: a slow embedding server blocks no other query', async () => {
    let release!: () => void;
    const embedded = new Promise<void>((resolve) => (release = resolve));
    const slow = { ...embedder, embedQuery: async (text: string) => embedded.then(() => embedder.embedQuery(text)) };
    let lexicalDone!: () => void;
    const waiting = new Promise<void>((resolve) => (lexicalDone = resolve));
    const pending = search(database.db, { query: 'path parameter', embedder: slow, settings: settings(), onStage: (stage) => stage === 'bm25' && lexicalDone() });
    await waiting; // the search now waits for the embedding
    const other = queryRows<{ one: number }>(database.db, sql`select 1 as one`);
    const timeout = new Promise<'blocked'>((resolve) => setTimeout(() => resolve('blocked'), 3_000));
    expect(await Promise.race([other.then((rows) => rows[0]?.one), timeout])).toBe(1);
    release();
    expect((await pending)[0]?.path).toBe('api/routing.md');
  });

  it('fails naming the model when the question\'s vector holds NaN, is all zeros or has the wrong length, and leaves the database usable', async () => {
    const returning = (vector: number[]) => ({ ...embedder, embedQuery: async () => vector });
    const nan = new Array<number>(512).fill(0.01).map((x, i) => (i === 7 ? Number.NaN : x));
    await expect(search(database.db, { query: 'path parameter', embedder: returning(nan), settings: settings() })).rejects.toThrow(
      'The embedding model test:hashing@512 returned a vector with NaN at position 7 (of 512) for the question',
    );
    await expect(search(database.db, { query: 'path parameter', embedder: returning([1, 0, 0]), settings: settings() })).rejects.toThrow(
      'The embedding model test:hashing@512 returned a vector of 3 dimensions instead of 512 for the question',
    );
    // pgvector's cosine distance to a vector of zeros is NaN: every score would be NaN, so the question would silently get nothing.
    await expect(search(database.db, { query: 'path parameter', embedder: returning(new Array<number>(512).fill(0)), settings: settings() })).rejects.toThrow(
      'The embedding model test:hashing@512 returned a vector of zeros for the question',
    );
    expect((await search(database.db, { query: 'cookie', embedder, settings: settings() }))[0]?.path).toBe('guides/cookies.md');
  });
});
