/**
 * Why an embedding failed, typed, so that what a reader is told (and whether asking again can
 * help) does not depend on parsing a message: the search route answers `503`
 * `embedding_unavailable` or `502` `embedding_failed`, the chat stream ends with a message built
 * from the {@link EmbeddingFailureReason} (`server/answer/errors.ts`), and `npm run ask` exits 75
 * for a failure that passes. The error's own message (model, server, the server's text, redacted)
 * is for the log only.
 */

/**
 * What went wrong, with nothing in it a reader may not see (no host, URL or server text):
 * - `timeout`: no answer within `seconds` (retries and rate-limit waits included, for a question);
 * - `unreachable`: the connection failed (refused, reset, name not found);
 * - `status`: the server answered an HTTP error (after the retries, for a 5xx);
 * - `invalid-response`: the answer is not an embeddings response;
 * - `unusable-vector`: a vector Docent cannot use (NaN, zeros, another number of dimensions);
 * - `local-model`: the local embedding model (its worker thread) failed.
 */
export type EmbeddingFailureReason =
  | { kind: 'timeout'; seconds: number }
  | { kind: 'unreachable' }
  | { kind: 'status'; status: number }
  | { kind: 'invalid-response' }
  | { kind: 'unusable-vector' }
  | { kind: 'local-model' };

/** HTTP statuses a later try may not meet: 408, 409, 429 and 5xx (as the AI SDK retries). */
const isPassingStatus = (status: number) => status === 408 || status === 409 || status === 429 || status >= 500;

/**
 * Whether trying again later may work: a timeout, a failed connection, 408, 409, 429 or 5xx, a
 * local worker that failed (the next call starts a fresh one). Not a refused key, an unknown model,
 * a malformed answer or an unusable vector: those need the configuration fixed.
 */
export function isTransientFailure(reason: EmbeddingFailureReason): boolean {
  switch (reason.kind) {
    case 'timeout':
    case 'unreachable':
    case 'local-model':
      return true;
    case 'status':
      return isPassingStatus(reason.status);
    default:
      return false;
  }
}

/** An embedding failed; {@link EmbeddingError.reason} says why, for the reader; the message, for the log. */
export class EmbeddingError extends Error {
  override readonly name: string = 'EmbeddingError';
  /** The wait the server asked for before a retry (`Retry-After` of its last answer), in whole seconds, if it said. */
  readonly retryAfterS: number | undefined;
  constructor(
    message: string,
    readonly reason: EmbeddingFailureReason,
    options?: { cause?: unknown; retryAfterS?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterS = options?.retryAfterS;
  }

  /** Whether trying again later may work ({@link isTransientFailure}). */
  get transient(): boolean {
    return isTransientFailure(this.reason);
  }
}
