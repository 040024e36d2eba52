/** The widget's API client (site/src/chat/api.ts): error sentences and request bodies. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiRequestError, createDocentApi, describeError } from '../site/src/chat/api';

describe('describeError', () => {
  const unreachable = 'Could not reach the Docent server. Check your connection and try again.';

  it('turns every browser’s network failure into one sentence', () => {
    expect(describeError(new TypeError('Failed to fetch'))).toBe(unreachable); // Chromium, before the response
    expect(describeError(new TypeError('network error'))).toBe(unreachable); // Chromium, connection lost mid-answer
    expect(describeError(new TypeError('NetworkError when attempting to fetch resource.'))).toBe(unreachable); // Firefox
    expect(describeError(new TypeError('Load failed'))).toBe(unreachable); // Safari
  });

  it('names CORS_ORIGINS when the widget on another site cannot reach its server (how a browser reports a CORS refusal)', () => {
    vi.stubGlobal('location', { origin: 'https://docs.example.com' });
    try {
      const elsewhere = describeError(new TypeError('Failed to fetch'), 'https://docent.example.com');
      expect(elsewhere).toBe(`${unreachable} (If you run this site: the Docent server must list https://docs.example.com in CORS_ORIGINS.)`);
      expect(describeError(new TypeError('Failed to fetch'), 'https://docs.example.com/')).toBe(unreachable);
      expect(describeError(new TypeError('Failed to fetch'), '')).toBe(unreachable);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('never shows an HTML page as the message', () => {
    expect(describeError(new Error('<html><head><title>502 Bad Gateway</title></head></html>'))).toBe(
      'The Docent server answered with an error page instead of an answer. Try again in a moment.',
    );
  });

  it('keeps the server’s own message', () => {
    expect(describeError(new ApiRequestError(429, 'rate_limited', 'Slow down.'))).toBe('Slow down.');
    expect(describeError(new Error('{"error":{"code":"busy","message":"The answer service is busy."}}'))).toBe('The answer service is busy.');
  });
});

describe('sendFeedback', () => {
  afterEach(() => vi.unstubAllGlobals());

  function captureBodies() {
    const bodies: unknown[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        bodies.push(JSON.parse(String(init.body)));
        return new Response('{"feedback":{}}', { status: 200, headers: { 'content-type': 'application/json' } });
      }),
    );
    return bodies;
  }

  it('sends a cleared comment and rating as null, since the server keeps a field left out', async () => {
    const bodies = captureBodies();
    const api = createDocentApi('');
    await api.sendFeedback('m1', { vote: 'down', rating: null, comment: null });
    await api.sendFeedback('m1', { vote: 'down', rating: 3, comment: '   ' });
    await api.sendFeedback('m1', { vote: 'up', rating: 4, comment: '  Helpful.  ' });
    expect(bodies).toEqual([
      { vote: 'down', rating: null, comment: null },
      { vote: 'down', rating: 3, comment: null },
      { vote: 'up', rating: 4, comment: 'Helpful.' },
    ]);
  });
});

describe('request errors', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('names the status of an error response that is not Docent’s JSON (a proxy’s page), and keeps Docent’s own', async () => {
    const responses = [
      new Response('<html><title>502 Bad Gateway</title></html>', { status: 502, statusText: 'Bad Gateway', headers: { 'content-type': 'text/html' } }),
      new Response(JSON.stringify({ error: { code: 'not_found', message: 'No chat "x" among your chats.' } }), { status: 404 }),
    ];
    vi.stubGlobal('fetch', vi.fn(async () => responses.shift()!));
    const api = createDocentApi('https://docent.example.com');
    await expect(api.listChats()).rejects.toMatchObject({
      status: 502,
      code: 'http_502',
      message: 'The Docent server answered 502 Bad Gateway: it may be restarting or overloaded. Try again in a moment.',
    });
    await expect(api.getChat('x')).rejects.toMatchObject({ status: 404, code: 'not_found', message: 'No chat "x" among your chats.' });
  });
});
