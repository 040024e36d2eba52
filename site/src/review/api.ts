/**
 * The review page's API calls. Login posts the admin token once (`POST /api/admin/login`), which
 * upgrades the visitor's httpOnly session cookie: the token is never kept in JavaScript-readable
 * storage. Responses are normalised to the shapes in `types.ts`.
 */
import type { DocentApi } from '../chat/api';
import { ApiRequestError, normalizeSettings } from '../chat/api';
import { normalizeSources } from '../chat/sources';
import type { EvalCase, RefusedQuestions, ReviewFilters, ReviewItem, ReviewPage, ReviewStats, ReviewSource, WeeklyStats } from './types';

const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | null => (v === null || v === undefined || v === '' || Number.isNaN(Number(v)) ? null : Number(v));

/**
 * Which page of the list to get: `limit` rows after the page whose `nextCursor` is `cursor`
 * (keyset paging, as fast at any depth), or from the start without one.
 */
export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

/**
 * Filters as query parameters (the names the review endpoints read), as the page keeps them in its
 * URL: `from` and `to` are the days picked (`YYYY-MM-DD`).
 */
export function filterParams(filters: ReviewFilters, page?: PageRequest): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.vote) params.set('vote', filters.vote);
  if (filters.rating) params.set('rating', String(filters.rating));
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  if (filters.source?.trim()) params.set('source', filters.source.trim());
  if (filters.hasComment !== undefined) params.set('hasComment', String(filters.hasComment));
  if (page) {
    params.set('limit', String(page.limit));
    if (page.cursor) params.set('cursor', page.cursor);
  }
  return params;
}

/**
 * Why the days picked can select nothing (`from` after `to`), for the filter form to say instead
 * of asking the server; `undefined` when they can (or either is not a `YYYY-MM-DD` day: the
 * server then says what is wrong).
 */
export function dateRangeProblem(filters: Pick<ReviewFilters, 'from' | 'to'>): string | undefined {
  const { from, to } = filters;
  const day = /^\d{4}-\d{2}-\d{2}$/;
  if (!from || !to || !day.test(from) || !day.test(to) || from <= to) return undefined;
  return `From (${from}) is after To (${to}): no answer can be rated in between. Pick a From on or before To.`;
}

/**
 * Midnight at the start of `day` (`YYYY-MM-DD`) plus `addDays`, in the browser's time zone, or
 * `undefined` when `day` is not such a date.
 */
export function localMidnight(day: string, addDays = 0): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const date = new Date(2000, 0, 1);
  date.setFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + addDays);
  date.setHours(0, 0, 0, 0);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * The query parameters sent to the review endpoints. The days picked are the maintainer's own days
 * (the table shows local times), so they go out as the instants they start and end in the browser's
 * time zone: `from` its local midnight, `to` the next local midnight less 1 ms. The server reads a
 * bare date as a UTC day, which west or east of UTC moves up to a day of feedback across each end.
 */
export function apiParams(filters: ReviewFilters, page?: PageRequest): URLSearchParams {
  const params = filterParams(filters, page);
  const from = filters.from ? localMidnight(filters.from) : undefined;
  if (from) params.set('from', from.toISOString());
  const afterTo = filters.to ? localMidnight(filters.to, 1) : undefined;
  if (afterTo) params.set('to', new Date(afterTo.getTime() - 1).toISOString());
  return params;
}

/** The browser's IANA time zone (`Europe/Paris`), or `undefined` when it does not say. */
export function browserTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The statistics' query parameters: {@link apiParams}, and the browser's time zone, so that the
 * weekly series counts the maintainer's own weeks (Monday to Sunday where they are), not UTC's.
 */
export function statsParams(filters: ReviewFilters, timeZone = browserTimeZone()): URLSearchParams {
  const params = apiParams(filters);
  if (timeZone) params.set('timeZone', timeZone);
  return params;
}

/** The inverse of {@link filterParams}, for filters kept in the page's URL. */
export function filtersFromParams(params: URLSearchParams): ReviewFilters {
  const vote = params.get('vote');
  const rating = Number(params.get('rating'));
  const hasComment = params.get('hasComment');
  return {
    vote: vote === 'up' || vote === 'down' ? vote : undefined,
    rating: Number.isInteger(rating) && rating >= 1 && rating <= 5 ? rating : undefined,
    from: params.get('from') || undefined,
    to: params.get('to') || undefined,
    source: params.get('source') || undefined,
    hasComment: hasComment === 'true' ? true : hasComment === 'false' ? false : undefined,
  };
}

