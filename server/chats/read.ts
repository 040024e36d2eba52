/**
 * Reading a user's chats back: the list for the history panel, and one chat with its messages,
 * their sources (with scores), status and the user's own feedback. Only ever the user's own rows.
 */
import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { readerStoredError, storedErrorRetryMayHelp } from '../answer/errors';
import type { Database } from '../db/open';
import { isUuid } from '../db/uuid';
import {
  type CitationCheck,
  chats,
  messageFeedback,
  messageSources,
  messages,
  type RetrievalSettingsSnapshot,
  type TokenUsage,
} from '../db/schema';
import { type SourceInfo, snippetOf, splitBreadcrumb } from './sources';
import { currentConversation } from './superseded';

export interface ChatSummary {
  /** The server's id of the chat. */
  id: string;
  /** The id the chat client (`useChat`) gave the chat: send it as `id` to continue the chat. */
  clientId: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  /** How many messages {@link readChat} shows (replaced answers and edited branches are not counted). */
  messageCount: number;
}

export interface FeedbackView {
  vote: 'up' | 'down';
  rating: number | null;
  comment: string | null;
  updatedAt: string;
}

export interface MessageView {
  /** The server's id (for assistant messages, the id feedback is sent to). */
  id: string;
  /** The chat client's id for a user message, when it sent one. */
  clientId: string | null;
  role: 'user' | 'assistant' | 'system';
  /** Plain text of the message. */
  content: string;
  /** UI parts as `useChat` renders them (text, source-url, data-sources). */
  parts: unknown[];
  /**
   * Same metadata the stream sent (`chatId`, `messageId`; `retryable: false` on a failed answer
   * that asking again cannot help, read from its stored error).
   */
  metadata: { chatId: string; messageId: string; retryable?: false };
  status: 'streaming' | 'complete' | 'truncated' | 'error' | 'aborted';
  createdAt: string;
  model: string | null;
  usage: TokenUsage | null;
  latencyMs: number | null;
  retrievalSettings: RetrievalSettingsSnapshot | null;
  retrievalQuery: string | null;
  citations: CitationCheck | null;
  error: string | null;
  /** Retrieved sources in rank order, with scores and whether the answer cited them. */
  sources: (SourceInfo & { cited: boolean })[];
  /** The user's own feedback on this message, if any. */
  feedback: FeedbackView | null;
}

export interface ChatView extends Omit<ChatSummary, 'messageCount'> {
  messages: MessageView[];
}

/** The user's chats, most recently active first. */
export async function listChats(
  db: Database,
  userId: string,
  options: { limit?: number; offset?: number } = {},
): Promise<ChatSummary[]> {
  const rows = await db
    .select({
      id: chats.id,
      clientId: chats.clientChatId,
      title: chats.title,
      createdAt: chats.createdAt,
      updatedAt: chats.updatedAt,
    })
    .from(chats)
    .where(eq(chats.userId, userId))
    .orderBy(desc(chats.updatedAt), desc(chats.createdAt))
    .limit(options.limit ?? 50)
    .offset(options.offset ?? 0);
  const current = await currentMessageIds(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    ...r,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    messageCount: current.get(r.id)?.length ?? 0,
  }));
}

/**
 * The ids of the messages a reader sees in each of `chatIds` ({@link currentConversation}: no
 * replaced answers or edited branches), in conversation order. The chat list counts these and a
 * chat shows these, so the two cannot disagree.
 */
async function currentMessageIds(db: Database, chatIds: string[]): Promise<Map<string, string[]>> {
  if (chatIds.length === 0) return new Map();
  const rows = await db
    .select({ id: messages.id, chatId: messages.chatId, role: messages.role, clientMessageId: messages.clientMessageId })
    .from(messages)
    .where(inArray(messages.chatId, chatIds))
    // Same timestamp: the question came before its answer.
    .orderBy(asc(messages.createdAt), sql`case when ${messages.role} = 'assistant' then 1 else 0 end`);
  const byChat = new Map<string, typeof rows>();
  for (const row of rows) {
    const list = byChat.get(row.chatId);
    if (list) list.push(row);
    else byChat.set(row.chatId, [row]);
  }
  return new Map([...byChat].map(([chatId, chatRows]) => [chatId, currentConversation(chatRows).map((m) => m.id)]));
}

