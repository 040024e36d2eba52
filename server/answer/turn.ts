/**
 * One chat turn, from question to recorded answer: the heart of Docent.
 *
 * `startChatTurn` stores the question and an assistant message in status `streaming`, then
 * returns a UI message stream (the protocol `useChat` reads) that runs the pipeline:
 *
 * 1. rewrite a follow-up into a standalone query (with the chat so far);
 * 2. retrieve with the user's own settings (`search()`), and store every source with its rank,
 *    score and a snapshot;
 * 3. stream `source-url` parts (score in `providerMetadata.docent`), a `data-sources` part, then the
 *    answer: generated from the numbered sources with citations checked as it streams; or
 *    extracted from the docs when no model is configured; or, when no source reaches the
 *    threshold, a plain "not in the docs" with the closest pages (no model call);
 * 4. finish the message as `complete`, `truncated` (the model's token limit or content filter cut
 *    the answer off: kept, with why in `error`), `error` (the model failed or wrote no answer, or
 *    the answer passed the time limit; an `error` part ends the stream) or `aborted` (the client
 *    went away, or the server is stopping: {@link stopAnswering}), with text, parts, model, usage,
 *    latency and citations.
 *
 * No answer lasts longer than `ANSWER_TIME_LIMIT_MS` (15 minutes). So on Postgres, where other
 * instances share the database, an answer still `streaming` well past that was left by an
 * instance that stopped: a server marks such answers as aborted when it starts
 * (`abortStaleStreamingMessages`) and, through `startChatTurn`, every few minutes while it answers.
 *
 * The stream starts with `{type:'start'}` carrying the server's ids in `messageMetadata`
 * (`chatId`, `messageId`), which feedback needs.
 */
import { createUIMessageStream, type ModelMessage, type UIMessageChunk } from 'ai';
import { inArray } from 'drizzle-orm';
import { type Chat, type CitationCheck, documents, type TokenUsage } from '../db/schema';
import type { EmbeddingProvider } from '../embed/provider';
import { search } from '../retrieval/search';
import type { RetrievalSettings } from '../retrieval/settings';
import { loadUserSettings } from '../retrieval/user-settings';
import { type AnswerSource, type SourceInfo, toAnswerSource, toSourceInfo } from '../chats/sources';
import {
  abortStaleStreamingMessages,
  ANSWER_TIME_LIMIT_MS,
  chatHistory,
  ChatNotFoundError,
  finishAssistantMessage,
  findClientChat,
  findLastUserMessage,
  findNamedMessage,
  findOrCreateChat,
  findUserMessage,
  type HistoryMessage,
  insertAssistantMessage,
  insertUserMessage,
  messageExists,
  saveMessageSources,
  STALE_ANSWER_MS,
} from '../chats/store';
import { describeDatabaseError, isDatabaseUnreachable } from '../db/connect-error';
import { databaseKind, type Database } from '../db/open';
import { retryWhileUnreachable } from '../db/retry';
import type { Trace, Tracer } from '../tracing';
import { noopTracer } from '../tracing';
import { createCitationFilter, stripCitations } from './citations';
import {
  ANSWER_CUT_BY_FILTER,
  ANSWER_CUT_AT_LIMIT,
  ANSWER_TOO_LONG,
  CLIENT_WENT_AWAY,
  errorDetails,
  readerErrorMessage,
  retryMayHelp,
  redactSecrets,
  SERVER_STOPPED,
} from './errors';
import { extractiveAnswer } from './extractive';
import { DEFAULT_MAX_OUTPUT_TOKENS, EmptyAnswerError, generateAnswer } from './generate';
import { createSiteLinkFilter, siteLinkPaths, sitePagePath } from './site-links';
import { resolveLinksOf, type SourceFileUrl } from './source-links';
import type { ChatModel } from './model';
import { answerSystemPrompt, noRetrievalSystemPrompt } from './prompt';
import { fitPrompt, type PromptTurn } from './prompt-budget';
import { rewriteQuestion } from './rewrite';

