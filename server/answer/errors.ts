/**
 * What a failed answer tells whom. Provider and network errors can carry internal hostnames, URLs
 * (with credentials or keys in the query), or text echoed from the provider, so:
 *
 * - the reader (the stream's `error` part and the stored message's `error`, which
 *   `GET /api/chats/:id` returns) gets {@link readerErrorMessage}: what kind of failure, the HTTP
 *   status when there is one, never a host, URL or provider text;
 * - the server log and the trace get {@link errorDetails}: the full message chain with status
 *   (and the start of an error response's body its message leaves out), redacted by
 *   {@link redactSecrets} (URL credentials, key-like query parameters, bearer tokens, `sk-…` keys
 *   and the configured secrets). Request bodies and headers are never included.
 *
 * Answers that failed before this split stored the provider's raw message as their `error`: read
 * back, every stored error goes through {@link readerStoredError}.
 */
import { DrizzleQueryError } from 'drizzle-orm';
import { EmbeddingError, type EmbeddingFailureReason, isTransientFailure } from '../embed/failure';
import { retryAfterMs } from './retry-after';

interface ErrorLike {
  name?: string;
  message?: string;
  statusCode?: number;
  cause?: unknown;
  lastError?: unknown;
  code?: string;
  /** The HTTP response body of a failed call (`APICallError`). */
  responseBody?: string;
  /** The HTTP response headers of a failed call (`APICallError`). */
  responseHeaders?: Record<string, string>;
}

const asErrorLike = (error: unknown): ErrorLike => (typeof error === 'object' && error !== null ? (error as ErrorLike) : {});

/** The error and its causes (RetryError's `lastError`, `cause`), outermost first; at most 5. */
function chain(error: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  let current: unknown = error;
  while (current && out.length < 5) {
    const e = asErrorLike(current);
    out.push(e);
    current = e.lastError ?? e.cause;
  }
  return out;
}

const STATUS_LABELS: Record<number, string> = {
  400: 'the request was refused',
  401: 'not authorized: check the API key',
  403: 'not authorized: check the API key',
  404: 'model or endpoint not found',
  408: 'timed out',
  413: 'the request was too large',
  429: 'the model server is rate limiting, or the quota is used up',
};

/** What answers stored before said of a 429: still read back as it is. */
const EARLIER_RATE_LIMIT_KIND = 'HTTP 429 (rate limited or out of quota)';

/**
 * `HTTP 429 (the model server is rate limiting, …)`; with the wait the server asked for, in whole
 * seconds: `…; it asks to retry in 20 s)`.
 */
const statusKind = (status: number, retryAfterS?: number) =>
  `HTTP ${status} (${STATUS_LABELS[status] ?? (status >= 500 ? 'the model server failed' : 'the request failed')}` +
  `${retryAfterS ? `; it asks to retry in ${retryAfterS} s` : ''})`;
/** The kind of a refusal because the prompt does not fit the model's context window. */
const tooLongKind = (status: number) =>
  `HTTP ${status} (the question and its sources are too long for the model: lower the maximum results in the settings)`;
/**
 * How servers say a prompt does not fit: vLLM and OpenAI ("maximum context length"), Ollama and
 * LM Studio ("context length"), llama.cpp ("context size"), LiteLLM (`ContextWindowExceededError`).
 */
const CONTEXT_EXCEEDED = /context[ _](length|size|window)|ContextWindowExceeded/i;
const TIMED_OUT = 'timed out';
const CONNECTION_FAILED = 'the connection to the model server failed';
const INVALID_RESPONSE = 'the model server sent an invalid response';
const FAILED_MID_ANSWER = 'the model server failed while answering';
const UNEXPECTED = 'unexpected error';

/**
 * The wait, in whole seconds (at least 1), a failed call's model server asked for before a retry
 * (`Retry-After`, `retry-after-ms`), if it said.
 */
export function modelRetryAfterSeconds(error: unknown): number | undefined {
  for (const e of chain(error)) {
    const ms = e.responseHeaders ? retryAfterMs(e.responseHeaders) : undefined;
    if (ms !== undefined) return Math.max(1, Math.ceil(ms / 1000));
  }
  return undefined;
}

