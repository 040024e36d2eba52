/** The widget's API client (site/src/chat/api.ts): request bodies. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDocentApi } from '../site/src/chat/api';

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
