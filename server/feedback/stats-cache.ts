/**
 * The review statistics of recent requests, kept for a short time on the embedded database.
 *
 * PGlite answers one statement at a time. The statistics are read in slices that let readers'
 * statements through (`feedbackStats`), but take up to a second or more on a large database
 * (BENCHMARKS.md). The review page asks for them again for filters it showed before, on a reload,
 * in a second tab: those are answered from here, and identical requests that arrive together
 * share one reading.
 * New or changed feedback empties it at once, and so does a change of the indexed pages (whether a
 * page was removed is part of the statistics): kept statistics carry the `stamp` of the pages they
 * were read with. New answers show within {@link STATS_CACHE_TTL_MS}. On Postgres, which answers
 * requests side by side and may be written by several instances, nothing is kept.
 */
import type { FeedbackStats, ReviewStatsQuery } from './review';

/** How long statistics are kept, in ms. */
export const STATS_CACHE_TTL_MS = 30_000;

/** Most filter combinations kept (the oldest goes first). */
export const STATS_CACHE_MAX_ENTRIES = 50;

export interface StatsCache {
  /** The statistics for `query`: kept ones if fresh, else from `compute` (shared by identical requests meanwhile). */
  get(query: Partial<ReviewStatsQuery>, compute: () => Promise<FeedbackStats>): Promise<FeedbackStats>;
  /** Forgets every kept statistic (feedback was given or changed). */
  invalidate(): void;
}

export interface StatsCacheOptions {
  /** How long statistics are kept, in ms. Default {@link STATS_CACHE_TTL_MS}; 0 keeps nothing. */
  ttlMs?: number;
  /** For tests (ms). Default `Date.now`. */
  now?: () => number;
  /**
   * What the statistics also depend on besides feedback, read before kept ones are used: they are
   * kept only while it is the same (the review uses `indexedPagesStamp` of `review.ts`). Default: nothing.
   */
  stamp?: () => Promise<string>;
}

/** The statistics' own parameters, in a fixed order: the list's paging does not change them. */
function cacheKey(query: Partial<ReviewStatsQuery>): string {
  const { vote, rating, from, to, source, hasComment, timeZone } = query;
  return JSON.stringify([vote, rating, from, to, source, hasComment, timeZone ?? 'UTC']);
}

/** A cache of review statistics per filter, kept `ttlMs` and emptied by {@link StatsCache.invalidate}. */
export function createStatsCache(options: StatsCacheOptions = {}): StatsCache {
  const ttlMs = options.ttlMs ?? STATS_CACHE_TTL_MS;
  const now = options.now ?? Date.now;
  const stampOf = options.stamp ?? (async () => '');
  const kept = new Map<string, { stats: Promise<FeedbackStats>; at: number; stamp: string }>();
  /** Bumped by each invalidation: a statement that began before one is not kept. */
  let generation = 0;
  return {
    async get(query, compute) {
      if (ttlMs <= 0) return compute();
      const key = cacheKey(query);
      const began = generation;
      const stamp = await stampOf();
      const entry = kept.get(key);
      if (entry && entry.stamp === stamp && now() - entry.at < ttlMs) return entry.stats;
      if (began !== generation) return compute();
      const at = now();
      const stats = compute();
      kept.delete(key);
      kept.set(key, { stats, at, stamp });
      if (kept.size > STATS_CACHE_MAX_ENTRIES) kept.delete(kept.keys().next().value!);
      // A failure is not kept, nor statistics read before feedback changed.
      const forget = () => {
        if (kept.get(key)?.stats === stats) kept.delete(key);
      };
      stats.then(() => began !== generation && forget(), forget);
      return stats;
    },
    invalidate() {
      generation++;
      kept.clear();
    },
  };
}

/** A cache that keeps nothing (Postgres). */
export const noStatsCache: StatsCache = { get: (_query, compute) => compute(), invalidate: () => {} };