/** A short, safe description of why the model failed: `HTTP 429 (the model server is rate limiting, …)`, `timed out`, … */
export function modelFailureKind(error: unknown): string {
  const errors = chain(error);
  const status = errors.find((e) => typeof e.statusCode === 'number' && e.statusCode >= 400)?.statusCode;
  if (status) {
    const said = errors.map((e) => `${e.message ?? ''} ${e.code ?? ''} ${typeof e.responseBody === 'string' ? e.responseBody.slice(0, 2_000) : ''}`).join(' ');
    return status < 500 && CONTEXT_EXCEEDED.test(said) ? tooLongKind(status) : statusKind(status, modelRetryAfterSeconds(error));
  }
  if (errors.some((e) => e.name === 'ModelStreamError')) return FAILED_MID_ANSWER;
  // Checked by name first: a parse error's message quotes the text, which may say anything ("Unterminated").
  if (errors.some((e) => e.name === 'AI_JSONParseError' || e.name === 'AI_TypeValidationError')) return INVALID_RESPONSE;
  const text = errors.map((e) => `${e.name ?? ''} ${e.code ?? ''} ${e.message ?? ''}`).join(' ');
  if (/timeout|timed out|ETIMEDOUT/i.test(text)) return TIMED_OUT;
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EPIPE|fetch failed|Cannot connect|socket|\bterminated|network|IncompleteStream/i.test(text)) {
    return CONNECTION_FAILED;
  }
  if (/JSON|parse|invalid response|TypeValidation/i.test(text)) return INVALID_RESPONSE;
  return UNEXPECTED;
}

const SERVER_FAILED = 'The answer failed on the server. Please try again.';
/** The stored `error` of an answer whose reader went away (or pressed Stop) before it was complete. */
export const CLIENT_WENT_AWAY = 'The client went away before the answer was complete.';
/**
 * The stored `error` of an answer cut off by a server that stopped: on a graceful shutdown, or
 * marked on a later start (or sweep) when the process was killed.
 */
export const SERVER_STOPPED = 'The server stopped while this answer was being written.';
/** The stored `error` of an answer stopped at the time limit (`ANSWER_TIME_LIMIT_MS`). */
export const ANSWER_TOO_LONG = 'The answer took too long and was stopped. Please try again.';

/** The error of an answer in which the model wrote nothing to read (`EmptyAnswerError`). */
export const EMPTY_ANSWER = 'The language model returned no answer. Please try again.';
/** The stored `error` of an answer the model's token limit cut off (status `truncated`). */
export const ANSWER_CUT_AT_LIMIT = 'The answer reached the length limit and was cut off.';
/** The stored `error` of an answer the model's content filter cut off (status `truncated`). */
export const ANSWER_CUT_BY_FILTER = "The model's content filter cut the answer off.";

/**
 * What the reader is told when the embedding server refused to embed the question for its rate
 * limit or quota (HTTP 429), with the wait it asked for in whole seconds, if it said
 * ({@link embeddingFailureMessage} of status 429).
 */
export function embeddingRateLimitMessage(retryAfterS?: number): string {
  return embeddingFailureMessage({ kind: 'status', status: 429 }, retryAfterS);
}

/** The embedding server's rate limit behind `error` (`EmbeddingRateLimitError` of `server/embed/openai.ts`), if it is one. */
export function embeddingRateLimitOf(error: unknown): { retryAfterS: number | undefined } | undefined {
  const found = chain(error).find((e) => e.name === 'EmbeddingRateLimitError');
  if (!found) return undefined;
  const retryAfterS = (found as { retryAfterS?: unknown }).retryAfterS;
  return { retryAfterS: typeof retryAfterS === 'number' && retryAfterS > 0 ? retryAfterS : undefined };
}

/** The failure of the embedding model behind `error` (an `EmbeddingError` of `server/embed/failure.ts`), if it is one. */
export function embeddingFailureOf(error: unknown): EmbeddingError | undefined {
  return chain(error).find((e): e is EmbeddingError => e instanceof EmbeddingError);
}

/**
 * What went wrong, in a reader's words: readers of a docs site do not know what an embedding model
 * is, so it is "the search service" (the step that matches the question to the docs). The HTTP
 * status is kept for the reader to pass on; never a host or the server's text (those are logged).
 */
