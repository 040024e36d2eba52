import { describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { createApp } from '../server/http/app';
import { search } from '../server/retrieval/search';
import { DEFAULT_RETRIEVAL_SETTINGS } from '../server/retrieval/settings';
import { createClient } from './helpers/client';
import { createTestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';
import { seedDocuments } from './helpers/seed';
import { chatBody, readChunks } from './helpers/ui-stream';

describe('search() options.readerPage, and the page the chat and the search route are asked from', () => {
  it('cites the copy of a section repeated per version in the reader\'s version; without a page, one copy as before', async () => {
    const embedder = createHashingEmbedder();
    const database = await createTestDatabase('pglite');
    try {
      const section = { heading: 'Timeout', text: 'Set the timeout option to the number of milliseconds the client waits for a response.' };
      await seedDocuments(database.db, embedder, [
        { path: 'v1/client/options.md', title: 'Client options', sections: [section] },
        { path: 'v2/client/options.md', title: 'Client options', sections: [section] },
        { path: 'v2/guides/retries.md', title: 'Retries', sections: [{ heading: 'After a timeout', text: 'A request is retried after a timeout when retries is above zero.' }] },
      ]);
      const settings = { ...DEFAULT_RETRIEVAL_SETTINGS, minScore: 0 };
      const paths = async (readerPage?: string) =>
        (await search(database.db, { query: 'client timeout option milliseconds', embedder, settings, readerPage })).map((r) => r.path);
      const withoutPage = await paths();
      // Copies: one of them only.
      expect(withoutPage.filter((p) => p.endsWith('client/options.md'))).toHaveLength(1);
      expect(await paths('/v2/guides/retries/')).toContain('v2/client/options.md');
      expect(await paths('/v2/guides/retries/')).not.toContain('v1/client/options.md');
      expect(await paths('/v1/')).toContain('v1/client/options.md');
      expect(await paths('/v1/')).not.toContain('v2/client/options.md');

      // Through the API: the search route's `page` parameter and the chat's `page`.
      const client = createClient(createApp({ database, config: loadConfig({}), embedder, siteDir: false }));
      for (const version of ['v1', 'v2']) {
        const searched = (await (await client.request(`/api/search?q=client+timeout+option+milliseconds&page=/${version}/client/`)).json()) as { results: { path: string }[] };
        expect(searched.results.map((r) => r.path)).toContain(`${version}/client/options.md`);
        const chunks = await readChunks(await client.json('/api/chat', 'POST', { ...chatBody(`chat-${version}`, 'client timeout option milliseconds'), page: `/${version}/guides/` }));
        const sources = chunks.find((c) => (c as { type: string }).type === 'data-sources') as { data: { sources: { path: string }[] } };
        const copies = sources.data.sources.map((s) => s.path).filter((p) => p.endsWith('client/options.md'));
        expect(copies).toEqual([`${version}/client/options.md`]);
      }
      const bad = await client.json('/api/chat', 'POST', { ...chatBody('chat-bad', 'timeout'), page: 42 });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { code: string; message: string } }).error.message).toContain('page must be a string');
    } finally {
      await database.close();
    }
  });
  it('counts only a copy at or over the score threshold as nearer: a nearer copy just under it does not hide one just over it', async () => {
    const embedder = createHashingEmbedder();
    const database = await createTestDatabase('pglite');
    try {
      const text = 'Set the timeout option to the number of milliseconds the client waits for a response before it gives up.';
      await seedDocuments(database.db, embedder, [
        // The same section; the v1 copy has one word more, so it scores a little lower.
        { path: 'v1/client/options.md', title: 'Client options', sections: [{ heading: 'Timeout', text: `${text} Deprecated.` }] },
        { path: 'v2/client/options.md', title: 'Client options', sections: [{ heading: 'Timeout', text }] },
      ]);
      const query = 'client timeout option milliseconds';
      const ask = async (minScore: number, readerPage?: string) =>
        search(database.db, { query, embedder, settings: { ...DEFAULT_RETRIEVAL_SETTINGS, minScore }, readerPage });
      const [far] = await ask(0);
      const [near] = await ask(0, '/v1/');
      expect(far?.path).toBe('v2/client/options.md');
      expect(near?.path).toBe('v1/client/options.md');
      expect(near!.score).toBeLessThan(far!.score);
      const between = (near!.score + far!.score) / 2;
      expect((await ask(between, '/v1/')).map((r) => r.path)).toEqual(['v2/client/options.md']);
    } finally {
      await database.close();
    }
  });
});
