/**
 * Writes of chats, messages and their sources. Every query that takes a `userId` only ever
 * touches that user's rows.
 */
import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { SERVER_STOPPED } from '../answer/errors';
import { databaseKind, type Database } from '../db/open';
import {
  type CitationCheck,
  chats,
  chunks,
  type Chat,
  messageSources,
  messages,
  type RetrievalSettingsSnapshot,
  type TokenUsage,
} from '../db/schema';
import type { AnswerSource } from './sources';
import { currentConversation, withoutEditedBranches } from './superseded';

/** Longest chat title kept (the first question, shortened). */
const TITLE_CHARS = 80;

/** A chat title from its first question: one line, at most 80 characters. */
export function chatTitle(question: string): string {
  const line = question.replace(/\s+/g, ' ').trim();
  return line.length <= TITLE_CHARS ? line : `${line.slice(0, TITLE_CHARS - 1).trimEnd()}…`;
}

/**
 * A question asked in a chat the user does not have (any more): the client shows earlier answers
 * of it, but it was deleted (in another tab, say), or it belongs to another session.
 */
export class ChatNotFoundError extends Error {
  override readonly name = 'ChatNotFoundError';
  constructor(readonly clientChatId: string) {
    super(`The user has no chat with the client id ${JSON.stringify(clientChatId.slice(0, 80))}.`);
  }
}

/** The user's chat with the client's id `clientChatId`, or `undefined`. */
export async function findClientChat(db: Database, userId: string, clientChatId: string): Promise<Chat | undefined> {
  const [chat] = await db
    .select()
    .from(chats)
    .where(and(eq(chats.userId, userId), eq(chats.clientChatId, clientChatId)))
    .limit(1);
  return chat;
}

/** The user's chat with the client's id `clientChatId`, created (titled after `question`) if new. */
export async function findOrCreateChat(
  db: Database,
  userId: string,
  clientChatId: string,
  question: string,
): Promise<Chat> {
  await db
    .insert(chats)
    .values({ userId, clientChatId, title: chatTitle(question) || 'New chat' })
    .onConflictDoNothing({ target: [chats.userId, chats.clientChatId] });
  return (await findClientChat(db, userId, clientChatId))!;
}

/**
 * A user message of `chatId` stored earlier under `clientMessageId` (the client's id, or the
 * server's id of a chat reopened from history): a regenerate, a retry or an edit sends it again.
 * The latest version when it was edited before; `latest` says whether it is the chat's last
 * question.
 */
export async function findUserMessage(db: Database, chatId: string, clientMessageId: string) {
  const userMessages = and(eq(messages.chatId, chatId), eq(messages.role, 'user'));
  const [row] = await db
    .select({ id: messages.id, content: messages.content })
    .from(messages)
    .where(
      and(
        userMessages,
        or(eq(messages.clientMessageId, clientMessageId), sql`${messages.id}::text = ${clientMessageId}`),
      ),
    )
    .orderBy(desc(messages.createdAt))
    .limit(1);
  if (!row) return undefined;
  const [last] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(userMessages)
    .orderBy(desc(messages.createdAt))
    .limit(1);
  return { ...row, latest: last?.id === row.id };
}

/**
 * The chat's last question, as {@link findUserMessage} gives it (`latest`: true): what a
 * regenerate sent without message ids answers again. `undefined` for a chat with no question.
 */
export async function findLastUserMessage(db: Database, chatId: string) {
  const [row] = await db
    .select({ id: messages.id, content: messages.content })
    .from(messages)
    .where(and(eq(messages.chatId, chatId), eq(messages.role, 'user')))
    .orderBy(desc(messages.createdAt))
    .limit(1);
  return row ? { ...row, latest: true } : undefined;
}

/**
 * The message of `chatId` a chat client names by `messageId` (`useChat`'s `regenerate({ messageId })`
 * or `sendMessage({ text, messageId })`): an answer by the server's id (the one its stream
 * started with), a question by the client's id or the server's. With the question the message
 * is or answers, as {@link findUserMessage} gives it; `undefined` when the chat has no such
 * message.
 */
export async function findNamedMessage(db: Database, chatId: string, messageId: string) {
  const [named] = await db
    .select({ id: messages.id, role: messages.role })
    .from(messages)
    .where(
      and(
        eq(messages.chatId, chatId),
        inArray(messages.role, ['user', 'assistant']),
        or(sql`${messages.id}::text = ${messageId}`, and(eq(messages.role, 'user'), eq(messages.clientMessageId, messageId))),
      ),
    )
    .orderBy(desc(messages.createdAt))
    .limit(1);
  if (!named) return undefined;
  const userMessages = and(eq(messages.chatId, chatId), eq(messages.role, 'user'));
  // An answer's question is the last one asked up to it (a turn stores both at one timestamp).
  const [question] = await db
    .select({ id: messages.id, clientMessageId: messages.clientMessageId, content: messages.content })
    .from(messages)
    .where(named.role === 'user' ? eq(messages.id, named.id) : and(userMessages, sql`${messages.createdAt} <= (select m.created_at from messages m where m.id = ${named.id})`))
    .orderBy(desc(messages.createdAt))
    .limit(1);
  const [last] = await db.select({ id: messages.id }).from(messages).where(userMessages).orderBy(desc(messages.createdAt)).limit(1);
  return { role: named.role as 'user' | 'assistant', question: question && { ...question, latest: last?.id === question.id } };
}