function embeddingFailureKind(reason: EmbeddingFailureReason, retryAfterS?: number): string {
  switch (reason.kind) {
    case 'timeout':
      return `the search service did not answer within ${reason.seconds} s`;
    case 'unreachable':
      return 'the search service cannot be reached';
    case 'invalid-response':
      return 'the search service sent an answer that cannot be read';
    case 'unusable-vector':
      return 'the search service sent an answer that cannot be used';
    case 'local-model':
      return 'the search failed on the server';
    case 'status': {
      const s = reason.status;
      if (s === 429) return `the search service is busy: too many questions, or its quota is used up (HTTP 429${retryAfterS ? `; it asks to wait ${retryAfterS} s` : ''})`;
      const what =
        s === 401 || s === 403
          ? 'the search service refused this site’s credentials'
          : s === 404
            ? 'the search service does not have the model this site asks for'
            : s === 408
              ? 'the search service timed out'
              : s >= 500
                ? 'the search service failed'
                : s === 409
                  ? 'the search service was busy'
                  : 'the search service refused the request';
      return `${what} (HTTP ${s})`;
    }
  }
}

/** How a message about a failure that will not pass ends: the reader should not keep retrying. */
const NEEDS_OPERATOR = 'Trying again will not help until the site’s operator fixes the server’s configuration.';

/**
 * What the reader is told when the question could not be embedded (matched to the docs): what
 * happened, in words a reader knows, and either `Please try again.` (a timeout, a server down or
 * failing, a rate limit: it passes) or that trying again will not help (a refused key, an unknown
 * model, an unusable answer). The error's own message, for the operator, goes to the server log.
 *
 * @param retryAfterS the wait the embedding server asked for (HTTP 429 only), in whole seconds.
 */
export function embeddingFailureMessage(reason: EmbeddingFailureReason, retryAfterS?: number): string {
  const ending = isTransientFailure(reason) ? 'Please try again.' : NEEDS_OPERATOR;
  return `The docs could not be searched for your question: ${embeddingFailureKind(reason, retryAfterS)}. ${ending}`;
}

/**
 * What readers were told before, naming the embedding model (`The embedding model could not read
 * the question: …`): answers stored then are recognised and read back in today's words.
 */
function earlierEmbeddingFailureMessage(reason: EmbeddingFailureReason, retryAfterS?: number): string {
  if (reason.kind === 'status' && reason.status === 429) {
    return (
      'The embedding model could not read the question: HTTP 429 (the embedding server is rate limiting, or the quota is used up' +
      `${retryAfterS ? `; it asks to retry in ${retryAfterS} s` : ''}). Please try again.`
    );
  }
  const kind = (() => {
    switch (reason.kind) {
      case 'timeout':
        return `timed out (no answer within ${reason.seconds} s)`;
      case 'unreachable':
        return 'the embedding server cannot be reached';
      case 'invalid-response':
        return 'the embedding server sent an invalid response';
      case 'unusable-vector':
        return 'the embedding model returned a vector Docent cannot use';
      case 'local-model':
        return 'the local embedding model failed';
      case 'status': {
        const s = reason.status;
        const what =
          s === 401 || s === 403
            ? 'the embedding server refused the API key'
            : s === 404
              ? 'the embedding model or endpoint was not found'
              : s === 408
                ? 'the embedding server timed out'
                : s >= 500
                  ? 'the embedding server failed'
                  : s === 409
                    ? 'the embedding server was busy'
                    : 'the embedding server refused the request';
        return `HTTP ${s} (${what})`;
      }
    }
  })();
  return `The embedding model could not read the question: ${kind}. ${isTransientFailure(reason) ? 'Please try again.' : NEEDS_OPERATOR}`;
}

/** An embedding failure a reader was told of, read back from its text. */
interface ToldEmbeddingFailure {
  reason: EmbeddingFailureReason;
  retryAfterS: number | undefined;
  /** Told in the words of an earlier version ({@link earlierEmbeddingFailureMessage}). */
  earlier: boolean;
}

/**
 * The failure an {@link embeddingFailureMessage} (or an earlier version's) tells of, or
 * `undefined` when `text` is not one: the numbers in the text are tried as the timeout, the
 * status and the wait, and a reason counts only when its message is exactly `text`.
 */
function embeddingFailureIn(text: string): ToldEmbeddingFailure | undefined {
  const earlier = text.startsWith('The embedding model could not read the question: ');
  if (!earlier && !text.startsWith('The docs could not be searched for your question: ')) return undefined;
  const seconds = [...text.matchAll(/(\d{1,7}(?:\.\d{1,3})?) s\b/g)].map((m) => Number(m[1]));
  const status = /HTTP (\d{3})\b/.exec(text)?.[1];
  const reasons: EmbeddingFailureReason[] = [
    ...seconds.map((s) => ({ kind: 'timeout' as const, seconds: s })),
    ...(status ? [{ kind: 'status' as const, status: Number(status) }] : []),
    { kind: 'unreachable' },
    { kind: 'invalid-response' },
    { kind: 'unusable-vector' },
    { kind: 'local-model' },
  ];
  const tell = earlier ? earlierEmbeddingFailureMessage : embeddingFailureMessage;
  for (const reason of reasons) {
    for (const retryAfterS of [undefined, ...(reason.kind === 'status' ? seconds : [])]) {
      if (tell(reason, retryAfterS) === text) return { reason, retryAfterS, earlier };
    }
  }
  return undefined;
}

