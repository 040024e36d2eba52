/**
 * Search as the reader types, without a request per keystroke: a query is searched once typing
 * has paused for `delayMs`; a newer query aborts the request of an older one (AbortController),
 * and a response that still arrives after a newer query was asked is ignored, so what the reader
 * sees is always the answer to what the box says. Answers are kept for the last few queries, so
 * going back to one (deleting the letters typed since) asks nothing again. No DOM, no React: the
 * docs search dialog drives it and renders what {@link LatestSearchOptions.onChange} says.
 */

/** Where the search of the current query is. */
export type LatestSearchState<T> =
  | { status: 'idle'; query: string }
  | { status: 'searching'; query: string }
  | { status: 'done'; query: string; result: T }
  | { status: 'failed'; query: string; error: unknown };

export interface LatestSearchOptions<T> {
  /** Runs one search; must stop when `signal` aborts. */
  search(query: string, signal: AbortSignal): Promise<T>;
  /** Called with each new state. */
  onChange(state: LatestSearchState<T>): void;
  /** Pause in typing before a query is searched, in ms. Default 250. */
  delayMs?: number;
  /** Shorter queries (after trimming) are not searched: the state is `idle`. Default 2. */
  minLength?: number;
  /** Queries whose answers are kept. Default 20. */
  cacheSize?: number;
}

export interface LatestSearch {
  /** The text of the search box changed. */
  setQuery(query: string): void;
  /** Searches the current query now rather than after the pause (the reader pressed Enter). */
  flush(): void;
  /** Searches the current query again at once (after a failure). */
  retry(): void;
  /** Stops waiting and aborts the request in flight (the dialog closed). */
  cancel(): void;
}

export const DEFAULT_SEARCH_DELAY_MS = 250;

export function createLatestSearch<T>(options: LatestSearchOptions<T>): LatestSearch {
  const { search, onChange, delayMs = DEFAULT_SEARCH_DELAY_MS, minLength = 2, cacheSize = 20 } = options;
  const cache = new Map<string, T>();
  let query = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: AbortController | undefined;
  /** The number of the latest search started: an answer to any other is stale. */
  let latest = 0;
  /** The state last said. */
  let shown: LatestSearchState<T> | undefined;

  const emit = (state: LatestSearchState<T>) => {
    shown = state;
    onChange(state);
  };

  const stopWaiting = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const abortInFlight = () => {
    // Whatever is in flight now answers a query that is no longer the box's.
    latest++;
    inFlight?.abort();
    inFlight = undefined;
  };

  const remember = (key: string, result: T) => {
    cache.delete(key);
    cache.set(key, result);
    if (cache.size > cacheSize) cache.delete(cache.keys().next().value as string);
  };

  const run = () => {
    stopWaiting();
    abortInFlight();
    const asked = query;
    const id = latest;
    const controller = new AbortController();
    inFlight = controller;
    search(asked, controller.signal).then(
      (result) => {
        remember(asked, result);
        if (id !== latest) return;
        inFlight = undefined;
        emit({ status: 'done', query: asked, result });
      },
      (error: unknown) => {
        if (id !== latest || controller.signal.aborted) return;
        inFlight = undefined;
        emit({ status: 'failed', query: asked, error });
      },
    );
  };

  return {
    setQuery(text) {
      const next = text.trim();
      // The same query (a space added): nothing to do, unless its search failed.
      if (next === query && shown?.query === next && shown.status !== 'failed') return;
      query = next;
      stopWaiting();
      // The request in flight answers what the box said before: its answer is of no use now.
      abortInFlight();
      if (next.length < minLength) {
        emit({ status: 'idle', query: next });
        return;
      }
      const kept = cache.get(next);
      if (kept !== undefined) {
        remember(next, kept);
        emit({ status: 'done', query: next, result: kept });
        return;
      }
      emit({ status: 'searching', query: next });
      timer = setTimeout(run, delayMs);
    },
    flush() {
      if (timer !== undefined) run();
    },
    retry() {
      if (query.length < minLength) return;
      emit({ status: 'searching', query });
      run();
    },
    cancel() {
      stopWaiting();
      abortInFlight();
      // Opened again, the box's text is searched again unless its answer was kept.
      query = '';
      shown = undefined;
    },
  };
}