export interface NewUserMessage {
  chatId: string;
  clientMessageId: string | null;
  text: string;
  parts: unknown[];
  /**
   * The question replaces an earlier one (an edit, or an earlier question asked again): the chat
   * is retitled, in the same transaction, after its first question as the reader now sees it.
   * Default: false (the chat keeps its title).
   */
  replaces?: boolean;
}

export async function insertUserMessage(db: Database, m: NewUserMessage): Promise<string> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Database;
    const [row] = await t
      .insert(messages)
      .values({
        chatId: m.chatId,
        clientMessageId: m.clientMessageId,
        role: 'user',
        content: m.text,
        parts: m.parts,
        status: 'complete',
      })
      .returning({ id: messages.id });
    await touchChat(t, m.chatId);
    if (m.replaces) await retitleChat(t, m.chatId);
    return row!.id;
  });
}

/**
 * Titles a chat after its first question as the reader sees it ({@link withoutEditedBranches}):
 * when that question was edited, the chat list shows the edited text.
 */
async function retitleChat(db: Database, chatId: string): Promise<void> {
  const questions = await db
    .select({ id: messages.id, role: messages.role, clientMessageId: messages.clientMessageId, content: messages.content })
    .from(messages)
    .where(and(eq(messages.chatId, chatId), eq(messages.role, 'user')))
    .orderBy(asc(messages.createdAt));
  const first = withoutEditedBranches(questions)[0];
  if (first) await db.update(chats).set({ title: chatTitle(first.content) || 'New chat' }).where(eq(chats.id, chatId));
}

export interface NewAssistantMessage {
  chatId: string;
  model: string | null;
  retrievalSettings: RetrievalSettingsSnapshot;
  langsmithRunId?: string | null;
}

/** Inserts the assistant message in status `streaming`, before anything is generated. */
export async function insertAssistantMessage(db: Database, m: NewAssistantMessage): Promise<string> {
  const [row] = await db
    .insert(messages)
    .values({
      chatId: m.chatId,
      role: 'assistant',
      content: '',
      status: 'streaming',
      model: m.model,
      retrievalSettings: m.retrievalSettings,
      langsmithRunId: m.langsmithRunId ?? null,
    })
    .returning({ id: messages.id });
  return row!.id;
}

/**
 * Records the sources retrieved for an assistant message (rank, score and a snapshot of each).
 * A chunk an ingest removed since it was retrieved is recorded without its link (`chunk_id`
 * null, as its removal later would leave it): the snapshot is what the answer quotes.
 */
export async function saveMessageSources(db: Database, messageId: string, sources: AnswerSource[]): Promise<void> {
  if (sources.length === 0) return;
  await db.insert(messageSources).values(
    sources.map((s) => ({
      messageId,
      chunkId: sql`(select ${chunks.id} from ${chunks} where ${chunks.id} = ${s.chunkId})`,
      rank: s.rank,
      score: s.score,
      source: s.source,
      path: s.path,
      title: s.title,
      heading: s.headings.join(' > '),
      anchor: s.anchor,
      url: s.url,
      quote: s.text,
    })),
  );
}

export interface FinishedAssistantMessage {
  status: 'complete' | 'truncated' | 'error' | 'aborted';
  content: string;
  parts: unknown[];
  model?: string | null;
  usage?: TokenUsage | null;
  latencyMs: number;
  retrievalQuery?: string | null;
  citations?: CitationCheck | null;
  error?: string | null;
}

/**
 * Finishes an assistant message and marks the sources its answer cited. Returns false when the
 * message is no longer there: its chat was deleted meanwhile (perhaps through another server
 * sharing the database).
 */
export async function finishAssistantMessage(
  db: Database,
  messageId: string,
  chatId: string,
  m: FinishedAssistantMessage,
): Promise<boolean> {
  const updated = await db
    .update(messages)
    .set({
      status: m.status,
      content: m.content,
      parts: m.parts,
      ...(m.model !== undefined ? { model: m.model } : {}),
      usage: m.usage ?? null,
      latencyMs: Math.round(m.latencyMs),
      retrievalQuery: m.retrievalQuery ?? null,
      citations: m.citations ?? null,
      error: m.error ?? null,
    })
    .where(eq(messages.id, messageId))
    .returning({ id: messages.id });
  if (updated.length === 0) return false;
  const cited = m.citations?.valid ?? [];
  if (cited.length) {
    await db
      .update(messageSources)
      .set({ cited: true })
      .where(and(eq(messageSources.messageId, messageId), inArray(messageSources.rank, cited)));
  }
  await touchChat(db, chatId);
  return true;
}

