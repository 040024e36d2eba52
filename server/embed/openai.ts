/**
 * Hosted embeddings through the AI SDK: OpenAI's `text-embedding-3-small` (or any model of an
 * OpenAI-compatible server) at 512 dimensions, batched by `embedMany` and retried on failure.
 *
 * What the AI SDK leaves to its caller, done here:
 * - **Time limits.** Each batch of documents gets {@link OpenAIEmbeddingOptions.documentTimeoutMs}
 *   (60 s, retries included, rate-limit waits not) and a question {@link OpenAIEmbeddingOptions.queryTimeoutMs}
 *   (15 s in all: retries and a rate-limit wait included, as a reader is waiting), on top of the
 *   caller's signal: a server that never answers fails the request instead of hanging ingest or a
 *   reader's question forever.
 * - **Vectors matched to inputs by `index`.** The SDK maps the response's `data` in array order;
 *   OpenAI-compatible servers and proxies may reorder it. The response is sorted by each item's
 *   `index`, and one whose indexes are not exactly 0 to n-1 is refused.
 * - **Unusable vectors reach the checks.** A `null`, `NaN` or `Infinity` inside a vector (not valid
 *   JSON, or not a number) would fail the whole response as "Invalid JSON response"; such a vector
 *   is returned as the server sent it, not normalised, for the caller's `checkVector` to name.
 * - **Rate limits.** A `429` is not retried by the SDK (which waits out a `Retry-After` under a
 *   minute and otherwise retries after 2, 4, 8 s, hammering a rate-limited server): it is handled
 *   here by `./rate-limit`. A question waits at most once, up to 5 s, and otherwise fails at once
 *   with an {@link EmbeddingRateLimitError} that says when to retry. A batch of documents waits out
 *   what the server asks for, saying so through `onWait`, up to a cap; OpenAI's
 *   `insufficient_quota` fails at once (waiting will not help).
 * - **Errors that say where they come from.** Every failure is an {@link EmbeddingServerError}
 *   whose message starts with the model and the server,
 *   `embedding model openai:text-embedding-3-small at https://api.openai.com/v1: …`, with
 *   credentials redacted (for the log), and whose `reason` says what went wrong without them (for
 *   the reader). An abort by the caller's own signal is rethrown as it is.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { APICallError, embedMany, RetryError } from 'ai';
import { redactSecrets } from '../answer/errors';
import { retryAfterMs } from '../answer/retry-after';
import { callErrorInit } from '../answer/model-fetch';
import { EMBEDDING_DIMENSIONS } from '../db/schema';
import { EmbeddingError, type EmbeddingFailureReason } from './failure';
import { type EmbeddingProvider, type EmbedOptions, normalize } from './provider';
import {
  DOCUMENTS_RATE_LIMIT,
  formatWait,
  nextRateLimitStep,
  QUESTION_RATE_LIMIT,
  type RateLimitPolicy,
  type RateLimitResponse,
  readRateLimit,
  sleep,
} from './rate-limit';

export interface OpenAIEmbeddingOptions {
  /** Model name. Default `text-embedding-3-small`. */
  model?: string;
  apiKey?: string;
  /** An OpenAI-compatible server, e.g. `http://localhost:11434/v1`. Default: OpenAI. */
  baseURL?: string;
  /** Inputs per request. Default 256. */
  batchSize?: number;
  /** Retries per request of a failure other than a rate limit (a 5xx, a lost connection). Default 3. */
  maxRetries?: number;
  /** Time allowed for one batch of documents, retries included (rate-limit waits not), in ms. Default 60 000. */
  documentTimeoutMs?: number;
  /** Time allowed for a question's embedding in all, retries and a rate-limit wait included, in ms. Default 15 000 (a reader is waiting). */
  queryTimeoutMs?: number;
  /** How long a question waits when the server rate limits. Default {@link QUESTION_RATE_LIMIT}: once, up to 5 s. */
  questionRateLimit?: RateLimitPolicy;
  /** How long a batch of documents waits when the server rate limits. Default {@link DOCUMENTS_RATE_LIMIT}. */
  documentsRateLimit?: RateLimitPolicy;
}

const OPENAI_URL = 'https://api.openai.com/v1';

/**
 * An embedding request failed; the message names the model and the server. `transient` when the
 * server could not be reached, timed out, or answered 408, 409, 429 or 5xx (after the retries):
 * trying again later may work; not for a refused key, an unknown model or a malformed answer.
 */
export class EmbeddingServerError extends EmbeddingError {
  override readonly name: string = 'EmbeddingServerError';
}