function normalizeItem(value: unknown): ReviewItem | undefined {
  const r = rec(value);
  const messageId = str(r.messageId);
  if (!messageId) return undefined;
  const vote = r.vote === 'down' ? 'down' : 'up';
  const raw = new Map((Array.isArray(r.sources) ? r.sources : []).map((x, i) => [num(rec(x).rank) ?? i + 1, rec(x)]));
  const sources = normalizeSources(r.sources).map(
    (s): ReviewSource => ({ ...s, cited: s.cited ?? false, pageRemoved: raw.get(s.rank)?.pageRemoved === true, sectionRemoved: raw.get(s.rank)?.sectionRemoved === true }),
  );
  return {
    feedbackId: str(r.feedbackId) ?? str(r.id) ?? messageId,
    messageId,
    chatId: str(r.chatId) ?? '',
    vote,
    rating: num(r.rating),
    comment: str(r.comment) ?? null,
    createdAt: str(r.createdAt) ?? '',
    updatedAt: str(r.updatedAt) ?? str(r.createdAt) ?? '',
    question: str(r.question) ?? '',
    answer: str(r.answer) ?? '',
    status: str(r.status) ?? 'complete',
    model: str(r.model) ?? null,
    latencyMs: num(r.latencyMs),
    retrievalSettings: r.retrievalSettings ? normalizeSettings(r.retrievalSettings) : null,
    retrievalQuery: str(r.retrievalQuery) ?? null,
    citations: r.citations ? { valid: citationNumbers(rec(r.citations).valid), invalid: citationNumbers(rec(r.citations).invalid) } : null,
    answeredAt: str(r.answeredAt) ?? '',
    sources,
  };
}

/** The whole numbers of a citation list (`[1, 2]`), anything else left out. */
function citationNumbers(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((n): n is number => Number.isInteger(n)) : [];
}

export function normalizeStats(value: unknown): ReviewStats {
  const r = rec(value);
  const t = rec(r.totals);
  const weekly = (Array.isArray(r.weekly) ? r.weekly : []).map((w): WeeklyStats => {
    const x = rec(w);
    return {
      week: str(x.week) ?? '',
      feedback: num(x.feedback) ?? num(x.total) ?? 0,
      up: num(x.up) ?? 0,
      down: num(x.down) ?? 0,
      positiveRate: num(x.positiveRate),
      averageRating: num(x.averageRating),
    };
  });
  const docs = (Array.isArray(r.downvotedDocuments) ? r.downvotedDocuments : []).map((d) => {
    const x = rec(d);
    return {
      path: str(x.path) ?? '',
      title: str(x.title) ?? str(x.path) ?? '',
      cited: num(x.cited) ?? 0,
      retrieved: num(x.retrieved) ?? 0,
      pageRemoved: x.pageRemoved === true,
    };
  });
  const ratings = rec(t.ratings);
  return {
    totals: {
      feedback: num(t.feedback) ?? 0,
      up: num(t.up) ?? 0,
      down: num(t.down) ?? 0,
      positiveRate: num(t.positiveRate),
      withComment: num(t.withComment) ?? 0,
      averageRating: num(t.averageRating),
      ratings: Object.fromEntries(['1', '2', '3', '4', '5'].map((k) => [k, num(ratings[k]) ?? 0])),
      answers: num(t.answers),
      failedAnswers: num(t.failedAnswers) ?? 0,
      ratedFailed: num(t.ratedFailed) ?? 0,
    },
    weekly,
    downvotedDocuments: docs,
  };
}

