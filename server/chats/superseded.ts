/**
 * Regenerating an answer (or retrying a failed one) adds a new assistant message after the same
 * question and keeps the old one, with its sources and any feedback, for the review page.
 * Editing a question (the chat client sends a message id it sent before, with new text) or
 * asking an earlier question again adds the question anew, after everything, and keeps the old
 * branch the same way. A conversation, as the reader sees it again and as the model reads it,
 * shows only the latest version of each question and the latest answer to it.
 */

/**
 * Drops every assistant message that is directly followed by another assistant message (an
 * answer that was regenerated). `rows` must be in conversation order.
 */
export function withoutSupersededAnswers<T extends { role: string }>(rows: readonly T[]): T[] {
  return rows.filter((row, i) => !(row.role === 'assistant' && rows[i + 1]?.role === 'assistant'));
}

/**
 * Drops the branches that an edited or re-asked question replaced: when a user message carries
 * the client id of an earlier user message (its `clientMessageId`, or its server `id` for a chat
 * reopened from history), the earlier message and everything after it up to the new one go, as
 * they do in the chat client. `rows` must be in conversation order.
 */
export function withoutEditedBranches<T extends { id: string; role: string; clientMessageId: string | null }>(
  rows: readonly T[],
): T[] {
  const kept: T[] = [];
  for (const row of rows) {
    const clientId = row.clientMessageId;
    if (row.role === 'user' && clientId !== null) {
      const replaced = kept.findIndex((m) => m.role === 'user' && (m.clientMessageId === clientId || m.id === clientId));
      if (replaced !== -1) kept.length = replaced;
    }
    kept.push(row);
  }
  return kept;
}

/** What the reader and the model see of a chat: {@link withoutEditedBranches}, then {@link withoutSupersededAnswers}. */
export function currentConversation<T extends { id: string; role: string; clientMessageId: string | null }>(rows: readonly T[]): T[] {
  return withoutSupersededAnswers(withoutEditedBranches(rows));
}