export interface ChatTurnDeps {
  db: Database;
  embedder: EmbeddingProvider;
  /** The chat model; without one, answers are extractive. */
  chatModel?: ChatModel;
  /** Default: no tracing. */
  tracer?: Tracer;
  /**
   * Called with unexpected errors (after they are recorded on the message). Default: one line on
   * `console.error` with {@link errorDetails}, redacted of `secrets`.
   */
  onError?: (error: unknown) => void;
  /** Values never to write to the log or the trace (the API keys, the admin token). */
  secrets?: readonly (string | undefined)[];
  /**
   * How long recording the finished answer keeps trying while the database cannot be reached (a
   * restart, a failover), in ms. The reader's stream stays open meanwhile. Default 30,000.
   */
  saveRetryMs?: number;
  /**
   * Longest the answer may take (ms): it is then stopped, and recorded as an `error` with what it
   * had written. Default `ANSWER_TIME_LIMIT_MS` (15 minutes), which the Postgres sweep of answers
   * left `streaming` relies on: never raise it above that.
   */
  timeLimitMs?: number;
  /**
   * Where the docs site serves the files sources link to (`site-files.ts`): a quoted or copied
   * `./spec.pdf` leads there. Default: none (such a link is resolved against its page's URL).
   */
  fileUrl?: SourceFileUrl;
}

export interface ChatTurnInput {
  userId: string;
  /** The chat client's id for the conversation (`useChat`'s `id`). */
  clientChatId: string;
  /** The question (text of the last user message). */
  question: string;
  /**
   * The client shows earlier answers of this chat (its request carries assistant messages): the
   * chat must exist, else the turn is refused with a {@link ChatNotFoundError} (it was deleted,
   * perhaps in another tab) rather than started afresh with none of the turns the reader sees.
   * Default: false (a chat with this id is created if the user has none). So a regenerate of a
   * chat's first question (the answer dropped, the question alone sent) in a chat deleted meanwhile
   * answers it in a new chat of that one turn: the reader sees nothing the chat lacks, and it is
   * what a Retry of a first question the server never stored (a 503 or 429 before) must do, which
   * the server cannot tell apart from it.
   */
  continuing?: boolean;
  /** The chat client's id for the question, when it sent one. */
  clientMessageId?: string;
  /**
   * The client asks to answer the last question again (`trigger: "regenerate-message"`). Read only
   * when it sent no {@link clientMessageId} (which says which question this is when sent): the
   * chat's last question, when it has this text, is answered again rather than stored a second
   * time. Default: false.
   */
  regenerate?: boolean;
  /**
   * The message the client names (`messageId`: `useChat`'s `regenerate({ messageId })` names the
   * answer to write again, or its question; `sendMessage({ text, messageId })` the question it
   * edits). Unless it is {@link clientMessageId} (the question sent, stored or not), it must be a
   * message of this chat whose question is this turn's (the same id when the question has one;
   * with none, the same text for a regenerate), else the turn is refused with a
   * {@link NamedMessageError}. It then says which question is answered again, also for a client
   * whose messages carry no ids. Default: none.
   */
  namedMessageId?: string;
  /** The question's UI parts, stored as sent. Default: one text part. */
  parts?: unknown[];
  /** Aborts the turn (the client went away). */
  signal?: AbortSignal;
  /**
   * The language of the page the reader asks from (a BCP 47 tag, `fr`): on docs in several
   * languages, a question whose words do not tell its language gets pages in this one. Default: none.
   */
  readerLanguage?: string;
  /**
   * The page the reader asks from (its path): of near-identical copies of a section (one per
   * product or version), the one in that part of the site is cited (`search()`). Default: none.
   */
  readerPage?: string;
}

/** How an answer ended (`truncated`: kept, but cut off by the model's token limit or content filter). */
export type AnswerStatus = 'complete' | 'truncated' | 'error' | 'aborted';

/** Metadata on every answer's stream (`messageMetadata`). */
export interface AnswerMetadata {
  chatId: string;
  messageId: string;
  /** Sent with the last part: how the answer ended. */
  status?: AnswerStatus;
  /**
   * `false`, sent before the `error` part, when asking again cannot help until the server is fixed
   * (the embedding server refused the key or does not know the model): no Retry is offered.
   */
  retryable?: false;
}

/** The `data-sources` part's `data`. */
export interface SourcesData {
  /** The sources the answer may cite, by rank (`[n]` cites rank n). */
  sources: SourceInfo[];
  /** The query retrieval ran with (the question, or its standalone rewrite). */
  query: string;
  /** `found`: sources above the threshold; `none`: nothing relevant (the answer abstains); `disabled`: retrieval is off. */
  retrieval: 'found' | 'none' | 'disabled';
}