/**
 * The embedding server refused for its rate limit or quota (HTTP 429) and Docent did not wait
 * (longer): `retryAfterS` is the wait the server asked for, in whole seconds, if it said.
 */
export class EmbeddingRateLimitError extends EmbeddingServerError {
  override readonly name = 'EmbeddingRateLimitError';
  readonly statusCode = 429;
  constructor(message: string, retryAfterS: number | undefined, options?: { cause?: unknown }) {
    super(message, { kind: 'status', status: 429 }, { ...options, retryAfterS }); // a rate limit passes: worth trying again later
  }
}

/** The `429` a request got, thrown by the provider's `fetch` so that the SDK does not retry it. */
class RateLimited extends APICallError {
  constructor(
    readonly limit: RateLimitResponse,
    init: ConstructorParameters<typeof APICallError>[0],
  ) {
    super(init);
  }
}

/** The `429` behind an error of `embedMany` (itself, or the last error of a `RetryError`). */
function rateLimitOf(error: unknown): RateLimited | undefined {
  if (error instanceof RateLimited) return error;
  if (RetryError.isInstance(error) && error.lastError instanceof RateLimited) return error.lastError;
  return undefined;
}

export function createOpenAIEmbeddingProvider(options: OpenAIEmbeddingOptions = {}): EmbeddingProvider {
  const modelName = options.model ?? 'text-embedding-3-small';
  const apiKey = options.apiKey ?? 'not-needed';
  const batchSize = options.batchSize ?? 256;
  const where = `embedding model openai:${modelName} at ${options.baseURL ?? OPENAI_URL}`;
  const fail = (what: string, reason: EmbeddingFailureReason, cause?: unknown, retryAfterS?: number) =>
    new EmbeddingServerError(redactSecrets(`${where}: ${what}`, [options.apiKey]), reason, { cause, retryAfterS });

  /** Embeds one batch: vectors in input order, unusable ones as the server sent them. */
  async function embedBatchOnce(values: string[], signal: AbortSignal | undefined, limit: TimeLimit): Promise<unknown[][]> {
    const timeoutMs = limit.deadline === undefined ? limit.ms : Math.max(0, limit.deadline - Date.now());
    const unusable = new Map<string, unknown[]>();
    const failed: FailedResponse = {};
    const model = createOpenAI({ apiKey, baseURL: options.baseURL, fetch: embeddingsFetch(unusable, failed) }).embedding(modelName);
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const { embeddings } = await embedMany({
        model,
        values,
        maxRetries: options.maxRetries ?? 3,
        abortSignal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        providerOptions: { openai: { dimensions: EMBEDDING_DIMENSIONS } },
      });
      return embeddings.map((e, i) => unusable.get(values[i]!) ?? e);
    } catch (error) {
      if (signal?.aborted) throw error; // the caller's own cancellation
      if (rateLimitOf(error)) throw error; // handled by embedBatch
      const retryAfterS = failed.retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(failed.retryAfterMs / 1000));
      if (timeout.aborted) {
        const seconds = limit.ms / 1000;
        // Time ran out between the SDK's retries of a failed attempt: that failure is why.
        if (failed.reason) {
          const what = failed.reason.kind === 'status' ? `HTTP ${failed.reason.status}` : 'the server could not be reached';
          throw fail(`${what} on every attempt until the time limit (${seconds} s) ran out`, failed.reason, error, retryAfterS);
        }
        throw fail(`timed out: no answer within ${seconds} s`, { kind: 'timeout', seconds }, error);
      }
      throw fail(describeFailure(error), failureReason(error), error, retryAfterS);
    }
  }

  /** {@link embedBatchOnce}, waiting out the server's rate limit as `policy` allows. */
  async function embedBatch(values: string[], opts: EmbedOptions, limit: TimeLimit, policy: RateLimitPolicy): Promise<unknown[][]> {
    let waits = 0;
    let waitedMs = 0;
    for (;;) {
      try {
        return await embedBatchOnce(values, opts.signal, limit);
      } catch (error) {
        const limited = rateLimitOf(error);
        if (!limited) throw error;
        let step = nextRateLimitStep(limited.limit, policy, waits, waitedMs);
        // A question's one deadline: a wait that would pass it is not begun.
        if ('waitMs' in step && limit.deadline !== undefined && Date.now() + step.waitMs > limit.deadline) {
          step = { giveUp: `rate limited; waiting ${formatWait(step.waitMs)} would pass the question's ${limit.ms / 1000} s limit` };
        }
        if ('giveUp' in step) {
          const asked = limited.limit.retryAfterMs;
          const retryAfterS = asked === undefined ? undefined : Math.max(1, Math.ceil(asked / 1000));
          const when = retryAfterS === undefined ? '' : `; the server asks to retry in ${formatWait(asked!)}`;
          throw new EmbeddingRateLimitError(
            redactSecrets(`${where}: HTTP 429: ${clip(limited.message)} (${step.giveUp}${when})`, [options.apiKey]),
            limited.limit.quotaUsedUp ? undefined : retryAfterS,
            { cause: error },
          );
        }
        opts.onWait?.(`rate limited by the embedding server (HTTP 429); waiting ${formatWait(step.waitMs)}`);
        await sleep(step.waitMs, opts.signal);
        waits++;
        waitedMs += step.waitMs;
      }
    }
  }

  async function embed(texts: string[], opts: EmbedOptions, limit: TimeLimit, policy: RateLimitPolicy): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += batchSize) {
      for (const e of await embedBatch(texts.slice(i, i + batchSize), opts, limit, policy)) {
        if (!e.every((x) => typeof x === 'number' && Number.isFinite(x))) {
          out.push(e as number[]); // NaN, Infinity or null: the caller's checkVector names it
          continue;
        }
        if (e.length !== EMBEDDING_DIMENSIONS) {
          throw new EmbeddingServerError(
            `The embedding model "${modelName}" returned ${e.length} dimensions; Docent stores ${EMBEDDING_DIMENSIONS}. ` +
              `Use a model that supports the dimensions parameter (text-embedding-3-*) or returns ${EMBEDDING_DIMENSIONS}.`,
            { kind: 'unusable-vector' },
          );
        }
        out.push(normalize(e as number[]));
      }
      opts.onProgress?.(out.length);
    }
    return out;
  }

  return {
    modelId: `openai:${modelName}@${EMBEDDING_DIMENSIONS}`,
    dimensions: EMBEDDING_DIMENSIONS,
    maxInputTokens: 8191,
    embedDocuments: (texts, opts = {}) =>
      embed(texts, opts, { ms: options.documentTimeoutMs ?? 60_000 }, options.documentsRateLimit ?? DOCUMENTS_RATE_LIMIT),
    async embedQuery(text, opts = {}) {
      const ms = options.queryTimeoutMs ?? 15_000;
      // One deadline for the whole question: every attempt, the SDK's retries and a rate-limit wait.
      const [v] = await embed([text], opts, { ms, deadline: Date.now() + ms }, options.questionRateLimit ?? QUESTION_RATE_LIMIT);
      return v!;
    },
    async close() {},
  };
}

