/**
 * Regenerating an answer (or retrying a failed one) adds a new assistant message after the same
 * question and keeps the old one, with its sources and any feedback, for the review page. A
 * conversation, as the reader sees it again and as the model reads it, shows only the latest
 * answer to each question.
 */

/**
 * Drops every assistant message that is directly followed by another assistant message (an
 * answer that was regenerated). `rows` must be in conversation order.
 */
export function withoutSupersededAnswers<T extends { role: string }>(rows: readonly T[]): T[] {
  return rows.filter((row, i) => !(row.role === 'assistant' && rows[i + 1]?.role === 'assistant'));
}