export interface ChatTurn {
  chatId: string;
  messageId: string;
  /** The UI message stream; reading it runs the pipeline. Cancelling it aborts the turn. */
  stream: ReadableStream<UIMessageChunk>;
  /** Resolves when the answer is recorded, whatever happened to the stream. */
  done: Promise<{ status: AnswerStatus }>;
}

/** How many closest pages an abstaining answer suggests. */
const CLOSEST_PAGES = 3;
/** Earlier turns given to the rewrite and to the model. */
const HISTORY_MESSAGES = 6;

function isAbort(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (error instanceof Error && (error.name === 'AbortError' || error.name === 'ResponseAborted'));
}

/**
 * Thrown by {@link startChatTurn} for a request whose reader went away before its turn began, when
 * the chat's last question is that question already (asked again since): nothing is recorded.
 */
export class QuestionStoppedError extends Error {
  override readonly name = 'QuestionStoppedError';
  constructor() {
    super('This question was stopped before its answer began, and asked again since.');
  }
}

/**
 * Thrown by {@link startChatTurn} when the message a client names ({@link ChatTurnInput.namedMessageId})
 * is not a message of the chat (`not-found`), or is not this turn's question or its answer
 * (`other-question`): nothing is recorded.
 */
export class NamedMessageError extends Error {
  override readonly name = 'NamedMessageError';
  constructor(
    readonly reason: 'not-found' | 'other-question',
    message: string,
  ) {
    super(message);
  }
}

/** The stored question of this turn that `input.namedMessageId` names (itself, or as its answer); see {@link NamedMessageError}. */
async function namedQuestion(db: Database, chatId: string, input: ChatTurnInput & { namedMessageId: string }) {
  const quoted = JSON.stringify(input.namedMessageId.length > 80 ? `${input.namedMessageId.slice(0, 80)}…` : input.namedMessageId);
  const named = await findNamedMessage(db, chatId, input.namedMessageId);
  if (!named?.question) {
    throw new NamedMessageError('not-found', `messageId ${quoted} is not a message of this chat (it may have been deleted). Send the question without it to ask it anew.`);
  }
  const { question } = named;
  const same =
    input.clientMessageId !== undefined
      ? question.clientMessageId === input.clientMessageId || question.id === input.clientMessageId
      : !input.regenerate || question.content === input.question;
  const what = named.role === 'user' ? 'a question' : 'an answer';
  if (!same || (!input.regenerate && named.role !== 'user')) {
    throw new NamedMessageError(
      'other-question',
      input.regenerate
        ? `messageId ${quoted} names ${named.role === 'user' ? 'another question' : 'an answer to another question'} than the last message: send the messages up to the question ${named.role === 'user' ? 'it names' : 'it answers'}, as useChat's regenerate({ messageId }) does.`
        : `messageId ${quoted} names ${what}, not the question the last message edits: a submit-message names the question it replaces (its id).`,
    );
  }
  return question;
}

/** Why Docent itself stopped a turn (not its reader): the reason its abort signal carries. */
class TurnStopped extends Error {
  override readonly name = 'TurnStopped';
  constructor(
    readonly why: 'shutdown' | 'time-limit' | 'chat-deleted',
    message: string,
  ) {
    super(message);
  }
}

const chatDeleted = () => new TurnStopped('chat-deleted', 'The chat was deleted.');

const serverStopping = () => new TurnStopped('shutdown', 'The server is shutting down.');

/** Answers being written in this process (so shutdown can let them be recorded), with their chat and what aborts each. */
const activeTurns = new Map<Promise<unknown>, { chatId: string; abort: AbortController }>();
/** Set by {@link stopAnswering}: turns started from then on are stopped at once. */
let stopping = false;

/** Waits until every answer in progress is recorded, or `timeoutMs` passes. */
export async function waitForActiveTurns(timeoutMs: number): Promise<void> {
  if (activeTurns.size === 0) return;
  await Promise.race([
    Promise.allSettled([...activeTurns.keys()]),
    new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
  ]);
}

/**
 * For a server shutting down, before it closes the connections still open: stops every answer in
 * progress, and any turn started from now on, recording each as `aborted` with the server-stopped
 * reason ({@link SERVER_STOPPED}, not "the client went away") and what it had written. A reader
 * still connected gets an `error` part saying so. Returns how many answers it stopped;
 * {@link waitForActiveTurns} then waits for them to be recorded.
 */