/** How the last of one batch's attempts failed, as far as the provider's `fetch` saw: an error answer, or no connection. */
interface FailedResponse {
  reason?: Extract<EmbeddingFailureReason, { kind: 'status' | 'unreachable' }>;
  /** The error answer's `Retry-After` (or `retry-after-ms`), in ms, if it said. */
  retryAfterMs?: number;
}

/**
 * The time a request may take: `ms` for each batch (its retries included); with `deadline` (ms since
 * the epoch, a question's), everything until then, rate-limit waits included, and `ms` is the whole.
 */
interface TimeLimit {
  ms: number;
  deadline?: number;
}

/**
 * Why the AI SDK's call failed (after its retries), for the reader: the last HTTP status, a
 * connection that failed, or else an answer that is not an embeddings response.
 */
function failureReason(error: unknown): EmbeddingFailureReason {
  const last = RetryError.isInstance(error) ? error.lastError : error;
  if (APICallError.isInstance(last)) {
    if (last.statusCode !== undefined && last.statusCode >= 400) return { kind: 'status', status: last.statusCode };
    if (/^Cannot connect/.test(last.message)) return { kind: 'unreachable' };
  }
  // A connection reset while the body was read surfaces as fetch's own TypeError ("terminated").
  for (let e: unknown = last, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (/ECONNRESET|ECONNREFUSED|EPIPE|ENOTFOUND|EAI_AGAIN|terminated|socket|fetch failed/i.test(`${e.message} ${(e as { code?: string }).code ?? ''}`)) {
      return { kind: 'unreachable' };
    }
  }
  return { kind: 'invalid-response' };
}

/** Longest server message kept in an error. */
const MAX_MESSAGE = 300;
const clip = (text: string) => (text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text);

