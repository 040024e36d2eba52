/**
 * Keep-alive comments for server-sent events: while a stream has nothing to send (the model is
 * thinking, or pauses), an SSE comment line (`: keep-alive`) every few seconds keeps proxies and
 * load balancers with an idle timeout (nginx's `proxy_read_timeout`, 60 s by default; a cloud load
 * balancer's idle timeout) from closing the response. SSE clients ignore comments.
 */

/** How long a stream may stay silent before a keep-alive comment is sent, in ms. */
export const DEFAULT_KEEP_ALIVE_MS = 15_000;

const COMMENT = new TextEncoder().encode(': keep-alive\n\n');

/** Whether `bytes` ends an SSE event (a blank line), so that a comment may follow. */
function endsEvent(bytes: Uint8Array): boolean {
  const n = bytes.length;
  return n >= 2 && bytes[n - 1] === 0x0a && bytes[n - 2] === 0x0a;
}

/**
 * `source` (an SSE body) with `: keep-alive` comments inserted between events whenever it has sent
 * nothing for `intervalMs`. Cancelling the result cancels `source`.
 */
export function withKeepAlive(source: ReadableStream<Uint8Array>, intervalMs = DEFAULT_KEEP_ALIVE_MS): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  let betweenEvents = true;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      // Until something is sent: a pull that enqueues nothing would not be called again.
      for (;;) {
        pending ??= reader.read();
        let timer: ReturnType<typeof setTimeout> | undefined;
        const silence = new Promise<'silence'>((resolve) => (timer = setTimeout(() => resolve('silence'), intervalMs)));
        const result = await Promise.race([pending, silence]).finally(() => clearTimeout(timer));
        if (result === 'silence') {
          if (!betweenEvents) continue;
          controller.enqueue(COMMENT);
          return;
        }
        pending = undefined;
        if (result.done) {
          controller.close();
          return;
        }
        controller.enqueue(result.value);
        betweenEvents = endsEvent(result.value);
        return;
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