export interface ReviewApi {
  session(): Promise<{ configured: boolean; admin: boolean }>;
  login(token: string): Promise<void>;
  logout(): Promise<void>;
  list(filters: ReviewFilters, page: PageRequest): Promise<ReviewPage>;
  /**
   * The statistics of `filters`. When `signal` is aborted while they wait for the list (the page
   * has moved on to other filters), they are not asked for: this rejects with the signal's reason.
   */
  stats(filters: ReviewFilters, signal?: AbortSignal): Promise<ReviewStats>;
  /** Questions refused before any answer began, since the server started; `undefined` from a server that does not count them. */
  refused(): Promise<RefusedQuestions | undefined>;
  /** The filtered list as a CSV file; throws an {@link ApiRequestError} (401 once the admin session has ended). */
  csv(filters: ReviewFilters): Promise<{ blob: Blob; filename: string }>;
  exportEvalCase(input: { messageId: string; question: string; gold: EvalCase['gold'] }): Promise<{ id: string; file: string | undefined }>;
}

/**
 * The review endpoints through `api`. The statistics of some filters are asked for once the list
 * request with those filters that is under way (if any) has been answered: the server reads one
 * query at a time, and the statistics read every rated answer, so asked for together they would
 * hold the first page back (on 100,000 rated answers, a cold server showed it after 0.75–1.9 s
 * instead of 0.4–0.76 s, and the charts no sooner).
 */
export function createReviewApi(api: DocentApi): ReviewApi {
  /** The list request under way, by its filters' query string. */
  let listing: { filters: string; done: Promise<unknown> } | undefined;
  return {
    async session() {
      const body = rec(await api.request<unknown>('/api/admin/session'));
      return { configured: body.configured !== false, admin: body.admin === true };
    },
    async login(token) {
      // It may create the visitor's user: in turn with the widget's first question or settings save, so both are one user's.
      await api.requestInTurn('/api/admin/login', { method: 'POST', body: JSON.stringify({ token }) });
    },
    async logout() {
      await api.request('/api/admin/logout', { method: 'POST', body: '{}' });
    },
    async list(filters, page) {
      const request = api.request<unknown>(`/api/review/feedback?${apiParams(filters, page)}`);
      const current = { filters: apiParams(filters).toString(), done: request.catch(() => undefined) };
      listing = current;
      void current.done.then(() => {
        if (listing === current) listing = undefined;
      });
      const body = rec(await request);
      const items = (Array.isArray(body.items) ? body.items : []).map(normalizeItem).filter((i): i is ReviewItem => i !== undefined);
      return {
        items,
        total: num(body.total) ?? items.length,
        limit: num(body.limit) ?? page.limit,
        offset: num(body.offset) ?? 0,
        nextCursor: str(body.nextCursor) ?? null,
      };
    },
    async stats(filters, signal) {
      if (listing?.filters === apiParams(filters).toString()) await listing.done;
      // Filters left meanwhile: statistics nobody would see would still be computed, and the next
      // list (one query at a time) would wait behind them.
      signal?.throwIfAborted();
      return normalizeStats(await api.request<unknown>(`/api/review/stats?${statsParams(filters)}`));
    },
    async refused() {
      let body: Record<string, unknown>;
      try {
        body = rec(await api.request<unknown>('/api/review/refused'));
      } catch (error) {
        if (error instanceof ApiRequestError && error.status === 404) return undefined;
        throw error;
      }
      const since = str(body.since);
      if (!since) return undefined;
      return { since, indexBuilding: num(body.indexBuilding) ?? 0, tooLong: num(body.tooLong) ?? 0, rateLimited: num(body.rateLimited) ?? 0 };
    },
    async csv(filters) {
      const query = apiParams(filters).toString();
      const response = await fetch(api.url(`/api/review/feedback.csv${query ? `?${query}` : ''}`), { credentials: 'include', headers: { accept: 'text/csv' } });
      if (!response.ok) {
        const body = rec(rec(await response.json().catch(() => undefined)).error);
        throw new ApiRequestError(response.status, str(body.code) ?? `http_${response.status}`, str(body.message) ?? `The server answered ${response.status} ${response.statusText}.`);
      }
      const filename = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'docent-feedback.csv';
      return { blob: await response.blob(), filename };
    },
    async exportEvalCase(input) {
      const body = rec(await api.request<unknown>('/api/review/eval-cases', { method: 'POST', body: JSON.stringify(input) }));
      const evalCase = rec(body.case);
      return { id: str(body.id) ?? str(evalCase.id) ?? '', file: str(body.file) };
    },
  };
}