export function stopAnswering(): number {
  stopping = true;
  for (const { abort } of activeTurns.values()) abort.abort(serverStopping());
  return activeTurns.size;
}

/**
 * For a chat just deleted (`DELETE /api/chats/:id`): stops its answers being written in this
 * process, so that the model is not kept writing what nothing will store. Each ends as a stopped
 * answer does: its stream, if a reader is still connected, ends with an `abort` part, and nothing
 * is logged as a failure. Returns how many answers it stopped.
 */
export function stopChatAnswers(chatId: string): number {
  let stopped = 0;
  for (const turn of activeTurns.values()) {
    if (turn.chatId !== chatId) continue;
    turn.abort.abort(chatDeleted());
    stopped++;
  }
  return stopped;
}

/** How often, at most, a turn on Postgres first sweeps answers left `streaming` by stopped instances. */
const SWEEP_EVERY_MS = 5 * 60_000;
const lastSweep = new WeakMap<Database, number>();

/**
 * On Postgres, every {@link SWEEP_EVERY_MS} at most: marks answers `streaming` for longer than any
 * answer lasts (`STALE_ANSWER_MS`) as aborted, so those of an instance that crashed do not stay
 * `streaming` until some instance restarts. An embedded database has no other process writing to
 * it: the start-up sweep found all of its leftovers.
 */
async function sweepStaleAnswers(deps: ChatTurnDeps): Promise<void> {
  const { db } = deps;
  if (databaseKind(db) !== 'postgres') return;
  const now = Date.now();
  if (now - (lastSweep.get(db) ?? -Infinity) < SWEEP_EVERY_MS) return;
  lastSweep.set(db, now);
  try {
    const marked = await abortStaleStreamingMessages(db, { olderThanMs: STALE_ANSWER_MS });
    if (marked) console.log(`[docent] marked ${marked} answer(s) left unfinished by a stopped server as aborted`);
  } catch (error) {
    (deps.onError ?? ((e: unknown) => defaultOnError(e, deps.secrets)))(error);
  }
}