/** Whether the message `messageId` is still stored (its chat was not deleted). */
export async function messageExists(db: Database, messageId: string): Promise<boolean> {
  const rows = await db.select({ id: messages.id }).from(messages).where(eq(messages.id, messageId)).limit(1);
  return rows.length > 0;
}

async function touchChat(db: Database, chatId: string): Promise<void> {
  await db.update(chats).set({ updatedAt: sql`now()` }).where(eq(chats.id, chatId));
}

/** One earlier message of a chat, as the rewrite and the model are given it. */
export interface HistoryMessage {
  role: 'user' | 'assistant';
  content: string;
  /** For an answer: the standalone query its question was rewritten to, when it was. */
  retrievalQuery?: string;
}

/**
 * The last `limit` finished turns of a chat as the reader sees it, oldest first, for rewriting
 * follow-up questions and for the model. With `beforeMessageId`, only what came before that
 * message (a question asked again is answered from the turns before it).
 */
export async function chatHistory(
  db: Database,
  chatId: string,
  limit = 6,
  options: { beforeMessageId?: string } = {},
): Promise<HistoryMessage[]> {
  const rows = await db
    .select({
      id: messages.id,
      role: messages.role,
      content: messages.content,
      clientMessageId: messages.clientMessageId,
      retrievalQuery: messages.retrievalQuery,
    })
    .from(messages)
    .where(
      and(
        eq(messages.chatId, chatId),
        inArray(messages.role, ['user', 'assistant']),
        inArray(messages.status, ['complete', 'truncated']),
        options.beforeMessageId
          ? sql`${messages.createdAt} < (select m.created_at from messages m where m.id = ${options.beforeMessageId})`
          : undefined,
      ),
    )
    // Same timestamp: the assistant message came after its question.
    .orderBy(desc(messages.createdAt), sql`case when ${messages.role} = 'assistant' then 0 else 1 end`)
    // Room for regenerated answers and edited questions, which are dropped below.
    .limit(limit * 4);
  return currentConversation(rows.reverse())
    .slice(-limit)
    .map((r) => ({
      role: r.role as 'user' | 'assistant',
      content: r.content,
      ...(r.role === 'assistant' && r.retrievalQuery ? { retrievalQuery: r.retrievalQuery } : {}),
    }));
}

/**
 * Longest an answer may take, from the question to its last word: the turn stops it then, as an
 * `error` (`server/answer/turn.ts`). 15 minutes is 1,200 tokens (the most an answer generates) at
 * under 2 tokens a second, the slowest local model worth running, with the rewrite and retrieval.
 */
export const ANSWER_TIME_LIMIT_MS = 15 * 60_000;

/**
 * Age past which no process can still be writing a `streaming` answer: {@link ANSWER_TIME_LIMIT_MS},
 * plus 5 minutes to record it. On Postgres, where several instances share the database, only
 * answers this old are marked as aborted.
 */
export const STALE_ANSWER_MS = ANSWER_TIME_LIMIT_MS + 5 * 60_000;

export interface AbortStaleOptions {
  /**
   * Only answers created longer ago than this (ms). Default: every `streaming` answer on an
   * embedded database, which no other process can be writing to (it is locked to this one), and
   * {@link STALE_ANSWER_MS} on Postgres, where other instances may be streaming theirs right now.
   */
  olderThanMs?: number;
}

/**
 * Marks answers left in `streaming` by a process that stopped (crash, kill) as `aborted`, with
 * {@link SERVER_STOPPED} as their error. Run at start-up, before serving (then, on an embedded
 * database, every `streaming` answer is such a leftover); on Postgres the server also runs it
 * every few minutes while answering, for instances that crashed. Returns how many were marked.
 */
export async function abortStaleStreamingMessages(db: Database, options: AbortStaleOptions = {}): Promise<number> {
  const olderThanMs = options.olderThanMs ?? (databaseKind(db) === 'pglite' ? 0 : STALE_ANSWER_MS);
  const rows = await db
    .update(messages)
    .set({ status: 'aborted', error: SERVER_STOPPED })
    .where(
      and(
        eq(messages.status, 'streaming'),
        olderThanMs > 0 ? sql`${messages.createdAt} < now() - ${`${Math.round(olderThanMs)} milliseconds`}::interval` : undefined,
      ),
    )
    .returning({ id: messages.id });
  return rows.length;
}

/** Deletes one of the user's chats (its messages, sources and feedback go with it). */
export async function deleteChat(db: Database, userId: string, chatId: string): Promise<boolean> {
  const rows = await db
    .delete(chats)
    .where(and(eq(chats.userId, userId), eq(chats.id, chatId)))
    .returning({ id: chats.id });
  return rows.length > 0;
}
