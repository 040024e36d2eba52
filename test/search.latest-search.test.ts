/**
 * Searching as the reader types (site/src/search/latest-search.ts): one request after a pause in
 * typing, older requests aborted, answers to older queries ignored whenever they arrive, answers
 * kept for queries asked again. Time is vitest's fake clock; the searches are promises the test
 * settles in the order it wants.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLatestSearch, type LatestSearchState } from '../site/src/search/latest-search';

interface Call {
  query: string;
  signal: AbortSignal;
  resolve(result: string[]): void;
  reject(error: unknown): void;
}

function setUp(delayMs = 250) {
  const calls: Call[] = [];
  const states: LatestSearchState<string[]>[] = [];
  const search = createLatestSearch<string[]>({
    delayMs,
    // A search that ignores its signal: an answer may still arrive after it was aborted.
    search: (query, signal) =>
      new Promise((resolve, reject) => {
        calls.push({ query, signal, resolve, reject });
      }),
    onChange: (state) => states.push(state),
  });
  return { search, calls, states, last: () => states.at(-1) };
}

/** Lets the settled promises' callbacks run. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('createLatestSearch', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('searches once typing has paused, not on every keystroke', async () => {
    const { search, calls, last } = setUp();
    for (const text of ['p', 'po', 'por', 'port']) {
      search.setQuery(text);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(calls).toEqual([]);
    expect(last()).toEqual({ status: 'searching', query: 'port' });
    await vi.advanceTimersByTimeAsync(250);
    expect(calls.map((c) => c.query)).toEqual(['port']);
    calls[0]!.resolve(['/config/#port']);
    await settle();
    expect(last()).toEqual({ status: 'done', query: 'port', result: ['/config/#port'] });
  });

  it('aborts the request of an older query, and ignores its answer when it arrives after the newer one', async () => {
    const { search, calls, states, last } = setUp();
    search.setQuery('port');
    await vi.advanceTimersByTimeAsync(250);
    search.setQuery('host');
    await vi.advanceTimersByTimeAsync(250);
    expect(calls.map((c) => [c.query, c.signal.aborted])).toEqual([
      ['port', true],
      ['host', false],
    ]);
    calls[1]!.resolve(['/config/#host']);
    await settle();
    calls[0]!.resolve(['/config/#port']);
    await settle();
    expect(last()).toEqual({ status: 'done', query: 'host', result: ['/config/#host'] });
    expect(states.filter((s) => s.status === 'done').map((s) => s.query)).toEqual(['host']);
  });

  it('ignores an older query’s answer that arrives first, while the newer one is still waited for', async () => {
    const { search, calls, last } = setUp();
    search.setQuery('port');
    await vi.advanceTimersByTimeAsync(250);
    search.setQuery('host');
    calls[0]!.resolve(['/config/#port']);
    await settle();
    expect(last()).toEqual({ status: 'searching', query: 'host' });
    calls[0]!.reject(new DOMException('The operation was aborted.', 'AbortError'));
    await settle();
    expect(last()).toEqual({ status: 'searching', query: 'host' });
  });

  it('reports the failure of the latest search, and not that of an aborted one', async () => {
    const { search, calls, last } = setUp();
    search.setQuery('port');
    await vi.advanceTimersByTimeAsync(250);
    search.setQuery('host');
    await vi.advanceTimersByTimeAsync(250);
    calls[0]!.reject(new DOMException('The operation was aborted.', 'AbortError'));
    await settle();
    expect(last()).toEqual({ status: 'searching', query: 'host' });
    const refused = new Error('Too many searches');
    calls[1]!.reject(refused);
    await settle();
    expect(last()).toEqual({ status: 'failed', query: 'host', error: refused });
    // Try again: the same query is searched again, at once.
    search.retry();
    expect(calls.map((c) => c.query)).toEqual(['port', 'host', 'host']);
  });

  it('answers a query asked before from what it kept, without a request', async () => {
    const { search, calls, last } = setUp();
    search.setQuery('port');
    await vi.advanceTimersByTimeAsync(250);
    calls[0]!.resolve(['/config/#port']);
    await settle();
    search.setQuery('ports');
    await vi.advanceTimersByTimeAsync(250);
    calls[1]!.resolve(['/config/#ports']);
    await settle();
    search.setQuery('port');
    expect(last()).toEqual({ status: 'done', query: 'port', result: ['/config/#port'] });
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(2);
  });

  it('searches nothing for text shorter than two characters, and stops what was under way', async () => {
    const { search, calls, last } = setUp();
    search.setQuery('port');
    await vi.advanceTimersByTimeAsync(250);
    search.setQuery(' p ');
    expect(last()).toEqual({ status: 'idle', query: 'p' });
    expect(calls[0]!.signal.aborted).toBe(true);
    calls[0]!.resolve(['/config/#port']);
    await settle();
    expect(last()).toEqual({ status: 'idle', query: 'p' });
  });

  it('searches at once on flush, and not again when the pause ends', async () => {
    const { search, calls } = setUp();
    search.setQuery('port');
    search.flush();
    expect(calls.map((c) => c.query)).toEqual(['port']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(1);
  });

  it('asks nothing more after cancel, and ignores the answer in flight', async () => {
    const { search, calls, states } = setUp();
    search.setQuery('port');
    await vi.advanceTimersByTimeAsync(250);
    search.setQuery('host');
    search.cancel();
    expect(calls[0]!.signal.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    calls[0]!.resolve(['/config/#port']);
    await settle();
    expect(calls).toHaveLength(1);
    expect(states.some((s) => s.status === 'done')).toBe(false);
  });
});
