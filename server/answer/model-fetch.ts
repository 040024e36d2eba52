/**
 * The `fetch` the chat model's provider uses, so that a model server's long `Retry-After` is told
 * rather than waited out. The AI SDK retries a failed request (a 429, a 5xx) once, after the wait
 * the server asks for when it is under a minute: a reader would watch an empty answer for 20 s
 * before hearing the model server is rate limiting. Here a retryable refusal that asks for more
 * than {@link MAX_RETRY_WAIT_MS} fails at once, not to be retried, with the server's status, headers
 * and body, so the reader is told to retry and when (`./errors`). Shorter waits are retried as
 * the SDK does.
 */
import { APICallError } from 'ai';
import { retryAfterMs } from './retry-after';

/** The longest `Retry-After` the one automatic retry waits out. */
export const MAX_RETRY_WAIT_MS = 5_000;

/** Statuses the AI SDK retries (as `APICallError` decides `isRetryable`). */
const isRetryableStatus = (status: number) => status === 408 || status === 409 || status === 429 || status >= 500;

/** The message of an OpenAI-style error body (`{"error":{"message"}}`, vLLM's `{"message"}`), if any. */
export function bodyMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    const message = typeof parsed.error === 'string' ? parsed.error : (parsed.error?.message ?? parsed.message);
    return typeof message === 'string' && message !== '' ? message : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `fetch` for the chat model: a retryable error response whose `Retry-After` asks for more than
 * `maxWaitMs` throws a non-retryable `APICallError` (status, headers and body kept) instead of
 * returning, so the SDK does not wait it out. Every other response is returned as it came.
 */
export function fetchWithoutLongRetryWaits(maxWaitMs = MAX_RETRY_WAIT_MS, baseFetch: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    const response = await baseFetch(input, init);
    if (response.ok || !isRetryableStatus(response.status)) return response;
    const wait = retryAfterMs(response.headers);
    if (wait === undefined || wait <= maxWaitMs) return response;
    const body = await response.text().catch(() => '');
    throw new APICallError(callErrorInit(input, response, body));
  };
}

/**
 * What an `APICallError` for `response` holds (its `body` already read): the server's message,
 * status, headers and body, and not retryable, so that the SDK does not retry it on its own.
 */
export function callErrorInit(input: Parameters<typeof fetch>[0], response: Response, body: string): ConstructorParameters<typeof APICallError>[0] {
  return {
    message: bodyMessage(body) ?? `${response.status} ${response.statusText}`,
    url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
    requestBodyValues: undefined,
    statusCode: response.status,
    responseHeaders: Object.fromEntries(response.headers.entries()),
    responseBody: body,
    isRetryable: false,
  };
}
