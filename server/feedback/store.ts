/**
 * A user's feedback on an assistant message: one row per user and message. A second call updates
 * it: `vote` is always replaced; `rating` and `comment` are replaced when given (`null` clears
 * them) and kept when left out, so a client can send a thumb first and a comment later.
 * `updatedAt` moves only when the vote, rating or comment actually changes.
 */
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/open';
import { chats, messageFeedback, messages } from '../db/schema';
import { isUuid } from '../db/uuid';

/** The body of `POST /api/messages/:id/feedback`. */
export const feedbackInputSchema = z.strictObject({
  vote: z.enum(['up', 'down'], { error: 'vote must be "up" or "down"' }),
  rating: z
    .number({ error: 'rating must be a whole number from 1 to 5' })
    .int('rating must be a whole number from 1 to 5')
    .min(1, 'rating must be from 1 to 5')
    .max(5, 'rating must be from 1 to 5')
    .nullable()
    .optional(),
  comment: z
    .string({ error: 'comment must be a string' })
    .max(2000, 'comment must be at most 2000 characters')
    .transform((c) => (c.trim() === '' ? null : c.trim()))
    .nullable()
    .optional(),
});
export type FeedbackInput = z.infer<typeof feedbackInputSchema>;

export interface SavedFeedback {
  id: string;
  messageId: string;
  vote: 'up' | 'down';
  rating: number | null;
  comment: string | null;
  createdAt: string;
  updatedAt: string;
  /** True when this call created the feedback (false: it updated it). */
  created: boolean;
  /** The message's LangSmith run, to forward the feedback to. */
  langsmithRunId: string | null;
}


/**
 * The assistant message `messageId` if it is in one of `userId`'s chats. Inside a transaction, the
 * message is kept from being deleted (its chat deleted in another tab) until the transaction ends.
 */
export async function findOwnAssistantMessage(db: Database, userId: string, messageId: string) {
  if (!isUuid(messageId)) return undefined;
  const [row] = await db
    .select({ id: messages.id, status: messages.status, langsmithRunId: messages.langsmithRunId })
    .from(messages)
    .innerJoin(chats, eq(chats.id, messages.chatId))
    .where(and(eq(messages.id, messageId), eq(chats.userId, userId), eq(messages.role, 'assistant')))
    .limit(1)
    .for('key share', { of: messages });
  return row;
}

/**
 * Creates or updates `userId`'s feedback on `messageId`. Returns `undefined` when the message is
 * not one of the user's assistant messages (the route answers 404, whoever owns it);
 * `'not_finished'` when it is one still being written (status `streaming`): there is no answer
 * to rate yet, and what the reader saw of it may not be what it becomes; and `'failed'` when it
 * failed part-way (status `error`: the model or the server broke off, or it passed the time
 * limit): a rating of it would judge the failure, not an answer, and would be read on the review
 * page as a verdict on what the docs and the model answer. Its question asked again gets an
 * answer that can be rated. Feedback stored on such an answer earlier is kept.
 */
export async function saveFeedback(
  db: Database,
  userId: string,
  messageId: string,
  input: FeedbackInput,
): Promise<SavedFeedback | 'not_finished' | 'failed' | undefined> {
  // One transaction: a chat deleted meanwhile (another tab) is either gone before the message is
  // found (404) or deleted after the feedback is written (and takes it along), never in between.
  return db.transaction((tx) => saveFeedbackOf(tx as unknown as Database, userId, messageId, input));
}

async function saveFeedbackOf(
  db: Database,
  userId: string,
  messageId: string,
  input: FeedbackInput,
): Promise<SavedFeedback | 'not_finished' | 'failed' | undefined> {
  const message = await findOwnAssistantMessage(db, userId, messageId);
  if (!message) return undefined;
  if (message.status === 'streaming') return 'not_finished';
  if (message.status === 'error') return 'failed';

  const set: Record<string, unknown> = { vote: input.vote };
  // `updated_at` says when the reader last changed their verdict (the review page sorts and
  // filters by it), so sending the same feedback again leaves it as it was.
  const changed = [sql`message_feedback.vote is distinct from excluded.vote`];
  if (input.rating !== undefined) {
    set.rating = input.rating;
    changed.push(sql`message_feedback.rating is distinct from excluded.rating`);
  }
  if (input.comment !== undefined) {
    set.comment = input.comment;
    changed.push(sql`message_feedback.comment is distinct from excluded.comment`);
  }
  set.updatedAt = sql`case when ${sql.join(changed, sql` or `)} then now() else message_feedback.updated_at end`;
  const [row] = await db
    .insert(messageFeedback)
    .values({ messageId, userId, vote: input.vote, rating: input.rating ?? null, comment: input.comment ?? null })
    .onConflictDoUpdate({ target: [messageFeedback.userId, messageFeedback.messageId], set })
    .returning({
      id: messageFeedback.id,
      messageId: messageFeedback.messageId,
      vote: messageFeedback.vote,
      rating: messageFeedback.rating,
      comment: messageFeedback.comment,
      createdAt: messageFeedback.createdAt,
      updatedAt: messageFeedback.updatedAt,
      // `xmax = 0` only for a freshly inserted row.
      created: sql<boolean>`(xmax = 0)`,
    });
  return {
    ...row!,
    created: Boolean(row!.created),
    createdAt: row!.createdAt.toISOString(),
    updatedAt: row!.updatedAt.toISOString(),
    langsmithRunId: message.langsmithRunId,
  };
}
