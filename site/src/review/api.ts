/**
 * The review page's API calls. Login posts the admin token once (`POST /api/admin/login`), which
 * upgrades the visitor's httpOnly session cookie: the token is never kept in JavaScript-readable
 * storage. Responses are normalised to the shapes in `types.ts`.
 */
import type { DocentApi } from '../chat/api';
import { normalizeSettings } from '../chat/api';
import { normalizeSources } from '../chat/sources';
import type { EvalCase, ReviewFilters, ReviewItem, ReviewPage, ReviewStats, ReviewSource, WeeklyStats } from './types';

const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | null => (v === null || v === undefined || v === '' || Number.isNaN(Number(v)) ? null : Number(v));

/** Filters as query parameters (the names the review endpoints read). */
export function filterParams(filters: ReviewFilters, page?: { limit: number; offset: number }): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.vote) params.set('vote', filters.vote);
  if (filters.rating) params.set('rating', String(filters.rating));
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  if (filters.source?.trim()) params.set('source', filters.source.trim());
  if (filters.hasComment !== undefined) params.set('hasComment', String(filters.hasComment));
  if (page) {
    params.set('limit', String(page.limit));
    params.set('offset', String(page.offset));
  }
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
  const sources = normalizeSources(r.sources).map((s): ReviewSource => ({ ...s, cited: s.cited ?? false }));
  return {
    feedbackId: str(r.feedbackId) ?? str(r.id) ?? messageId,
    messageId,
    chatId: str(r.chatId) ?? '',
    vote,
    rating: num(r.rating),
    comment: str(r.comment) ?? null,
    createdAt: str(r.createdAt) ?? '',
    question: str(r.question) ?? '',
    answer: str(r.answer) ?? '',
    status: str(r.status) ?? 'complete',
    model: str(r.model) ?? null,
    latencyMs: num(r.latencyMs),
    retrievalSettings: r.retrievalSettings ? normalizeSettings(r.retrievalSettings) : null,
    retrievalQuery: str(r.retrievalQuery) ?? null,
    sources,
  };
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
    return { path: str(x.path) ?? '', title: str(x.title) ?? str(x.path) ?? '', cited: num(x.cited) ?? 0, retrieved: num(x.retrieved) ?? 0 };
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
    },
    weekly,
    downvotedDocuments: docs,
  };
}

export interface ReviewApi {
  session(): Promise<{ configured: boolean; admin: boolean }>;
  login(token: string): Promise<void>;
  logout(): Promise<void>;
  list(filters: ReviewFilters, page: { limit: number; offset: number }): Promise<ReviewPage>;
  stats(filters: ReviewFilters): Promise<ReviewStats>;
  csvUrl(filters: ReviewFilters): string;
  exportEvalCase(input: { messageId: string; question: string; gold: EvalCase['gold'] }): Promise<{ id: string; file: string | undefined }>;
}

export function createReviewApi(api: DocentApi): ReviewApi {
  return {
    async session() {
      const body = rec(await api.request<unknown>('/api/admin/session'));
      return { configured: body.configured !== false, admin: body.admin === true };
    },
    async login(token) {
      await api.request('/api/admin/login', { method: 'POST', body: JSON.stringify({ token }) });
    },
    async logout() {
      await api.request('/api/admin/logout', { method: 'POST', body: '{}' });
    },
    async list(filters, page) {
      const body = rec(await api.request<unknown>(`/api/review/feedback?${filterParams(filters, page)}`));
      const items = (Array.isArray(body.items) ? body.items : []).map(normalizeItem).filter((i): i is ReviewItem => i !== undefined);
      return { items, total: num(body.total) ?? items.length, limit: num(body.limit) ?? page.limit, offset: num(body.offset) ?? page.offset };
    },
    async stats(filters) {
      return normalizeStats(await api.request<unknown>(`/api/review/stats?${filterParams(filters)}`));
    },
    csvUrl(filters) {
      const query = filterParams(filters).toString();
      return api.url(`/api/review/feedback.csv${query ? `?${query}` : ''}`);
    },
    async exportEvalCase(input) {
      const body = rec(await api.request<unknown>('/api/review/eval-cases', { method: 'POST', body: JSON.stringify(input) }));
      const evalCase = rec(body.case);
      return { id: str(body.id) ?? str(evalCase.id) ?? '', file: str(body.file) };
    },
  };
}
