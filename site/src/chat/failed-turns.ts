/**
 * What a live chat keeps of a turn that did not end in a complete answer. While that turn is the
 * last one, the session's alert (or "Stopped.") says what happened; asking the next question
 * clears the alert, so the turn itself must keep it, as a chat reopened from history does (its
 * stored `status` and `error`). Recorded in the answer's metadata, where history puts it:
 * `status: 'error'` and the reason the reader was told, or `status: 'aborted'`.
 *
 * Only the text of messages travels back to the server, so this never changes what is asked.
 */
import type { DocentMessage } from './types';

/** How a turn ended without a complete answer: the reader was told `reason`, or stopped it. */
export type FailedTurn = { status: 'error'; reason: string } | { status: 'aborted' };

/**
 * `messages` with `ended` recorded on the answer `answerId` (the answer the chat client was
 * writing); the same list when that answer is not in it.
 */
export function recordFailedTurn(messages: DocentMessage[], answerId: string | undefined, ended: FailedTurn): DocentMessage[] {
  const index = answerId === undefined ? -1 : messages.findIndex((m) => m.id === answerId && m.role === 'assistant');
  if (index === -1) return messages;
  const message = messages[index]!;
  const { error: _earlier, ...metadata } = message.metadata ?? {};
  const marked: DocentMessage = {
    ...message,
    metadata: { ...metadata, status: ended.status, ...(ended.status === 'error' ? { error: ended.reason } : {}) },
  };
  return messages.map((m, i) => (i === index ? marked : m));
}
