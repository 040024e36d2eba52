/**
 * `POST /api/chat`: the body `useChat` sends (`{ id, messages: [{ id, role, parts }], trigger }`,
 * and the page's `language` from Docent's chat widget),
 * answered with a UI message stream (`x-vercel-ai-ui-message-stream: v1`). See
 * `server/answer/turn.ts` for what the stream carries.
 *
 * Only the last message is read (it must be the user's question); the chat so far comes from
 * the database, so a client cannot put words in the assistant's mouth. Sizes are bounded.
 */
import { createUIMessageStreamResponse } from 'ai';
import type { Context, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { NamedMessageError, QuestionStoppedError, startChatTurn } from '../../answer/turn';
import { ChatNotFoundError } from '../../chats/store';
import { MAX_QUESTION_CHARS } from '../../question-limit';
import type { AppDeps, DocentHono } from '../context';
import { ApiError } from '../errors';
import { QuestionTooLongError } from '../refused-questions';
import { withKeepAlive } from '../sse-keep-alive';
import { readJson, readerLanguageSchema } from '../validate';

/** Longest question accepted, in characters. */
export { MAX_QUESTION_CHARS };

const partSchema = z.looseObject({ type: z.string({ error: 'each part needs a string "type"' }).max(100) });
const messageSchema = z.looseObject({
  id: z.string().max(200, 'message ids are at most 200 characters').optional(),
  role: z.enum(['user', 'assistant', 'system'], { error: 'role must be "user", "assistant" or "system"' }),
  parts: z.array(partSchema, { error: 'parts must be an array' }).max(200, 'at most 200 parts per message'),
});

/** The body of `POST /api/chat`. */
export const chatRequestSchema = z.looseObject({
  id: z
    .string({ error: 'id (the chat id) must be a string' })
    .trim()
    .min(1, 'id (the chat id) is required')
    .max(200, 'id is at most 200 characters'),
  messages: z
    .array(messageSchema, { error: 'messages must be an array' })
    .min(1, 'messages must contain the question')
    .max(500, 'at most 500 messages'),
  trigger: z
    .enum(['submit-message', 'regenerate-message'], { error: 'trigger must be "submit-message" or "regenerate-message"' })
    .optional(),
  /**
   * The message `useChat` names: the answer `regenerate({ messageId })` writes again (or its
   * question), the question `sendMessage({ text, messageId })` edits. Checked against the chat
   * (`ChatTurnInput.namedMessageId`).
   */
  messageId: z.string({ error: 'messageId must be a string' }).min(1, 'messageId must not be empty').max(200, 'messageId is at most 200 characters').optional(),
  /** The language of the page the question is asked from (its `<html lang>`); see `readerLanguageSchema`. */
  language: readerLanguageSchema.optional(),
  /** The page the question is asked from (its path, or its URL), so that copies of a section in that part of the site are cited. */
  page: z.string({ error: 'page must be a string (the path of the page the question is asked from)' }).max(2048, 'page is at most 2,048 characters').optional(),
});

/** The question in the last message, or a 400 saying what is wrong. */
export function questionOf(body: z.infer<typeof chatRequestSchema>): { text: string; id?: string; parts: unknown[] } {
  const last = body.messages[body.messages.length - 1]!;
  if (last.role !== 'user') {
    throw new ApiError(400, 'invalid_body', 'Invalid request body: the last message must be the user’s question (role "user").');
  }
  const textParts = last.parts.filter((p): p is { type: 'text'; text: string } => p.type === 'text' && typeof p.text === 'string');
  const text = textParts.map((p) => p.text).join('\n').trim();
  if (text === '') throw new ApiError(400, 'invalid_body', 'Invalid request body: the question has no text (send a part {"type":"text","text":"…"}).');
  if (text.length > MAX_QUESTION_CHARS) {
    throw new QuestionTooLongError(`Invalid request body: the question is ${text.length} characters; the limit is ${MAX_QUESTION_CHARS}.`);
  }
  return { text, id: last.id, parts: textParts.map((p) => ({ type: 'text', text: p.text })) };
}

/** The answer to a question asked in a chat the reader no longer has. */
const chatGone = () =>
  new ApiError(
    404,
    'chat_not_found',
    'This chat no longer exists: it was deleted, perhaps in another tab or window. Start a new chat to ask your question.',
  );

/** A `POST /api/chat` request as read: its body, and the question in its last message. */
export interface ChatRequest {
  body: z.infer<typeof chatRequestSchema>;
  question: ReturnType<typeof questionOf>;
}

/** What {@link validChatRequest} leaves the route: the request it read (none on other routes). */
export type ChatRequestEnv = { Variables: { chatRequest?: ChatRequest } };

/** Reads and checks the body of `POST /api/chat` (a 4xx when it is not a question). */
async function readChatRequest(c: Context): Promise<ChatRequest> {
  const body = await readJson(c, chatRequestSchema);
  return { body, question: questionOf(body) };
}

/**
 * Middleware for `POST /api/chat`: a body that is invalid (or holds no question) gets its 4xx
 * before anything else is checked, so that it is told even while the first index is built
 * (`503 index_building`) and costs no question of the rate limit. The route takes the request
 * read here (`chatRequest`), so a body of up to 1 MiB is parsed once.
 */
export const validChatRequest: MiddlewareHandler<ChatRequestEnv> = async (c, next) => {
  c.set('chatRequest', await readChatRequest(c));
  await next();
};

export function registerChatRoutes(app: DocentHono, deps: AppDeps): void {
  app.post('/api/chat', async (c) => {
    // Read by validChatRequest (an app without it: read here).
    const { body, question } = c.get('chatRequest') ?? (await readChatRequest(c));
    const user = await c.get('auth').ensureUser();
    const turn = await startChatTurn(
      {
        db: deps.db,
        embedder: deps.embedder,
        chatModel: deps.chatModel,
        tracer: deps.tracer,
        secrets: [deps.config.llm.apiKey, deps.config.langsmith.apiKey, deps.config.adminToken],
        fileUrl: deps.siteFileUrl,
      },
      {
        userId: user.id,
        clientChatId: body.id,
        continuing: body.messages.some((m) => m.role === 'assistant'),
        question: question.text,
        clientMessageId: question.id,
        regenerate: body.trigger === 'regenerate-message',
        namedMessageId: body.messageId,
        parts: question.parts,
        signal: c.req.raw.signal,
        readerLanguage: body.language,
        readerPage: body.page,
      },
    ).catch((error: unknown) => {
      if (error instanceof ChatNotFoundError) throw chatGone();
      if (error instanceof NamedMessageError) {
        throw error.reason === 'not-found'
          ? new ApiError(404, 'message_not_found', error.message)
          : new ApiError(400, 'invalid_body', `Invalid request body: ${error.message}`);
      }
      // No one reads this response (its reader went away); a refusal, not a failure to log.
      if (error instanceof QuestionStoppedError) throw new ApiError(409, 'question_stopped', error.message);
      throw error;
    });
    const response = createUIMessageStreamResponse({ stream: turn.stream });
    // Through `c` so the session cookie set above goes out with the stream.
    for (const [name, value] of response.headers) c.header(name, value);
    c.header('x-docent-chat-id', turn.chatId);
    c.header('x-docent-message-id', turn.messageId);
    // Comments while the model is silent, so that a proxy's idle timeout does not cut the answer.
    return c.body(withKeepAlive(response.body as ReadableStream<Uint8Array>, deps.keepAliveMs), 200);
  });
}