/** What went wrong, from the AI SDK's error: `failed after 4 attempts: HTTP 500: …`, `HTTP 401: … (check OPENAI_API_KEY)`. */
function describeFailure(error: unknown): string {
  if (RetryError.isInstance(error)) {
    const attempts = error.errors.length;
    const last = describeFailure(error.lastError);
    return attempts > 1 ? `failed after ${attempts} attempts: ${last}` : last;
  }
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    if (status !== undefined && status >= 400) {
      const hint =
        status === 401 || status === 403
          ? ' (check OPENAI_API_KEY)'
          : status === 404
            ? ' (check EMBEDDING_MODEL and OPENAI_BASE_URL)'
            : '';
      return `HTTP ${status}: ${clip(error.message)}${hint}`;
    }
    if (/^Cannot connect/.test(error.message)) return `${clip(error.message)} (is the server running? check OPENAI_BASE_URL)`;
    // "Invalid JSON response" and the like: the cause holds the whole body, which is not repeated here.
    return `the server sent a response that is not an embeddings response (${clip(error.message)})`;
  }
  return clip(error instanceof Error ? error.message : String(error));
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Marks bare `NaN` / `Infinity` values (not JSON) as strings, so the body parses. */
const NON_FINITE = /([[,:]\s*)(-?Infinity|NaN)(?=\s*[,\]}])/g;
const MARK = '\u0000';

/** `text` as JSON, reading bare NaN and ±Infinity values as numbers; `undefined` if it is not JSON. */
function parseLenient(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    try {
      // The mark is written as the JSON escape `\u0000`: a raw control character is not valid in a JSON string.
      return JSON.parse(text.replace(NON_FINITE, '$1"\\u0000$2"'), (_key, value: unknown) =>
        typeof value === 'string' && value.startsWith(MARK) ? Number(value.slice(1)) : value,
      );
    } catch {
      return undefined;
    }
  }
}

/** The request body's `input` texts, if it has them. */
function inputsOf(body: unknown): string[] | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const input = (JSON.parse(body) as { input?: unknown }).input;
    return Array.isArray(input) && input.every((x) => typeof x === 'string') ? input : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A `fetch` for the embeddings endpoint that hands the AI SDK a response it reads right: `data`
 * sorted by `index` (a response whose indexes are not exactly 0 to n-1 is refused; one with no
 * indexes at all keeps its order), and each vector holding something other than finite numbers
 * replaced by zeros, its original kept in `unusable` under its input text. The status and
 * `Retry-After` of the last error answer are kept in `failed`.
 */
function embeddingsFetch(unusable: Map<string, unknown[]>, failed: FailedResponse): typeof fetch {
  return async (input, init) => {
    // What failed is the attempt that failed last: one still running when time runs out timed out.
    failed.reason = undefined;
    failed.retryAfterMs = undefined;
    let response: Response;
    try {
      response = await fetch(input, init);
    } catch (error) {
      if (!init?.signal?.aborted) failed.reason = { kind: 'unreachable' };
      throw error;
    }
    if (!response.ok) {
      failed.reason = { kind: 'status', status: response.status };
      failed.retryAfterMs = retryAfterMs(response.headers);
    }
    if (response.status === 429) {
      // Thrown as not retryable: the SDK would retry it on its own schedule; `embedBatch` waits as the server asks.
      const body = await response.text().catch(() => '');
      throw new RateLimited(readRateLimit(response.headers, body), callErrorInit(input, response, body));
    }
    if (!response.ok) return response;
    const text = await response.text();
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    headers.delete('content-encoding');
    const passOn = (body: string) => new Response(body, { status: response.status, statusText: response.statusText, headers });
    const body = parseLenient(text);
    if (!isRecord(body) || !Array.isArray(body.data)) return passOn(text);
    const data = body.data as unknown[];
    const indexes = data.map((item) => (isRecord(item) ? item.index : undefined));
    if (indexes.some((i) => i !== undefined)) {
      const expected = new Set(data.map((_, i) => i));
      for (const i of indexes) if (typeof i !== 'number' || !expected.delete(i)) break;
      if (expected.size > 0) {
        const shown = indexes.slice(0, 10).map((i) => JSON.stringify(i ?? null)).join(', ');
        throw new Error(
          `the response's data indexes are not 0 to ${data.length - 1} (got ${shown}${indexes.length > 10 ? ', …' : ''}), ` +
            'so vectors cannot be matched to their inputs',
        );
      }
      data.sort((a, b) => ((a as { index: number }).index) - (b as { index: number }).index);
    }
    const inputs = inputsOf(init?.body);
    if (inputs) {
      data.forEach((item, i) => {
        const text = inputs[i];
        if (text === undefined || !isRecord(item) || !Array.isArray(item.embedding)) return;
        const vector = item.embedding as unknown[];
        if (vector.every((x) => typeof x === 'number' && Number.isFinite(x))) {
          unusable.delete(text); // a retry may have fixed it
          return;
        }
        unusable.set(text, vector);
        item.embedding = vector.map(() => 0);
      });
    }
    return passOn(JSON.stringify(body));
  };
}
