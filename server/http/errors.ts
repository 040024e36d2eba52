/**
 * Typed HTTP errors. Every error response has the body `{"error":{"code","message"}}`.
 */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { embeddingFailureMessage, embeddingFailureOf, embeddingRateLimitMessage, embeddingRateLimitOf } from '../answer/errors';
import { describeDatabaseError, isDatabaseUnreachable } from '../db/connect-error';

export interface ErrorBody {
  error: { code: string; message: string };
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

/** Throw this from a route: it becomes a JSON error response with `status`, `code` and `message`. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(status, { message });
  }
}

export const badRequest = (message: string, code = 'bad_request') => new ApiError(400, code, message);
export const unauthorized = (message: string) => new ApiError(401, 'unauthorized', message);
export const forbidden = (message: string) => new ApiError(403, 'forbidden', message);
export const notFound = (message: string) => new ApiError(404, 'not_found', message);

/** Longest id quoted back in an error message. */
const MAX_QUOTED_ID = 80;

/** `id` as an error message quotes it: JSON-quoted, cut to {@link MAX_QUOTED_ID} characters (a path may carry thousands). */
export function quotedId(id: string): string {
  return JSON.stringify(id.length > MAX_QUOTED_ID ? `${id.slice(0, MAX_QUOTED_ID)}…` : id);
}

const defaultCodes: Partial<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
  503: 'unavailable',
};

/** What readers are told while the database cannot be reached. */
export const DATABASE_UNAVAILABLE = 'The database cannot be reached right now. Please try again in a moment.';
/** The `Retry-After` of a `database_unavailable` answer, in seconds. */
const DATABASE_RETRY_AFTER_S = 5;
/** The `Retry-After` of an `embedding_unavailable` answer when the embedding server did not say, in seconds. */
const EMBEDDING_RETRY_AFTER_S = 5;

/**
 * Every error as a JSON response: an {@link ApiError} as it says; a database that cannot be
 * reached as `503` `database_unavailable` with `Retry-After` (one log line); the embedding
 * server's rate limit on a question as `503` `embedding_rate_limited`, with `Retry-After` when the
 * server said how long (one log line); another failure to embed the question as `503`
 * `embedding_unavailable` with `Retry-After` when it passes (a timeout, a server down or failing)
 * or `502` `embedding_failed` when it will not (a refused key, an unknown model, an unusable
 * answer), one log line either way; anything else as
 * `500` `internal_error` (logged with its stack).
 */
export const handleError: ErrorHandler = (err, c) => {
  if (err instanceof ApiError) return c.json(errorBody(err.code, err.message), err.status);
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    return c.json(errorBody(defaultCodes[status] ?? 'error', err.message || 'Request failed'), status);
  }
  if (isDatabaseUnreachable(err)) {
    // A database restart or outage: one line, not a stack trace per request; clients may retry.
    console.error(`[docent] ${c.req.method} ${c.req.path} failed: ${describeDatabaseError(err, undefined)}`);
    c.header('retry-after', String(DATABASE_RETRY_AFTER_S));
    return c.json(errorBody('database_unavailable', DATABASE_UNAVAILABLE), 503);
  }
  const embeddingLimit = embeddingRateLimitOf(err);
  if (embeddingLimit) {
    // The hosted embedding server's rate limit: one line; the reader is told when to retry.
    console.error(`[docent] ${c.req.method} ${c.req.path} failed: ${err instanceof Error ? err.message : String(err)}`);
    if (embeddingLimit.retryAfterS) c.header('retry-after', String(embeddingLimit.retryAfterS));
    return c.json(errorBody('embedding_rate_limited', embeddingRateLimitMessage(embeddingLimit.retryAfterS)), 503);
  }
  const embeddingFailure = embeddingFailureOf(err);
  if (embeddingFailure) {
    // The embedding model could not read the question: one line (the message names the model and server, redacted).
    console.error(`[docent] ${c.req.method} ${c.req.path} failed: ${embeddingFailure.message}`);
    const message = embeddingFailureMessage(embeddingFailure.reason);
    if (!embeddingFailure.transient) return c.json(errorBody('embedding_failed', message), 502);
    c.header('retry-after', String(embeddingFailure.retryAfterS ?? EMBEDDING_RETRY_AFTER_S));
    return c.json(errorBody('embedding_unavailable', message), 503);
  }
  console.error(`[docent] ${c.req.method} ${c.req.path} failed:`, err);
  return c.json(errorBody('internal_error', 'Something went wrong on the server. The error was logged.'), 500);
};

export const handleNotFound: NotFoundHandler = (c: Context) =>
  c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404);