/**
 * Whether asking again may get an answer: not when the embedding model could not read the question
 * for a failure that will not pass (a refused key, an unknown model, an unusable answer), nor when
 * the language model's server refused the key or does not have the model (HTTP 401, 403, 404).
 */
export function retryMayHelp(error: unknown): boolean {
  const embeddingFailure = embeddingFailureOf(error);
  if (embeddingFailure) return embeddingFailure.transient;
  return !modelFailureNeedsOperator(modelFailureKind(error));
}

/**
 * What the reader is told about a failed answer. `modelFailed`: the failure came from the
 * language model (else from Docent itself, e.g. its database).
 */
export function readerErrorMessage(error: unknown, modelFailed: boolean): string {
  if (chain(error).some((e) => e.name === 'EmptyAnswerError')) return EMPTY_ANSWER;
  const embeddingLimit = embeddingRateLimitOf(error);
  if (embeddingLimit) return embeddingRateLimitMessage(embeddingLimit.retryAfterS);
  const embeddingFailure = embeddingFailureOf(error);
  if (embeddingFailure) return embeddingFailureMessage(embeddingFailure.reason);
  return modelFailed ? modelFailureMessage(modelFailureKind(error)) : SERVER_FAILED;
}

/**
 * Statuses of the language model's server that no retry gets past: a refused API key (401, 403),
 * a model or endpoint it does not have (404). The reader is told so, and offered no Retry.
 */
const MODEL_STATUSES_NEEDING_OPERATOR = new Set([401, 403, 404]);