/** Stores the question, creates the assistant message, and returns the answer's stream. */
export async function startChatTurn(deps: ChatTurnDeps, input: ChatTurnInput): Promise<ChatTurn> {
  const { db } = deps;
  const tracer = deps.tracer ?? noopTracer;
  const startedAt = Date.now();
  await sweepStaleAnswers(deps);
  const settings = await loadUserSettings(db, input.userId);
  // One transaction, so a failure before the answer starts leaves no chat or question behind.
  const { chat, history, trace, messageId } = await db.transaction(async (tx) => {
    const t = tx as unknown as Database;
    const chat: Chat | undefined = input.continuing
      ? await findClientChat(t, input.userId, input.clientChatId)
      : await findOrCreateChat(t, input.userId, input.clientChatId, input.question);
    if (!chat) throw new ChatNotFoundError(input.clientChatId);
    // A client that names the question it sends (useChat's edit, or a regenerate of a question) says nothing more than its id does.
    const named =
      input.namedMessageId === undefined || input.namedMessageId === input.clientMessageId
        ? undefined
        : await namedQuestion(t, chat.id, { ...input, namedMessageId: input.namedMessageId });
    const existing = input.clientMessageId
      ? await findUserMessage(t, chat.id, input.clientMessageId)
      : named
        ? named
        : input.regenerate
        ? await findLastUserMessage(t, chat.id).then((last) => (last?.content === input.question ? last : undefined))
        : undefined;
    const askedAgain = existing !== undefined && existing.latest && existing.content === input.question;
    // Its reader stopped this request before its turn began, and the question is the chat's last
    // already: asked again since (Regenerate), and that turn got here first. An answer stored now
    // would come after the new one and hide it (superseded.ts), a stopped, empty answer in its place.
    if (askedAgain && input.signal?.aborted) throw new QuestionStoppedError();
    // A question sent again is answered from the turns before it (the client dropped what followed).
    const history = await chatHistory(t, chat.id, HISTORY_MESSAGES, existing ? { beforeMessageId: existing.id } : {});
    if (!askedAgain) {
      // A new question; or an edit (same id, new text) or an earlier question asked again: stored
      // anew, so the chat, the review page and eval exports show the question this turn answers.
      await insertUserMessage(t, {
        chatId: chat.id,
        // A question named only by messageId replaces the one it names, as an edit with its id would.
        clientMessageId: input.clientMessageId ?? (named ? (named.clientMessageId ?? named.id) : null),
        text: input.question,
        parts: input.parts ?? [{ type: 'text', text: input.question }],
        replaces: existing !== undefined,
      });
    }
    // Otherwise a regenerate or retry of the last question, which is stored already.

    const trace = tracer.startTrace('docent.chat', { question: input.question }, { chatId: chat.id });
    const messageId = await insertAssistantMessage(t, {
      chatId: chat.id,
      model: deps.chatModel?.name ?? 'extractive',
      retrievalSettings: settings,
      langsmithRunId: trace.runId ?? null,
    });
    return { chat, history, trace, messageId };
  });

  const abort = new AbortController();
  const signal = input.signal ? AbortSignal.any([input.signal, abort.signal]) : abort.signal;
  let resolveDone!: (v: { status: AnswerStatus }) => void;
  const done = new Promise<{ status: AnswerStatus }>((r) => (resolveDone = r));
  activeTurns.set(done, { chatId: chat.id, abort });
  const timeLimitMs = deps.timeLimitMs ?? ANSWER_TIME_LIMIT_MS;
  const timeLimit = setTimeout(() => {
    const minutes = timeLimitMs / 60_000;
    abort.abort(new TurnStopped('time-limit', `The answer took longer than ${minutes >= 1 ? `${Math.round(minutes)} minutes` : `${timeLimitMs} ms`} and was stopped.`));
  }, Math.max(0, timeLimitMs - (Date.now() - startedAt)));
  timeLimit.unref?.();
  void done.then(() => {
    activeTurns.delete(done);
    clearTimeout(timeLimit);
  });
  if (stopping) abort.abort(serverStopping());

  const inner = createUIMessageStream({
    execute: async ({ writer }) => {
      let status: AnswerStatus = 'error';
      try {
        status = await runPipeline(deps, {
        write: (part) => writer.write(part),
        chat,
        messageId,
        question: input.question,
        history,
        settings,
        readerLanguage: input.readerLanguage,
        readerPage: input.readerPage,
        trace,
        signal,
        startedAt,
      });
      } finally {
        resolveDone({ status });
      }
    },
    onError: () => 'The answer failed on the server. Please try again.',
  });

  // Pass chunks through, and abort the turn when the reader cancels (the client went away).
  const reader = inner.getReader();
  const stream = new ReadableStream<UIMessageChunk>({
    async pull(controller) {
      const { done: finished, value } = await reader.read();
      if (finished) controller.close();
      else controller.enqueue(value);
    },
    async cancel(reason) {
      abort.abort(reason);
      await reader.cancel(reason).catch(() => {});
    },
  });

  return { chatId: chat.id, messageId, stream, done };
}

interface PipelineContext {
  write: (part: UIMessageChunk) => void;
  chat: Chat;
  messageId: string;
  question: string;
  history: HistoryMessage[];
  settings: RetrievalSettings;
  readerLanguage: string | undefined;
  readerPage: string | undefined;
  trace: Trace;
  signal: AbortSignal;
  startedAt: number;
}

