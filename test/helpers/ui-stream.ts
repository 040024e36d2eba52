/**
 * Reads a UI message stream response (SSE, `x-vercel-ai-ui-message-stream: v1`) the way
 * `useChat` does: the raw chunks, and the assembled assistant message.
 */
import { readUIMessageStream, type UIMessage, type UIMessageChunk, uiMessageChunkSchema } from 'ai';

/** Parses the SSE body into chunks (each validated against the AI SDK's chunk schema). */
export async function readChunks(response: Response): Promise<UIMessageChunk[]> {
  const text = await response.text();
  const chunks: UIMessageChunk[] = [];
  for (const event of text.split('\n\n')) {
    const data = event
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => l.slice(6))
      .join('\n');
    if (data === '' || data === '[DONE]') continue;
    const parsed = await (uiMessageChunkSchema() as unknown as { validate?: (v: unknown) => Promise<{ success: boolean }> }).validate?.(
      JSON.parse(data),
    );
    if (parsed && !parsed.success) throw new Error(`not a valid UI message chunk: ${data}`);
    chunks.push(JSON.parse(data) as UIMessageChunk);
  }
  return chunks;
}

/** Assembles chunks into the final assistant message, as `useChat` would show it. */
export async function assemble(chunks: UIMessageChunk[]): Promise<UIMessage> {
  const stream = new ReadableStream<UIMessageChunk>({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });
  let last: UIMessage | undefined;
  for await (const message of readUIMessageStream({ stream, onError: () => {} })) last = message;
  if (!last) throw new Error('the stream produced no message');
  return last;
}

/** The text of a message's text parts. */
export function textOf(message: UIMessage): string {
  return message.parts
    .filter((p): p is { type: 'text'; text: string } => p.type === 'text')
    .map((p) => p.text)
    .join('');
}

/** A `useChat`-style request body asking `question` in chat `chatId`. */
export function chatBody(chatId: string, question: string, messageId = `m-${Math.random().toString(36).slice(2)}`) {
  return {
    id: chatId,
    messages: [{ id: messageId, role: 'user', parts: [{ type: 'text', text: question }] }],
    trigger: 'submit-message',
  };
}
