/**
 * The docs search's side of `GET /api/search` (server/http/routes/search.ts): one request through
 * the chat widget's API client (`chat/api.ts`: session cookie, Docent's JSON errors), its results
 * checked into one shape, and every way it can fail said in a sentence for the reader, never as
 * the raw response.
 */
import { ApiRequestError, type DocentApi, describeError, isNetworkFailure } from '../chat/api';
import { resolveSourceUrl } from '../chat/sources';

/** One section found: where it is, what it is called, and its text (markdown). */
export interface DocsSearchResult {
  /** The page and section's anchor (`/guide/x/#anchor`), resolved against the API's base. */
  url: string;
  /** The page's title. */
  title: string;
  /** The heading breadcrumb, page title first when the page has a title heading. */
  headings: string[];
  /** The section's text as indexed (markdown). */
  text: string;
}

/** How many results are asked for: a dialog's worth. */
export const SEARCH_RESULT_LIMIT = 10;

/** The longest query the server takes (as a chat question, `MAX_QUESTION_CHARS`). */
export const MAX_QUERY_CHARS = 4000;

/**
 * What answered was not Docent: a page, or a body without `results` (a static file server, or
 * one that sends its index page for any address).
 */
export class NotDocentError extends Error {
  override readonly name = 'NotDocentError';
}

export interface SearchContext {
  /** The reader's language tag (the page's `data-docent-language`): sent as `language` when set. */
  language?: string | undefined;
  /** The path of the page searched from: sent as `page`, as the chat sends it. */
  page?: string | undefined;
}

/** Searches the docs for `query`; rejects with the API's error, or {@link NotDocentError}. */
export async function searchDocs(api: DocentApi, query: string, signal: AbortSignal, context: SearchContext = {}): Promise<DocsSearchResult[]> {
  const params = new URLSearchParams({ q: query.slice(0, MAX_QUERY_CHARS), k: String(SEARCH_RESULT_LIMIT) });
  if (context.language) params.set('language', context.language);
  if (context.page && context.page !== '/') params.set('page', context.page.slice(0, 2048));
  const body = await api.request<unknown>(`/api/search?${params}`, { signal });
  const results = (body as { results?: unknown } | undefined)?.results;
  if (!Array.isArray(results)) throw new NotDocentError('The answer to /api/search has no results list.');
  return results.flatMap((value): DocsSearchResult[] => {
    const r = (value ?? {}) as Record<string, unknown>;
    if (typeof r.url !== 'string' || typeof r.title !== 'string') return [];
    return [
      {
        url: resolveSourceUrl(r.url, api.base),
        title: r.title,
        headings: Array.isArray(r.headings) ? r.headings.filter((h): h is string => typeof h === 'string') : [],
        text: typeof r.text === 'string' ? r.text : '',
      },
    ];
  });
}

/** Why a search failed, for the dialog: what kind of failure, and the sentence it shows. */
export interface SearchFailure {
  kind: 'index-building' | 'rate-limited' | 'no-server' | 'unreachable' | 'failed';
  message: string;
}

export const NO_SERVER_MESSAGE =
  'Search needs the Docent server, and this copy of the docs is served without it (as static files). Browse the pages from the navigation instead.';

/** The sentence the dialog shows for `error`, a rejection of {@link searchDocs}. */
export function describeSearchFailure(error: unknown, protocol = globalThis.location?.protocol): SearchFailure {
  if (error instanceof NotDocentError || protocol === 'file:') return { kind: 'no-server', message: NO_SERVER_MESSAGE };
  if (error instanceof ApiRequestError) {
    // The server's own words: "Docent is still indexing the docs for the first time (…)".
    if (error.status === 503 && (error.code === 'index_building' || error.code === 'index_incomplete')) return { kind: 'index-building', message: error.message };
    if (error.status === 429) {
      const docents = error.code === 'too_many_requests';
      return { kind: 'rate-limited', message: docents ? error.message : 'Too many searches in a short time. Wait a moment, then try again.' };
    }
    // A page, not Docent's JSON, for an address only Docent answers: a server of static files.
    if (error.code === 'http_404' || error.code === 'http_405') return { kind: 'no-server', message: NO_SERVER_MESSAGE };
  }
  if (isNetworkFailure(error)) return { kind: 'unreachable', message: describeError(error) };
  return { kind: 'failed', message: describeError(error) };
}