async function runPipeline(deps: ChatTurnDeps, ctx: PipelineContext): Promise<AnswerStatus> {
  const { db, embedder, chatModel } = deps;
  const { write, chat, messageId, question, settings, readerLanguage, readerPage, trace, signal } = ctx;
  const metadata: AnswerMetadata = { chatId: chat.id, messageId };
  const textId = 'answer';
  const parts: unknown[] = [];
  let text = '';
  let textStarted = false;
  let textEnded = false;
  /** Whether recording the answer already failed after its retries (a second save does not wait again). */
  let saveFailed = false;
  let model: string | null = chatModel?.name ?? 'extractive';
  let usage: TokenUsage | undefined;
  let citations: CitationCheck | undefined;
  let retrievalQuery: string | null = null;
  /** Whether the failure, if any, came from the language model (not from Docent itself). */
  let modelFailed = false;
  /** What cut a generated answer off, when something did. */
  let cutOff: 'length' | 'content-filter' | undefined;

  const emitText = (delta: string) => {
    if (delta === '') return;
    if (!textStarted) {
      textStarted = true;
      write({ type: 'text-start', id: textId });
    }
    text += delta;
    write({ type: 'text-delta', id: textId, delta });
  };
  const endText = () => {
    if (textEnded) return;
    textEnded = true;
    if (textStarted) write({ type: 'text-end', id: textId });
    if (text !== '') parts.push({ type: 'text', text, state: 'done' });
  };
  // A restart of the database while the answer was written must not lose it: keep trying a while
  // (once: after a save that failed that way, the error is recorded with a single try).
  // False when the answer is no longer stored: its chat was deleted meanwhile.
  const save = async (finished: Parameters<typeof finishAssistantMessage>[3]) => {
    try {
      return await retryWhileUnreachable(() => finishAssistantMessage(db, messageId, chat.id, finished), {
        timeoutMs: saveFailed ? 0 : (deps.saveRetryMs ?? 30_000),
        onRetry: (error) =>
          console.error(`[docent] recording answer ${messageId} waits for the database: ${describeDatabaseError(error, undefined)}`),
      });
    } catch (error) {
      saveFailed = true;
      throw error;
    }
  };

  write({ type: 'start', messageId, messageMetadata: metadata });
  try {
    // 1. Standalone query.
    const rewrite = await trace.step('rewrite', () => rewriteQuestion({ chatModel, history: ctx.history, question, signal }), {
      inputs: { question, history: ctx.history },
      outputs: (r) => ({ query: r.query, method: r.method, ...(r.error ? { error: redactSecrets(r.error, deps.secrets) } : {}) }),
    });
    const query = rewrite.query;
    if (query !== question) retrievalQuery = query;

    // 2. Retrieval with the user's settings.
    const results = settings.enabled
      ? await trace.step('retrieve', () => search(db, { query, embedder, settings, readerLanguage, readerPage, signal }), {
          runType: 'retriever',
          inputs: { query, settings },
          outputs: (r) => ({
            documents: r.map((s) => ({ page_content: s.text, metadata: { rank: s.rank, score: s.score, path: s.path, url: s.url } })),
          }),
        })
      : [];
    // Earlier answers' citations point at earlier sources: drop them (and the space before them,
    // code left as written) so the model does not reuse the numbers.
    let history: PromptTurn[] = ctx.history.map((m) => ({ role: m.role, content: stripCitations(m.content).slice(0, 4_000) }));
    const retrieved = results.map(toAnswerSource);
    /** The sources as the model gets them: with a context window set, those that fit it. */
    let promptSources = retrieved;
    if (chatModel?.contextTokens) {
      const fitted = fitPrompt({
        contextTokens: chatModel.contextTokens,
        outputTokens: DEFAULT_MAX_OUTPUT_TOKENS,
        system: (list) => (settings.enabled ? answerSystemPrompt(list, chatModel.instructions, deps.fileUrl) : noRetrievalSystemPrompt(chatModel.instructions)),
        sources: retrieved,
        history,
        question,
      });
      // With retrieval off there are no sources: everything left is the chat's.
      promptSources = settings.enabled ? fitted.sources : [];
      history = fitted.history;
    }
    // Readers see, and answers store, the sources the model was given (whole).
    const sources: AnswerSource[] = retrieved.slice(0, promptSources.length);
    await saveMessageSources(db, messageId, sources);

    const retrieval: SourcesData['retrieval'] = !settings.enabled ? 'disabled' : sources.length ? 'found' : 'none';
    for (const s of sources) {
      const part = {
        type: 'source-url' as const,
        sourceId: String(s.rank),
        url: s.url,
        title: s.heading ? `${s.title} › ${s.heading}` : s.title,
        providerMetadata: { docent: { rank: s.rank, score: s.score, path: s.path, heading: s.heading, source: s.source } },
      };
      write(part);
      parts.push(part);
    }
    const data: SourcesData = { sources: sources.map(toSourceInfo), query, retrieval };
    write({ type: 'data-sources', id: 'sources', data });
    parts.push({ type: 'data-sources', id: 'sources', data });

    // 3. The answer.
    const filter = createCitationFilter(sources.length);
    if (retrieval === 'none') {
      model = null;
      const closest = await search(db, {
        query,
        embedder,
        settings: { ...settings, minScore: 0 },
        limit: CLOSEST_PAGES,
        readerLanguage,
        signal,
      });
      emitText(abstainText(closest.map(toAnswerSource), settings.minScore));
    } else if (retrieval === 'disabled' && !chatModel) {
      model = null;
      emitText(
        'Documentation search is turned off in your settings, and no language model is configured, ' +
          'so I cannot answer. Turn search back on in the settings to get answers from the docs.',
      );
    } else if (chatModel) {
      const system =
        retrieval === 'disabled'
          ? noRetrievalSystemPrompt(chatModel.instructions)
          : answerSystemPrompt(promptSources, chatModel.instructions, deps.fileUrl);
      if (retrieval === 'disabled') {
        emitText('_Documentation search is off in your settings: this answer does not come from the docs._\n\n');
      }
      const messages: ModelMessage[] = [...history.map((m) => m as ModelMessage), { role: 'user', content: question }];
      const generateStart = Date.now();
      let generationError: string | undefined;
      // A link the sources hold leads where it leads in the docs (a page, a file): the model may copy it.
      const linked = new Set(sources.flatMap((s) => [sitePagePath(s.url), ...siteLinkPaths(resolveLinksOf(s, deps.fileUrl))]));
      const links = createSiteLinkFilter(async (path) => linked.has(path) || (await indexedPageExists(db, path)));
      try {
        const generation = generateAnswer({ chatModel, system, messages, signal });
        let answer = '';
        /** Whitespace the answer opens with, held until a visible character follows it. */
        let heldWhitespace = '';
        let visible = false;
        // An answer that is only whitespace is an error: none of it is streamed before the error.
        const emitAnswer = (delta: string) => {
          answer += delta;
          if (!visible && delta.trim() === '') {
            heldWhitespace += delta;
            return;
          }
          visible = true;
          emitText(heldWhitespace + delta);
          heldWhitespace = '';
        };
        for await (const delta of generation.deltas) emitAnswer(await links.push(filter.push(delta)));
        emitAnswer((await links.push(filter.flush())) + (await links.flush()));
        usage = generation.usage();
        // Nothing to read (no text, only whitespace or removed citations, a tool call): a failure.
        if (answer.trim() === '') throw new EmptyAnswerError(`The model wrote no answer (finish reason ${generation.finishReason()}).`);
        const finishReason = generation.finishReason();
        if (finishReason === 'length' || finishReason === 'content-filter') cutOff = finishReason;
      } catch (error) {
        modelFailed = true;
        generationError = errorDetails(error, deps.secrets);
        emitText((await links.push(filter.flush())) + (await links.flush()));
        throw error;
      } finally {
        trace.record('generate', {
          runType: 'llm',
          inputs: { model: chatModel.name, system, messages },
          outputs: { text, usage },
          error: generationError,
          startTime: generateStart,
        });
        citations = filter.result();
      }
    } else {
      model = 'extractive';
      const answer = extractiveAnswer(question, sources, { fileUrl: deps.fileUrl });
      for (const paragraph of answer.split(/(?<=\n\n)/)) emitText(filter.push(paragraph));
      emitText(filter.flush());
      citations = filter.result();
    }
    endText();

    if (signal.aborted) throw Object.assign(new Error('The client went away.'), { name: 'AbortError' });
    const status = cutOff ? 'truncated' : 'complete';
    const stored = await save({
      status,
      content: text,
      parts,
      model,
      usage,
      latencyMs: Date.now() - ctx.startedAt,
      retrievalQuery,
      citations,
      error: cutOff ? CUT_OFF[cutOff] : null,
    });
    // Deleted through another server sharing the database (this one stops its own answers at once).
    if (!stored) throw chatDeleted();
    write({ type: 'finish', finishReason: cutOff ?? 'stop', messageMetadata: { ...metadata, status } });
    trace.end({ answer: text, sources: sources.length, citations, ...(cutOff ? { cutOff } : {}) });
    return status;
  } catch (error) {
    // Stopped by Docent (shutdown, time limit, chat deleted) rather than by the reader going away;
    // or the answer's chat was deleted through another server sharing the database (its sources
    // could not be recorded, or the answer could not be), which only the database tells.
    const stopped =
      signal.aborted && signal.reason instanceof TurnStopped
        ? signal.reason
        : error instanceof TurnStopped
          ? error
          : !isAbort(error, signal) && !isDatabaseUnreachable(error) && !(await messageExists(db, messageId).catch(() => true))
            ? chatDeleted()
            : undefined;
    const aborted = isAbort(error, signal) && stopped?.why !== 'time-limit';
    if (stopped?.why === 'chat-deleted') {
      // Nothing to record (the answer went with its chat), nothing failed: the stream ends as a stopped one.
      endText();
      write({ type: 'abort', reason: stopped.message });
      trace.end({ answer: text }, stopped.message);
      return 'aborted';
    }
    const status = aborted ? 'aborted' : 'error';
    // Readers see what kind of failure it was; the details (hosts, URLs, provider text) go to the log.
    const message =
      stopped?.why === 'time-limit'
        ? ANSWER_TOO_LONG
        : stopped?.why === 'shutdown'
          ? SERVER_STOPPED
          : aborted
            ? CLIENT_WENT_AWAY
            : readerErrorMessage(error, modelFailed);
    endText();
    try {
      await save({
        status,
        content: text,
        parts,
        model,
        usage,
        latencyMs: Date.now() - ctx.startedAt,
        retrievalQuery,
        citations,
        error: message,
      });
    } catch (persistError) {
      (deps.onError ?? ((e: unknown) => defaultOnError(e, deps.secrets)))(persistError);
    }
    if (!aborted) (deps.onError ?? ((e: unknown) => defaultOnError(e, deps.secrets)))(stopped ?? error);
    // A reader who went away reads nothing more; one the server stops may still be connected.
    if (!aborted && !stopped && !retryMayHelp(error)) {
      write({ type: 'message-metadata', messageMetadata: { ...metadata, status, retryable: false } });
    }
    if (!aborted || stopped) write({ type: 'error', errorText: message });
    trace.end({ answer: text }, aborted || stopped ? message : errorDetails(error, deps.secrets));
    return status;
  }
}