/** Whether a model failure of this kind ({@link modelFailureKind}) will not pass on a retry. */
function modelFailureNeedsOperator(kind: string): boolean {
  const status = Number(/^HTTP (\d{3}) \(/.exec(kind)?.[1]);
  return MODEL_STATUSES_NEEDING_OPERATOR.has(status) && kind !== tooLongKind(status);
}

/** What the reader is told of a failure of the language model of this kind: it, and whether trying again can help. */
function modelFailureMessage(kind: string): string {
  return `The language model could not answer: ${kind}. ${modelFailureNeedsOperator(kind) ? NEEDS_OPERATOR : 'Please try again.'}`;
}

/**
 * The kind of a language model failure a reader was told of, read from its text, if the text is
 * such a message with a kind Docent writes (the ending may be an earlier one: answers stored before
 * a refused key or an unknown model was told to need the operator ended `Please try again.`).
 */
function modelFailureIn(text: string): string | undefined {
  const kind = /^The language model could not answer: (.+?)\. (?:Please try again\.|Trying again will not help until the site’s operator fixes the server’s configuration\.)$/.exec(
    text,
  )?.[1];
  if (kind === undefined) return undefined;
  const status = /^HTTP (\d{3}) \(/.exec(kind)?.[1];
  if (!status) return [TIMED_OUT, CONNECTION_FAILED, INVALID_RESPONSE, FAILED_MID_ANSWER, UNEXPECTED].includes(kind) ? kind : undefined;
  const retryAfterS = Number(/; it asks to retry in (\d{1,7}) s\)$/.exec(kind)?.[1] ?? 0);
  return kind === statusKind(Number(status), retryAfterS) || kind === tooLongKind(Number(status)) || kind === EARLIER_RATE_LIMIT_KIND ? kind : undefined;
}

/** Whether `text` is one of the messages above, which Docent stores as an answer's `error`. */
function isReaderSafe(text: string): boolean {
  if ([SERVER_FAILED, CLIENT_WENT_AWAY, SERVER_STOPPED, ANSWER_TOO_LONG, EMPTY_ANSWER, ANSWER_CUT_AT_LIMIT, ANSWER_CUT_BY_FILTER].includes(text)) return true;
  if (embeddingFailureIn(text)?.earlier === false) return true;
  const kind = modelFailureIn(text);
  return kind !== undefined && text === modelFailureMessage(kind);
}

/**
 * Whether `text`, an answer's error as readers get it, says asking again later can work: the
 * language model's server or the embedding server refused for its rate limit or quota (HTTP 429),
 * or the embedding model could not read the question for a failure that passes (a timeout, a
 * server down or failing). The CLI's exit code for "try again later".
 */
export function isTryAgainLaterError(text: string | undefined): boolean {
  if (text === undefined) return false;
  if (/^The language model could not answer: HTTP 429 \(/.test(text)) return true;
  const told = embeddingFailureIn(text);
  return told !== undefined && isTransientFailure(told.reason);
}

/**
 * Whether asking again may get an answer, read from an answer's stored `error` (what
 * {@link retryMayHelp} said when it failed): not when the question could not be embedded for a
 * failure that will not pass (a refused key, an unknown model, an unusable answer), nor when the
 * language model's server refused the key or does not have the model.
 */
export function storedErrorRetryMayHelp(stored: string | null): boolean {
  if (stored === null) return true;
  const told = embeddingFailureIn(stored);
  if (told) return isTransientFailure(told.reason);
  const kind = modelFailureIn(stored);
  return kind === undefined || !modelFailureNeedsOperator(kind);
}

/**
 * A stored answer's `error` as the reader may read it (`GET /api/chats/:id`). Answers that failed
 * before readers were told the kind of failure only stored the provider's raw message
 * (`HTTP 401: Incorrect API key sk-… at http://llm.internal/…`): such text is replaced by what
 * {@link readerErrorMessage} says of it, the kind of failure read from the text (the status of
 * `HTTP nnn: …`, a timeout, a connection failure; anything else is told as a failure on the
 * server). The messages Docent stores now are returned as they are.
 */
export function readerStoredError(stored: string | null): string | null {
  if (stored === null || isReaderSafe(stored)) return stored;
  const told = embeddingFailureIn(stored);
  if (told) return embeddingFailureMessage(told.reason, told.retryAfterS);
  const kind = modelFailureIn(stored);
  if (kind !== undefined) return modelFailureMessage(kind);
  const status = /^HTTP (\d{3})\b/.exec(stored)?.[1];
  const error = { message: stored, ...(status ? { statusCode: Number(status) } : {}) };
  return readerErrorMessage(error, modelFailureKind(error) !== UNEXPECTED);
}

/** Removes credentials from `text`: URL user info, key-like query values, bearer tokens, `sk-…` keys and `secrets`. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join('***');
  return out
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi, '$1***@')
    .replace(/([?&;][^=&\s]*(?:key|token|secret|password|passwd|sig|signature|auth|credential)[^=&\s]*=)[^&\s#"']*/gi, '$1***')
    .replace(/\b(Bearer|Basic)\s+[\w.~+/=-]+/gi, '$1 ***')
    .replace(/\bsk-[\w-]{6,}/g, 'sk-***');
}

/**
 * An error of the chain as the log shows it. A failed drizzle query's message holds its
 * parameters (an answer's text, its sources), which are readers' text and can run past the
 * log's length limit, hiding the database's own error (its `cause`, next in the chain): only
 * the start of the SQL is kept.
 */
function forLog(e: ErrorLike): ErrorLike {
  if (!(e instanceof DrizzleQueryError)) return e;
  return { name: 'DrizzleQueryError', message: `Failed query: ${e.query.replace(/\s+/g, ' ').slice(0, 200)}` };
}

/**
 * The response body of a failed call when its message does not already say what the body says:
 * a server whose error body is not OpenAI's `{"error":{"message"}}` (vLLM's `{"object":"error",
 * "message":…}`, a proxy's page) leaves only the status text ("Bad Request") as the message.
 */
function unreadBody(e: ErrorLike, message: string): string {
  const body = typeof e.responseBody === 'string' ? e.responseBody.trim() : '';
  if (body === '' || (message !== '' && body.includes(message))) return '';
  return ` (response body: ${body.replace(/\s+/g, ' ').slice(0, 500)})`;
}

/**
 * The whole error for the server log: each message in the chain, with status and code, redacted.
 * Query parameters are left out (see `forLog`).
 */
export function errorDetails(error: unknown, secrets: readonly (string | undefined)[] = []): string {
  const parts = chain(error).map(forLog).map((e, i) => {
    const head = [e.name, e.statusCode ? `HTTP ${e.statusCode}` : undefined, e.code].filter(Boolean).join(' ');
    const message = e.message ?? (i === 0 ? String(error) : '');
    return `${head ? `${head}: ` : ''}${message}${unreadBody(e, message)}`;
  });
  return redactSecrets(parts.join(' <- caused by: '), secrets).slice(0, 2_000);
}
