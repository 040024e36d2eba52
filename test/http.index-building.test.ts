import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { createApp } from '../server/http/app';
import { indexBuildingMessage } from '../server/http/index-building';
import { createIndexStatus } from '../server/index-status';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';
import { seedDocuments } from './helpers/seed';

describe('the API while the ingest on start runs', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await seedDocuments(database.db, createHashingEmbedder(), [{ path: 'tickets.md', title: 'Tickets', sections: [{ heading: 'Tickets', text: 'Ferry tickets are sold at the pier kiosk.' }] }]);
  });
  afterAll(async () => database?.close());

  const chatBody = JSON.stringify({
    id: 'c1',
    trigger: 'submit-message',
    messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'Where are ferry tickets sold?' }] }],
  });

  it('building a first index: health answers 200 status "building" with the progress; search and chat 503 index_building with Retry-After', async () => {
    let clock = 0;
    const indexStatus = createIndexStatus(() => clock);
    const app = createApp({ database, config: loadConfig({}), embedder: createHashingEmbedder(), indexStatus, siteDir: false });
    indexStatus.begin('building');
    indexStatus.progress({ phase: 'embed', done: 0, total: 1000 });
    clock = 60_000;
    indexStatus.progress({ phase: 'embed', done: 200, total: 1000 });
    indexStatus.progress({ phase: 'document', done: 30, total: 150, path: 'a.md' });

    const health = await app.request('/api/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      status: 'building',
      database: 'pglite',
      documents: 1,
      chunks: 1,
      embeddingModel: 'test:hashing@512',
      index: { state: 'building', phase: 'embedding', pagesWritten: 30, pagesToWrite: 150, chunksEmbedded: 200, chunksToEmbed: 1000, secondsLeft: 240 },
    });

    const search = await app.request('/api/search?q=ferry');
    expect(search.status).toBe(503);
    expect(search.headers.get('retry-after')).toBe('60');
    expect(await search.json()).toEqual({
      error: {
        code: 'index_building',
        message: 'Docent is still indexing the docs for the first time (30 of 150 pages so far): it can answer in about 4 minutes. The docs pages can be read meanwhile.',
      },
    });
    // Asked before the reader exists: no session is created for a question that cannot be answered.
    const chat = await app.request('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: chatBody });
    expect(chat.status).toBe(503);
    expect(chat.headers.get('set-cookie')).toBeNull();
    expect(((await chat.json()) as { error: { code: string } }).error.code).toBe('index_building');
    // A bad query is told as such at once, not only once the index is built.
    const badSearch = await app.request('/api/search?q=ferry&k=0');
    expect(badSearch.status).toBe(400);
    expect(await badSearch.json()).toEqual({ error: { code: 'invalid_query', message: 'Invalid query parameters: k: k must be a whole number from 1 to 50' } });
    expect((await app.request('/api/search')).status).toBe(400);
    // So is a chat body that holds no question, and a method neither route takes.
    const post = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
      app.request('/api/chat', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const noMessages = await post({ id: 'c1' });
    expect(noMessages.status).toBe(400);
    expect(await noMessages.json()).toEqual({ error: { code: 'invalid_body', message: 'Invalid request body: messages: messages must be an array' } });
    const answerLast = await post({ id: 'c1', messages: [{ id: 'a1', role: 'assistant', parts: [{ type: 'text', text: 'Hello' }] }] });
    expect(answerLast.status).toBe(400);
    expect(((await answerLast.json()) as { error: { message: string } }).error.message).toMatch(/the last message must be the user’s question/);
    expect((await post(chatBody, { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post('{"id":')).status).toBe(400);
    const postSearch = await app.request('/api/search?q=ferry', { method: 'POST' });
    expect(postSearch.status).toBe(405);
    expect(postSearch.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    const getChat = await app.request('/api/chat');
    expect(getChat.status).toBe(405);
    expect(((await getChat.json()) as { error: { code: string } }).error.code).toBe('method_not_allowed');
    // A valid question still waits for the index.
    expect((await post(chatBody)).status).toBe(503);
    // What does not answer from the index still works.
    expect((await app.request('/api/settings')).status).toBe(200);
    expect((await app.request('/api/sources')).status).toBe(200);

    indexStatus.end();
    expect(await (await app.request('/api/health')).json()).toMatchObject({ status: 'ok', index: { state: 'ready' } });
    expect((await app.request('/api/search?q=ferry')).status).toBe(200);
  });

  it('building a first index while it reads the pages: health says phase "reading" with pagesRead of pagesToRead, and so does the 503 message', async () => {
    const indexStatus = createIndexStatus();
    const app = createApp({ database, config: loadConfig({}), embedder: createHashingEmbedder(), indexStatus, siteDir: false });
    indexStatus.begin('building');
    expect(await (await app.request('/api/health')).json()).toMatchObject({ status: 'building', index: { state: 'building', phase: 'scanning' } });
    indexStatus.progress({ phase: 'scan', done: 1856, total: 1856 });
    indexStatus.progress({ phase: 'read', done: 120, total: 1856 });
    const health = (await (await app.request('/api/health')).json()) as { index: Record<string, unknown> };
    expect(health.index).toEqual({ state: 'building', phase: 'reading', pagesRead: 120, pagesToRead: 1856 });
    const search = await app.request('/api/search?q=ferry');
    expect(search.status).toBe(503);
    expect(((await search.json()) as { error: { message: string } }).error.message).toBe(
      'Docent is still indexing the docs for the first time (reading the pages: 120 of 1,856): it can answer in a few minutes. The docs pages can be read meanwhile.',
    );
  });

  it('building a large first index a batch at a time: secondsLeft counts the chunks of the pages not read yet, also while the next batch is read', async () => {
    let clock = 0;
    const indexStatus = createIndexStatus(() => clock);
    indexStatus.begin('building');
    // The first batch: 500 of 2,000 pages read, 1,000 chunks to embed.
    indexStatus.progress({ phase: 'read', done: 500, total: 2000 });
    indexStatus.progress({ phase: 'embed', done: 0, total: 1000 });
    clock = 100_000;
    indexStatus.progress({ phase: 'embed', done: 1000, total: 1000 });
    indexStatus.progress({ phase: 'document', done: 500, total: 500, path: 'a.md' });
    // 100 s for 1,000 chunks, 3,000 more expected for the 1,500 pages not read: 300 s.
    expect(indexStatus.report()).toMatchObject({ phase: 'embedding', chunksEmbedded: 1000, chunksToEmbed: 1000, secondsLeft: 300 });
    // Reading the second batch: the estimate holds (the time spent reading counts).
    clock = 120_000;
    indexStatus.progress({ phase: 'read', done: 700, total: 2000 });
    expect(indexStatus.report()).toMatchObject({ phase: 'reading', pagesRead: 700, pagesToRead: 2000, pagesWritten: 500, secondsLeft: 360 });
    expect(indexBuildingMessage(indexStatus.report())).toBe(
      'Docent is still indexing the docs for the first time (reading the pages: 700 of 2,000, 500 indexed): it can answer in about 6 minutes. The docs pages can be read meanwhile.',
    );
    indexStatus.progress({ phase: 'read', done: 1000, total: 2000 });
    indexStatus.progress({ phase: 'embed', done: 1000, total: 2000 });
    expect(indexStatus.report()).toMatchObject({ phase: 'embedding', chunksToEmbed: 2000, secondsLeft: 360 });
  });

  it('secondsLeft goes down while the next batch is read, at the pace reading has gone, and does not jump when it is embedded', async () => {
    let clock = 0;
    const indexStatus = createIndexStatus(() => clock);
    indexStatus.begin('building');
    // The first batch: 400 of 1,200 pages read in 40 s, 800 chunks embedded in 80 s.
    indexStatus.progress({ phase: 'read', done: 0, total: 1200 });
    clock = 40_000;
    indexStatus.progress({ phase: 'read', done: 400, total: 1200 });
    indexStatus.progress({ phase: 'embed', done: 0, total: 800 });
    clock = 120_000;
    indexStatus.progress({ phase: 'embed', done: 800, total: 800 });
    // 800 pages to read at 0.1 s each, 1,600 chunks expected of them at 0.1 s each: 240 s.
    expect(indexStatus.report().secondsLeft).toBe(240);
    // Reading the next batch: 20 s for 200 pages, and the estimate is 20 s less.
    indexStatus.progress({ phase: 'read', done: 400, total: 1200 });
    clock = 140_000;
    indexStatus.progress({ phase: 'read', done: 600, total: 1200 });
    expect(indexStatus.report()).toMatchObject({ phase: 'reading', secondsLeft: 220 });
    // Its 400 chunks (as many per page as before) arrive: the same estimate.
    indexStatus.progress({ phase: 'embed', done: 800, total: 1200 });
    expect(indexStatus.report()).toMatchObject({ phase: 'embedding', secondsLeft: 220 });
  });

  it('a batch read that adds no chunk to embed lowers the chunks expected of the pages not read yet', async () => {
    let clock = 0;
    const indexStatus = createIndexStatus(() => clock);
    indexStatus.begin('building');
    indexStatus.progress({ phase: 'read', done: 500, total: 1500 });
    indexStatus.progress({ phase: 'embed', done: 0, total: 1000 });
    clock = 100_000;
    indexStatus.progress({ phase: 'embed', done: 1000, total: 1000 });
    // 1,000 pages not read: 2,000 chunks expected of them (2 a page), at 0.1 s each.
    expect(indexStatus.report().secondsLeft).toBe(200);
    // The next 500 pages were unchanged copies: no chunk to embed. Ingest still sends the embed event.
    indexStatus.progress({ phase: 'read', done: 1000, total: 1500 });
    indexStatus.progress({ phase: 'embed', done: 1000, total: 1000 });
    // 1,000 chunks of 1,000 pages read: 500 more expected of the last 500 pages.
    expect(indexStatus.report().secondsLeft).toBe(50);
  });

  it('a first index whose ingest failed part way: health says "incomplete" with the reason and how far it got; search and chat 503 index_incomplete until it is finished', async () => {
    const indexStatus = createIndexStatus();
    const app = createApp({ database, config: loadConfig({}), embedder: createHashingEmbedder(), indexStatus, siteDir: false });
    indexStatus.begin('building');
    indexStatus.progress({ phase: 'read', done: 150, total: 150 });
    indexStatus.progress({ phase: 'document', done: 30, total: 150, path: 'a.md' });
    indexStatus.markIncomplete('The first ingest failed part way.');
    const health = await app.request('/api/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'incomplete',
      index: { state: 'incomplete', pagesWritten: 30, pagesToWrite: 150, reason: 'The first ingest failed part way.' },
    });
    const search = await app.request('/api/search?q=ferry');
    expect(search.status).toBe(503);
    expect(await search.json()).toEqual({
      error: {
        code: 'index_incomplete',
        message: 'Docent cannot answer yet: indexing the docs stopped part way (30 of 150 pages), and answers from part of the docs could be wrong. The docs pages can be read meanwhile.',
      },
    });
    const chat = await app.request('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: chatBody });
    expect(chat.status).toBe(503);
    // Finished by a later ingest: answers.
    indexStatus.end();
    expect(await (await app.request('/api/health')).json()).toMatchObject({ status: 'ok', index: { state: 'ready' } });
    expect((await app.request('/api/search?q=ferry')).status).toBe(200);
  });

  it('building before the ingest knows its size: a wait of a few minutes, Retry-After 30', async () => {
    const indexStatus = createIndexStatus();
    const app = createApp({ database, config: loadConfig({}), embedder: createHashingEmbedder(), indexStatus, siteDir: false });
    indexStatus.begin('building');
    const search = await app.request('/api/search?q=ferry');
    expect(search.status).toBe(503);
    expect(search.headers.get('retry-after')).toBe('30');
    expect(((await search.json()) as { error: { message: string } }).error.message).toBe(
      'Docent is still indexing the docs for the first time: it can answer in a few minutes. The docs pages can be read meanwhile.',
    );
    expect(await (await app.request('/api/health')).json()).toMatchObject({ status: 'building', index: { state: 'building' } });
  });

  it('updating an existing index: health is "ok" with the progress, and search answers from the index', async () => {
    const indexStatus = createIndexStatus();
    const app = createApp({ database, config: loadConfig({}), embedder: createHashingEmbedder(), indexStatus, siteDir: false });
    indexStatus.begin('updating');
    indexStatus.progress({ phase: 'document', done: 1, total: 4, path: 'a.md' });
    const health = await app.request('/api/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', documents: 1, index: { state: 'updating', pagesWritten: 1, pagesToWrite: 4 } });
    const search = await app.request('/api/search?q=ferry+tickets');
    expect(search.status).toBe(200);
    expect(((await search.json()) as { results: { path: string }[] }).results[0]?.path).toBe('tickets.md');
  });

  it('sources no ingest ever finished: health says "incomplete" with their reason, also while the ingest on start updates, until cleared', async () => {
    const indexStatus = createIndexStatus();
    const app = createApp({ database, config: loadConfig({}), embedder: createHashingEmbedder(), indexStatus, siteDir: false });
    indexStatus.begin('updating');
    indexStatus.holdIncomplete('No ingest of source "extra" ever finished.');
    indexStatus.progress({ phase: 'document', done: 1, total: 4, path: 'a.md' });
    expect(await (await app.request('/api/health')).json()).toMatchObject({
      status: 'incomplete',
      index: { state: 'incomplete', phase: 'embedding', pagesWritten: 1, pagesToWrite: 4, reason: 'No ingest of source "extra" ever finished.' },
    });
    expect(((await (await app.request('/api/search?q=ferry')).json()) as { error: { code: string } }).error.code).toBe('index_incomplete');
    indexStatus.end();
    expect(indexStatus.report()).toMatchObject({ state: 'incomplete', reason: 'No ingest of source "extra" ever finished.' });
    indexStatus.holdIncomplete(undefined);
    expect(indexStatus.report()).toEqual({ state: 'ready' });
    expect((await app.request('/api/search?q=ferry')).status).toBe(200);
  });

  it("an incomplete first index that npm run ingest is finishing: health shows that run's progress, still 'incomplete'", async () => {
    const indexStatus = createIndexStatus();
    indexStatus.begin('building');
    indexStatus.progress({ phase: 'document', done: 2, total: 9, path: 'b.md' });
    indexStatus.markIncomplete('The first ingest failed part way.');
    indexStatus.progress({ phase: 'document', done: 3, total: 9, path: 'c.md' }); // not this run's: ignored
    expect(indexStatus.report()).toEqual({ state: 'incomplete', pagesWritten: 2, pagesToWrite: 9, reason: 'The first ingest failed part way.' });
    const untrack = indexStatus.track();
    expect(indexStatus.report()).toEqual({ state: 'incomplete', phase: 'scanning', reason: 'The first ingest failed part way.' });
    indexStatus.progress({ phase: 'read', done: 5, total: 7 });
    indexStatus.progress({ phase: 'embed', done: 10, total: 40 });
    expect(indexStatus.report()).toMatchObject({ state: 'incomplete', phase: 'embedding', pagesRead: 5, pagesToRead: 7, chunksEmbedded: 10, chunksToEmbed: 40 });
    untrack();
    expect(indexStatus.report()).not.toHaveProperty('phase');
    expect(indexStatus.report()).toMatchObject({ state: 'incomplete', chunksEmbedded: 10 });
  });
});
