/**
 * What a live chat keeps of a turn that did not end in a complete answer. While that turn is the
 * last one, the session's alert (or "Stopped.") says what happened; asking the next question
 * clears the alert, so the turn itself must keep it, as a chat reopened from history does (its
 * stored `status` and `error`). Recorded in the messages' metadata, where history puts it:
 *
 * - on the answer, when one had begun: `status: 'error'` and the reason the reader was told, or
 *   `status: 'aborted'`;
 * - on the question, when no answer had begun (the server refused the question, say with a 429,
 *   could not be reached, or the reader stopped it before its answer started): the same fields,
 *   shown after the question by {@link unansweredNote}.
 *
 * Only the text of messages travels back to the server, so this never changes what is asked.
 */
import type { DocentMessage } from './types';

/** How a turn ended without a complete answer: the reader was told `reason`, or stopped it. */
export type FailedTurn = { status: 'error'; reason: string } | { status: 'aborted' };

/**
 * `messages` with `ended` recorded on the turn it ended: the answer `answerId` when it is in the
 * list (the answer the chat client was writing), else the last question (no answer had begun).
 * The same list when there is neither.
 */
export function recordFailedTurn(messages: DocentMessage[], answerId: string | undefined, ended: FailedTurn): DocentMessage[] {
  let index = answerId === undefined ? -1 : messages.findIndex((m) => m.id === answerId && m.role === 'assistant');
  if (index === -1 && messages.at(-1)?.role === 'user') index = messages.length - 1;
  if (index === -1) return messages;
  const message = messages[index]!;
  const { error: _earlier, ...metadata } = message.metadata ?? {};
  const marked: DocentMessage = {
    ...message,
    metadata: { ...metadata, status: ended.status, ...(ended.status === 'error' ? { error: ended.reason } : {}) },
  };
  return messages.map((m, i) => (i === index ? marked : m));
}

/**
 * What to say after the question `messages[index]` when no answer followed it: "Stopped.", or the
 * reason its answer could not begin. `undefined` when it was answered, or when it is the last
 * message and the session's alert says why (`alertShown`) or an answer is on its way (`busy`).
 */
export function unansweredNote(messages: DocentMessage[], index: number, options: { busy: boolean; alertShown: boolean }): string | undefined {
  const question = messages[index];
  if (question?.role !== 'user') return undefined;
  const next = messages[index + 1];
  if (next?.role === 'assistant') return undefined;
  if (!next && (options.busy || options.alertShown)) return undefined;
  const { status, error } = question.metadata ?? {};
  if (status === 'aborted') return 'Stopped.';
  if (status === 'error' && error) return error;
  return undefined;
}