/** Finds one of the user's chats by the server's id or the client's id. */
export async function findUserChat(db: Database, userId: string, id: string) {
  if (id.includes('\0')) return undefined; // Postgres text cannot hold NUL: no chat has such an id
  const match = isUuid(id) ? or(eq(chats.id, id), eq(chats.clientChatId, id)) : eq(chats.clientChatId, id);
  const [chat] = await db
    .select()
    .from(chats)
    .where(and(eq(chats.userId, userId), match))
    .orderBy(sql`case when ${chats.id}::text = ${id} then 0 else 1 end`)
    .limit(1);
  return chat;
}

/** One of the user's chats with every message, or `undefined` when it is not theirs (or gone). */
export async function readChat(db: Database, userId: string, id: string): Promise<ChatView | undefined> {
  const chat = await findUserChat(db, userId, id);
  if (!chat) return undefined;

  const ids = (await currentMessageIds(db, [chat.id])).get(chat.id) ?? [];
  const position = new Map(ids.map((id, i) => [id, i]));
  const rows = ids.length
    ? (await db.select().from(messages).where(inArray(messages.id, ids))).sort((a, b) => position.get(a.id)! - position.get(b.id)!)
    : [];
  const [sourceRows, feedbackRows] = ids.length
    ? await Promise.all([
        db
          .select()
          .from(messageSources)
          .where(inArray(messageSources.messageId, ids))
          .orderBy(asc(messageSources.rank)),
        db
          .select()
          .from(messageFeedback)
          .where(and(inArray(messageFeedback.messageId, ids), eq(messageFeedback.userId, userId))),
      ])
    : [[], []];

  const sourcesBy = new Map<string, MessageView['sources']>();
  for (const s of sourceRows) {
    const headings = splitBreadcrumb(s.heading);
    const list = sourcesBy.get(s.messageId) ?? [];
    list.push({
      rank: s.rank,
      score: s.score,
      source: s.source,
      path: s.path,
      title: s.title,
      heading: headings.length > 1 ? headings[headings.length - 1]! : '',
      headings,
      anchor: s.anchor,
      url: s.url,
      snippet: snippetOf(s.quote),
      cited: s.cited,
    });
    sourcesBy.set(s.messageId, list);
  }
  const feedbackBy = new Map(feedbackRows.map((f) => [f.messageId, f]));

  return {
    id: chat.id,
    clientId: chat.clientChatId,
    title: chat.title,
    createdAt: chat.createdAt.toISOString(),
    updatedAt: chat.updatedAt.toISOString(),
    messages: rows.map((m) => {
      const f = feedbackBy.get(m.id);
      return {
        id: m.id,
        clientId: m.clientMessageId,
        role: m.role,
        content: m.content,
        parts: m.parts,
        metadata: { chatId: chat.id, messageId: m.id, ...(m.status === 'error' && !storedErrorRetryMayHelp(m.error) ? { retryable: false as const } : {}) },
        status: m.status,
        createdAt: m.createdAt.toISOString(),
        model: m.model,
        // Answers stored by earlier versions kept `{}` when the model server reported no usage.
        usage: m.usage && Object.keys(m.usage).length > 0 ? m.usage : null,
        latencyMs: m.latencyMs,
        retrievalSettings: m.retrievalSettings ?? null,
        retrievalQuery: m.retrievalQuery,
        citations: m.citations ?? null,
        // Answers stored before readers were told the kind of failure only hold the provider's text.
        error: readerStoredError(m.error),
        sources: sourcesBy.get(m.id) ?? [],
        feedback: f
          ? { vote: f.vote, rating: f.rating, comment: f.comment, updatedAt: f.updatedAt.toISOString() }
          : null,
      };
    }),
  };
}
