/**
 * The chat transport: the AI SDK's `DefaultChatTransport`, plus two checks the SDK does not make.
 *
 * A UI message stream that is complete ends with a `finish` part. `useChat` treats a stream that
 * simply ends as a finished answer, even without that part: when a proxy or load balancer closes
 * the response normally in the middle of an answer, the half answer would look complete (no
 * error, rating offered). {@link requireFinish} turns such an ending into an `error` part, so the
 * answer is shown as interrupted, with a retry, like a connection that dropped, and marks it
 * `interrupted` in its metadata: the widget offers no rating for it, because the server's record
 * of that answer (complete, stopped or still being written) is not what the reader saw.
 *
 * `useChat` counts a connection that dropped mid-answer as one (`isDisconnect`, so no rating)
 * only when the browser's TypeError mentions "fetch" or "network": Chromium's "network error"
 * and Firefox's "NetworkError when attempting to fetch resource." do, Safari's "Load failed"
 * does not. {@link endOnDroppedConnection} ends such a stream the same way in every browser.
 *
 * `useChat` shows an error response's body as the error's text. A proxy's HTML page ("502 Bad
 * Gateway" while Docent restarts) would be shown raw: {@link withReadableErrors} turns it into
 * Docent's JSON error, with a sentence naming the status.
 */
import { DefaultChatTransport, type HttpChatTransportInitOptions, type UIMessage, type UIMessageChunk } from 'ai';
import { httpErrorMessage, isNetworkFailure, parseApiError } from './api';

/** What the reader is told when the answer's stream ended before its `finish` part. */
export const INCOMPLETE_ANSWER_MESSAGE = 'The connection to the Docent server closed before the answer was complete. Try again.';

/**
 * Passes the chunks through; if the stream ends without a `finish` part (and without an `error`
 * part, which already says what went wrong), appends a `message-metadata` part with
 * `{ interrupted: true }` and an `error` part. A stream that errors (the reader pressed Stop, the
 * connection dropped) errors through unchanged.
 */
export function requireFinish(): TransformStream<UIMessageChunk, UIMessageChunk> {
  let ended = false;
  return new TransformStream<UIMessageChunk, UIMessageChunk>({
    transform(chunk, controller) {
      if (chunk.type === 'finish' || chunk.type === 'error' || chunk.type === 'abort') ended = true;
      controller.enqueue(chunk);
    },
    flush(controller) {
      // Enqueued, not `controller.error()`: chunks still queued for the reader are kept, and the
      // error reaches `useChat` in order, after the text that did arrive.
      if (ended) return;
      controller.enqueue({ type: 'message-metadata', messageMetadata: { interrupted: true } });
      controller.enqueue({ type: 'error', errorText: INCOMPLETE_ANSWER_MESSAGE });
    },
  });
}

/**
 * Passes the chunks through; if reading them fails because the connection dropped (fetch's
 * TypeError, in any browser: {@link isNetworkFailure}), ends the stream with a `message-metadata`
 * part `{ interrupted: true }` and an `error` part carrying the browser's message, which the
 * widget shows as "Could not reach the Docent server" (`describeError`). Enqueued in order, not
 * errored: an errored stream drops what it still holds. Any other error (the reader pressed Stop)
 * errors through unchanged.
 */
export function endOnDroppedConnection(stream: ReadableStream<UIMessageChunk>): ReadableStream<UIMessageChunk> {
  const reader = stream.getReader();
  return new ReadableStream<UIMessageChunk>({
    async pull(controller) {
      let next: ReadableStreamReadResult<UIMessageChunk>;
      try {
        next = await reader.read();
      } catch (error) {
        if (!isNetworkFailure(error)) throw error;
        controller.enqueue({ type: 'message-metadata', messageMetadata: { interrupted: true } });
        controller.enqueue({ type: 'error', errorText: error.message });
        controller.close();
        return;
      }
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/**
 * Wraps `fetch`: an error response whose body is not Docent's JSON error (`{"error":{"code",
 * "message"}}`) is replaced by one, with the status and {@link httpErrorMessage}'s sentence.
 * Successful responses, and Docent's own errors, pass through untouched.
 */
export function withReadableErrors(fetchImpl: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    if (response.ok) return response;
    const text = await response
      .clone()
      .text()
      .catch(() => '');
    if (parseApiError(text)) return response;
    const error = { code: `http_${response.status}`, message: httpErrorMessage(response.status, response.statusText) };
    return new Response(JSON.stringify({ error }), {
      status: response.status,
      statusText: response.statusText,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
  };
}

/**
 * `DefaultChatTransport` whose answer streams must end with `finish` (see {@link requireFinish}),
 * whose dropped connections end the answer as interrupted (see {@link endOnDroppedConnection}),
 * and whose error responses read as Docent's errors (see {@link withReadableErrors}).
 */
export class DocentChatTransport<M extends UIMessage> extends DefaultChatTransport<M> {
  constructor(options: HttpChatTransportInitOptions<M> = {}) {
    const fetchImpl = options.fetch;
    super({ ...options, fetch: withReadableErrors((input, init) => (fetchImpl ?? globalThis.fetch)(input, init)) });
  }

  override async sendMessages(options: Parameters<DefaultChatTransport<M>['sendMessages']>[0]): Promise<ReadableStream<UIMessageChunk>> {
    return endOnDroppedConnection(await super.sendMessages(options)).pipeThrough(requireFinish());
  }
}