/**
 * Whether a page path a model linked to (`/guides/x/`, or `/guides/x` without its slash, its
 * segments encoded or not) is an indexed page. A failed lookup counts as yes: the link stays.
 */
async function indexedPageExists(db: Database, path: string): Promise<boolean> {
  const forms = new Set<string>();
  for (const p of [path, safeEncode(path)]) {
    const slashed = p.endsWith('/') ? p : `${p}/`;
    forms.add(slashed);
    forms.add(slashed.slice(0, -1) || '/');
  }
  try {
    const rows = await db.select({ id: documents.id }).from(documents).where(inArray(documents.url, [...forms])).limit(1);
    return rows.length > 0;
  } catch {
    return true;
  }
}

function safeEncode(path: string): string {
  try {
    // As documentUrl() encodes a page's URL, parentheses too.
    return decodeURI(path)
      .split('/')
      .map((segment) => encodeURIComponent(segment).replace(/[()]/g, (c) => (c === '(' ? '%28' : '%29')))
      .join('/');
  } catch {
    return path;
  }
}

/** The stored `error` of a `truncated` answer, by what cut it off. */
const CUT_OFF = { length: ANSWER_CUT_AT_LIMIT, 'content-filter': ANSWER_CUT_BY_FILTER } as const;

function defaultOnError(error: unknown, secrets: readonly (string | undefined)[] = []): void {
  console.error(`[docent] answering failed: ${errorDetails(error, secrets)}`);
}

/**
 * The answer when nothing reaches the user's threshold: say so, and offer the closest pages, each
 * with its score when that shows as more than 0.00 (a question the docs do not cover at all
 * scores them all near 0, and "score 0.00" tells the reader nothing).
 */
export function abstainText(closest: readonly AnswerSource[], minScore: number): string {
  const lines = ['I could not find this in the documentation, so I will not guess.'];
  if (closest.length) {
    lines.push('', `The closest pages I found (all below your minimum score of ${minScore.toFixed(2)}):`);
    for (const s of closest) {
      const label = s.heading ? `${s.title} › ${s.heading}` : s.title;
      const score = s.score.toFixed(2);
      lines.push(`- [${label.replace(/[[\]]/g, '')}](${s.url})${score === '0.00' ? '' : ` (score ${score})`}`);
    }
  }
  lines.push('', 'Try asking with the names the docs use, or lower the minimum score in the settings.');
  return lines.join('\n');
}

