import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { messages } from '../server/db/schema';
import { createApp } from '../server/http/app';
import { DEFAULT_RETRIEVAL_SETTINGS } from '../server/retrieval/settings';
import { createClient, type TestClient } from './helpers/client';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { SERVER_DOCS } from './helpers/docs';
import { createHashingEmbedder } from './helpers/embedder';
import { type OpenAIStub, startOpenAIStub } from './helpers/openai-stub';
import { seedDocuments } from './helpers/seed';
import { assemble, chatBody, readChunks, textOf } from './helpers/ui-stream';

const embedder = createHashingEmbedder();

interface SourcesPart {
  data: { retrieval: string; sources: { rank: number; source: string; path: string; score: number }[] };
}

describe('retrieval settings', () => {
  let database: TestDatabase;
  let stub: OpenAIStub;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDocuments(database.db, embedder, SERVER_DOCS);
    stub = await startOpenAIStub(() => ({ text: 'From the docs [1].' }));
    app = createApp({ database, config: loadConfig({ OPENAI_BASE_URL: stub.url }), embedder, siteDir: false });
  });
  afterAll(async () => {
    await stub?.close();
    await database?.close();
  });

  const put = async (client: TestClient, patch: Partial<typeof DEFAULT_RETRIEVAL_SETTINGS>) => {
    const res = await client.json('/api/settings', 'PUT', { ...DEFAULT_RETRIEVAL_SETTINGS, minScore: 0, ...patch });
    expect(res.status).toBe(200);
    return res.json();
  };
  const ask = async (client: TestClient, question: string) => {
    const chunks = await readChunks(await client.json('/api/chat', 'POST', chatBody(`c-${Math.random()}`, question)));
    const data = (chunks.find((c) => c.type === 'data-sources') as unknown as SourcesPart).data;
    return { chunks, data, messageId: (chunks[0] as { messageId: string }).messageId };
  };

  describe('GET /api/settings', () => {
    it('gives a new visitor the defaults without creating a user', async () => {
      const client = createClient(app);
      const res = await client.request('/api/settings');
      expect(await res.json()).toEqual({ ...DEFAULT_RETRIEVAL_SETTINGS, unmatched: [] });
      expect(client.cookie).toBeUndefined();
    });
  });

  describe('PUT /api/settings', () => {
    it('saves the settings and returns them (GET reads them back)', async () => {
      const client = createClient(app);
      const saved = await put(client, { maxResults: 3, minScore: 0.45, excludedSources: ['legacy', 'legacy'] });
      expect(saved).toEqual({ enabled: true, maxResults: 3, minScore: 0.45, preferredSources: [], excludedSources: ['legacy'], unmatched: [] });
      expect(await (await client.request('/api/settings')).json()).toEqual(saved);
      // Another visitor still has the defaults.
      expect(await (await createClient(app).request('/api/settings')).json()).toEqual({ ...DEFAULT_RETRIEVAL_SETTINGS, unmatched: [] });
    });

    it('two saves at once (two tabs) each answer what they saved, and one of them is kept whole', async () => {
      const client = createClient(app);
      await put(client, { maxResults: 2 });
      const a = { ...DEFAULT_RETRIEVAL_SETTINGS, maxResults: 3, minScore: 0.1, preferredSources: ['guides/'], excludedSources: [] };
      const b = { ...DEFAULT_RETRIEVAL_SETTINGS, enabled: false, maxResults: 7, minScore: 0.2, preferredSources: [], excludedSources: ['legacy'] };
      for (let round = 0; round < 3; round++) {
        const [resA, resB] = await Promise.all([client.json('/api/settings', 'PUT', a), client.json('/api/settings', 'PUT', b)]);
        const [savedA, savedB] = [await resA.json(), await resB.json()];
        expect({ round, status: resA.status, saved: savedA }).toEqual({ round, status: 200, saved: { ...a, unmatched: [] } });
        expect({ round, status: resB.status, saved: savedB }).toEqual({ round, status: 200, saved: { ...b, unmatched: [] } });
        // One of the two is kept whole, never a mix of both.
        const kept = await (await client.request('/api/settings')).json();
        expect([savedA, savedB]).toContainEqual(kept);
      }
    });

    it('keeps entries that match no indexed page, and lists them in unmatched (a typo, a folder not indexed yet)', async () => {
      const client = createClient(app);
      const saved = await put(client, { preferredSources: ['guide/', 'guides/', 'api/routing.md'], excludedSources: ['legacy', '/nope.md', 'guide/x.md'] });
      expect(saved.preferredSources).toEqual(['guide/', 'guides/', 'api/routing.md']);
      expect(saved.excludedSources).toEqual(['legacy', '/nope.md', 'guide/x.md']);
      expect(saved.unmatched).toEqual(['guide/', '/nope.md', 'guide/x.md']);
      const read = await (await client.request('/api/settings')).json();
      expect(read).toEqual(saved);
      // What GET returned, sent back changed, is accepted (unmatched is the server's to say).
      const again = await client.json('/api/settings', 'PUT', { ...read, maxResults: 4 });
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ ...saved, maxResults: 4 });
    });

    it('refuses an entry both preferred and excluded, naming it', async () => {
      const client = createClient(app);
      const res = await client.json('/api/settings', 'PUT', {
        ...DEFAULT_RETRIEVAL_SETTINGS,
        preferredSources: ['guides/', 'api/'],
        excludedSources: ['legacy', 'guides/'],
      });
      expect(res.status).toBe(400);
      const json = await res.json();
      expect(json.error.code).toBe('invalid_body');
      expect(json.error.message).toBe('Invalid request body: excludedSources: "guides/" is also in preferredSources: a source is either preferred or excluded');
      // Nothing was saved.
      expect(await (await client.request('/api/settings')).json()).toEqual({ ...DEFAULT_RETRIEVAL_SETTINGS, unmatched: [] });
    });

    it.each([
      [{ ...DEFAULT_RETRIEVAL_SETTINGS, maxResults: 21 }, /maxResults/],
      [{ ...DEFAULT_RETRIEVAL_SETTINGS, maxResults: 2.5 }, /maxResults must be a whole number/],
      [{ ...DEFAULT_RETRIEVAL_SETTINGS, minScore: 1.5 }, /minScore/],
      [{ ...DEFAULT_RETRIEVAL_SETTINGS, enabled: 'yes' }, /enabled/],
      [{ ...DEFAULT_RETRIEVAL_SETTINGS, excludedSources: [''] }, /excludedSources\.0: a source cannot be empty/],
      [{ enabled: true }, /maxResults/],
      [
        { ...DEFAULT_RETRIEVAL_SETTINGS, minscore: 0.2 },
        /^Invalid request body: unknown field "minscore" \(settings have enabled, maxResults, minScore, preferredSources, excludedSources\)$/,
      ],
      [{ ...DEFAULT_RETRIEVAL_SETTINGS, theme: 'dark', sources: [] }, /unknown fields "theme", "sources"/],
    ])('refuses %j with 400', async (body, message) => {
      const res = await createClient(app).json('/api/settings', 'PUT', body);
      expect(res.status).toBe(400);
      const json = await res.json();
      expect(json.error.code).toBe('invalid_body');
      expect(json.error.message).toMatch(message);
    });

    it('DELETE /api/settings goes back to the defaults', async () => {
      const client = createClient(app);
      await put(client, { maxResults: 2 });
      expect(await (await client.request('/api/settings', { method: 'DELETE' })).json()).toEqual({ ...DEFAULT_RETRIEVAL_SETTINGS, unmatched: [] });
      expect(await (await client.request('/api/settings')).json()).toEqual({ ...DEFAULT_RETRIEVAL_SETTINGS, unmatched: [] });
    });
  });

  describe('settings change what POST /api/chat retrieves', () => {
    it('maxResults caps the sources', async () => {
      const client = createClient(app);
      await put(client, { maxResults: 5 });
      const wide = await ask(client, 'read a path parameter in the handler');
      expect(wide.data.sources.length).toBeGreaterThan(1);
      await put(client, { maxResults: 1 });
      const narrow = await ask(client, 'read a path parameter in the handler');
      expect(narrow.data.sources.length).toBe(1);
      expect(narrow.chunks.filter((c) => c.type === 'source-url').length).toBe(1);
      const [row] = await database.db.select().from(messages).where(eq(messages.id, narrow.messageId));
      expect(row!.retrievalSettings).toMatchObject({ maxResults: 1, minScore: 0 });
    });

    it('minScore drops weaker sources, down to abstaining', async () => {
      const client = createClient(app);
      await put(client, { maxResults: 10, minScore: 0 });
      const all = await ask(client, 'read a path parameter in the handler');
      const scores = all.data.sources.map((s) => s.score);
      const threshold = (scores[0]! + scores[scores.length - 1]!) / 2;
      await put(client, { maxResults: 10, minScore: threshold });
      const some = await ask(client, 'read a path parameter in the handler');
      expect(some.data.sources.length).toBeLessThan(all.data.sources.length);
      expect(some.data.sources.every((s) => s.score >= threshold)).toBe(true);
      await put(client, { minScore: 1 });
      const before = stub.requests.length;
      const none = await ask(client, 'read a path parameter in the handler');
      expect(none.data).toMatchObject({ retrieval: 'none', sources: [] });
      expect(stub.requests.length).toBe(before);
    });

    it('excluded sources are filtered before the limit (by source name or path prefix)', async () => {
      const client = createClient(app);
      await put(client, { maxResults: 10 });
      const all = await ask(client, 'read a path parameter in the handler');
      expect(all.data.sources.some((s) => s.source === 'legacy')).toBe(true);

      await put(client, { maxResults: 2, excludedSources: ['legacy'] });
      const noLegacy = await ask(client, 'read a path parameter in the handler');
      expect(noLegacy.data.sources.length).toBe(2);
      expect(noLegacy.data.sources.some((s) => s.source === 'legacy')).toBe(false);

      await put(client, { maxResults: 10, excludedSources: ['api/'] });
      const noApi = await ask(client, 'read a path parameter in the handler');
      expect(noApi.data.sources.some((s) => s.path.startsWith('api/'))).toBe(false);
    });

    it('preferred sources are boosted', async () => {
      const client = createClient(app);
      await put(client, { maxResults: 5 });
      const question = 'how do I group routes';
      const plain = await ask(client, question);
      const legacy = plain.data.sources.find((s) => s.source === 'legacy')!;
      const other = plain.data.sources.find((s) => s.source === 'docs')!;
      await put(client, { maxResults: 5, preferredSources: ['legacy'] });
      const preferred = await ask(client, question);
      const boosted = preferred.data.sources.find((s) => s.source === 'legacy')!;
      expect(boosted.score).toBeGreaterThan(legacy.score);
      expect(boosted.rank).toBeLessThanOrEqual(legacy.rank);
      expect(preferred.data.sources.find((s) => s.path === other.path && s.source === 'docs')!.score).toBe(other.score);
    });

    it('enabled=false answers without documents and says so', async () => {
      const client = createClient(app);
      await put(client, { enabled: false });
      stub.setReply(() => ({ text: 'General answer [1].' }));
      const { chunks, data, messageId } = await ask(client, 'How do I set a cookie?');
      expect(data).toMatchObject({ retrieval: 'disabled', sources: [] });
      expect(chunks.some((c) => c.type === 'source-url')).toBe(false);
      expect(stub.requests.at(-1)!.system).toContain('turned documentation search');
      const text = textOf(await assemble(chunks));
      expect(text).toContain('Documentation search is off in your settings');
      expect(text).not.toContain('[1]');
      const [row] = await database.db.select().from(messages).where(eq(messages.id, messageId));
      expect(row!.retrievalSettings).toMatchObject({ enabled: false });
      expect(row!.citations).toEqual({ valid: [], invalid: [1] });

      // Without a model there is nothing to answer from: it says so.
      const extractive = createClient(createApp({ database, config: loadConfig({}), embedder, siteDir: false }));
      await put(extractive, { enabled: false });
      const res = await extractive.json('/api/chat', 'POST', chatBody('off', 'How do I set a cookie?'));
      expect(textOf(await assemble(await readChunks(res)))).toContain('Documentation search is turned off in your settings');
    });
  });

  describe('GET /api/sources', () => {
    it('lists source names and top-level folders with document counts', async () => {
      const res = await createClient(app).request('/api/sources');
      expect(await res.json()).toEqual({
        sources: [
          { name: 'docs', documents: 3, folders: [{ path: 'api/', documents: 1 }, { path: 'guides/', documents: 2 }] },
          { name: 'legacy', documents: 1, folders: [{ path: 'api/', documents: 1 }] },
        ],
      });
    });
  });

  describe('GET /api/search', () => {
    it('returns the search command’s JSON, k results at most', async () => {
      const res = await createClient(app).request('/api/search?q=how%20do%20I%20set%20a%20cookie%20on%20the%20response%2C%20and%20delete%20it%20later&k=2');
      expect(res.status).toBe(200);
      const { results } = await res.json();
      expect(results).toHaveLength(2);
      expect(Object.keys(results[0]).sort()).toEqual(['anchor', 'headings', 'path', 'rank', 'score', 'text', 'title', 'url']);
      expect(results[0]).toMatchObject({ rank: 1, path: 'guides/cookies.md', url: '/guides/cookies/#set-a-cookie' });
    });

    it.each([
      ['', /q \(the question\) is required/],
      ['?q=x&k=0', /k must be a whole number from 1 to 50/],
      ['?q=x&k=abc', /k must be a whole number from 1 to 50/],
      ['?q=x&k=2.5', /k must be a whole number from 1 to 50/],
    ])('answers %s with 400', async (query, message) => {
      const res = await createClient(app).request(`/api/search${query}`);
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toMatch(message);
    });
  });
});
