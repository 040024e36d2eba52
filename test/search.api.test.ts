/**
 * The docs search's request and its failures (site/src/search/search-api.ts), against a local
 * HTTP server answering as the Docent server does (and as servers that are not Docent do).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocentApi } from '../site/src/chat/api';
import { describeSearchFailure, NO_SERVER_MESSAGE, NotDocentError, searchDocs } from '../site/src/search/search-api';
import { type ListeningServer, listenOnFreePort } from './helpers/listen';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('searchDocs', () => {
  let server: ListeningServer;
  let answer: (request: Request) => Response = () => json(200, { results: [] });
  const requests: URL[] = [];

  beforeAll(async () => {
    server = await listenOnFreePort((request) => {
      requests.push(new URL(request.url));
      return answer(request);
    });
  });
  afterAll(() => server?.close());

  /** Searches `query` on the test server and returns what searchDocs resolved or rejected with. */
  async function run(query = 'change the port', context = {}): Promise<unknown> {
    try {
      return await searchDocs(createDocentApi(server.url), query, new AbortController().signal, context);
    } catch (error) {
      return error;
    }
  }

  it('asks GET /api/search with the query, a dialog’s worth of results, the page’s language and path', async () => {
    answer = () =>
      json(200, {
        results: [
          { rank: 1, score: 0.74, path: 'reference/configuration.md', title: 'Configuration', headings: ['Configuration', 'Server', 'PORT'], anchor: 'port', url: '/reference/configuration/#port', text: 'The port.' },
          { rank: 2, title: 'No URL' },
        ],
      });
    const results = await run('change the port', { language: 'fr', page: '/guide/x/' });
    const asked = requests.at(-1)!;
    expect(asked.pathname).toBe('/api/search');
    expect(Object.fromEntries(asked.searchParams)).toEqual({ q: 'change the port', k: '10', language: 'fr', page: '/guide/x/' });
    // Resolved against the server (the same origin on the docs site); a result without a URL is left out.
    expect(results).toEqual([{ url: `${server.url}/reference/configuration/#port`, title: 'Configuration', headings: ['Configuration', 'Server', 'PORT'], text: 'The port.' }]);
  });

  it('takes a page served instead of JSON for a server that is not Docent', async () => {
    answer = () => new Response('<!doctype html><title>Docs</title>', { status: 200, headers: { 'content-type': 'text/html' } });
    const error = await run();
    expect(error).toBeInstanceOf(NotDocentError);
    expect(describeSearchFailure(error, 'http:')).toEqual({ kind: 'no-server', message: NO_SERVER_MESSAGE });
  });

  it('says a static file server’s 404 page means search needs the Docent server', async () => {
    answer = () => new Response('<html><body>404 Not Found</body></html>', { status: 404, headers: { 'content-type': 'text/html' } });
    expect(describeSearchFailure(await run(), 'http:')).toEqual({ kind: 'no-server', message: NO_SERVER_MESSAGE });
  });

  it('passes on the server’s words while the first index is built', async () => {
    const message = 'Docent is still indexing the docs for the first time (12 of 40 pages so far): it can answer in about a minute. The docs pages can be read meanwhile.';
    answer = () => json(503, { error: { code: 'index_building', message } }, { 'retry-after': '30' });
    expect(describeSearchFailure(await run(), 'http:')).toEqual({ kind: 'index-building', message });
  });

  it('says the reader searched too often, in Docent’s words or, from a proxy, in its own', async () => {
    answer = () => json(429, { error: { code: 'too_many_requests', message: 'Too many searches: at most 60 per 60 s. Try again in 12 s.' } }, { 'retry-after': '12' });
    expect(describeSearchFailure(await run(), 'http:')).toEqual({ kind: 'rate-limited', message: 'Too many searches: at most 60 per 60 s. Try again in 12 s.' });
    answer = () => new Response('{"message":"slow down"}', { status: 429 });
    expect(describeSearchFailure(await run(), 'http:')).toEqual({ kind: 'rate-limited', message: 'Too many searches in a short time. Wait a moment, then try again.' });
  });

  it('never shows a body that is not Docent’s error as it is', async () => {
    answer = () => new Response('{"stack":"Error: boom\\n    at handler (server.ts:1:1)"}', { status: 500 });
    const failure = describeSearchFailure(await run(), 'http:');
    expect(failure.kind).toBe('failed');
    expect(failure.message).toBe('The Docent server answered 500 Internal Server Error: it may be restarting or overloaded. Try again in a moment.');
  });

  it('says the server cannot be reached, or, for a site opened from files, that search needs the server', () => {
    // What a browser's fetch throws (Node's says "fetch failed": the browser test plays the real one).
    const error = new TypeError('Failed to fetch');
    expect(describeSearchFailure(error, 'http:')).toEqual({ kind: 'unreachable', message: 'Could not reach the Docent server. Check your connection and try again.' });
    expect(describeSearchFailure(error, 'file:')).toEqual({ kind: 'no-server', message: NO_SERVER_MESSAGE });
  });
});
