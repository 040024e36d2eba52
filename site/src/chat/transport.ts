/**
 * The chat transport: the AI SDK's `DefaultChatTransport`, plus one check the SDK does not make.
 *
 * A UI message stream that is complete ends with a `finish` part. `useChat` treats a stream that
 * simply ends as a finished answer, even without that part: when a proxy or load balancer closes
 * the response normally in the middle of an answer, the half answer would look complete (no
 * error, rating offered). {@link requireFinish} turns such an ending into an `error` part, so the
 * answer is shown as interrupted, with a retry, like a connection that dropped, and marks it
 * `interrupted` in its metadata: the widget offers no rating for it, because the server's record
 * of that answer (complete, stopped or still being written) is not what the reader saw.
 */
import { DefaultChatTransport, type UIMessage, type UIMessageChunk } from 'ai';

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

/** `DefaultChatTransport` whose answer streams must end with `finish` (see {@link requireFinish}). */
export class DocentChatTransport<M extends UIMessage> extends DefaultChatTransport<M> {
  override async sendMessages(options: Parameters<DefaultChatTransport<M>['sendMessages']>[0]): Promise<ReadableStream<UIMessageChunk>> {
    return (await super.sendMessages(options)).pipeThrough(requireFinish());
  }
}
