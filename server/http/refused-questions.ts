/**
 * Questions refused before any answer began, counted for maintainers. Such questions are not
 * stored (no chat, no message: see `content/guides/feedback-and-review.md`), so the review page
 * could not tell how often readers hit the first index build, the length limit or a rate limit.
 * These counts are kept in memory since the server started: a restart starts them again, and
 * each server process counts its own.
 */
import type { MiddlewareHandler } from 'hono';
import { ApiError } from './errors';

/** Why a question was refused before any answer began. */
export type RefusalReason = 'indexBuilding' | 'tooLong' | 'rateLimited';

/** What `GET /api/review/refused` returns. */
export interface RefusedQuestionCounts extends Record<RefusalReason, number> {
  /** When counting began (the server's start), ISO 8601. */
  since: string;
}

export interface RefusedQuestions {
  note(reason: RefusalReason): void;
  counts(): RefusedQuestionCounts;
}

export function createRefusedQuestions(since = new Date()): RefusedQuestions {
  const counts: Record<RefusalReason, number> = { indexBuilding: 0, tooLong: 0, rateLimited: 0 };
  return {
    note(reason) {
      counts[reason]++;
    },
    counts: () => ({ since: since.toISOString(), ...counts }),
  };
}

/** A question over the length limit: the API's 400 `invalid_body`, known apart for {@link RefusedQuestions}. */
export class QuestionTooLongError extends ApiError {
  constructor(message: string) {
    super(400, 'invalid_body', message);
  }
}

/** Why the error refused the question, or `undefined` for any other error (a bad body, a chat deleted). */
export function refusalReason(error: unknown): RefusalReason | undefined {
  if (error instanceof QuestionTooLongError) return 'tooLong';
  if (!(error instanceof ApiError)) return undefined;
  // A body over the size limit: a question far over the length limit.
  if (error.status === 413) return 'tooLong';
  if (error.status === 429) return 'rateLimited';
  if (error.status === 503 && (error.code === 'index_building' || error.code === 'index_incomplete')) return 'indexBuilding';
  return undefined;
}

/**
 * Middleware for `POST /api/chat`, before the checks that refuse a question (the body's size
 * included): counts the question
 * when one of them refused it (Hono keeps the error a later handler threw in `c.error`).
 */
export function countRefusedQuestions(refused: RefusedQuestions): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const reason = refusalReason(c.error);
    if (reason) refused.note(reason);
  };
}
