/**
 * One conversation: `useChat` against `POST /api/chat`, the message list (answers with
 * citations, sources and feedback), errors with a retry, and the composer with Send / Stop.
 *
 * Screen readers: each message starts with a visually hidden heading naming its speaker ("You",
 * "Docent"), so a long chat can be walked heading by heading. The conversation is not a live
 * region: a streamed answer changes thousands of times, and would be read in pieces or all over
 * again at its end. Its progress is said instead by short statuses: "Searching the docs…",
 * "Found 3 sources, writing…", then "Answer ready, 3 sources" (or "Answer stopped.").
 *
 * Mount it with a `key` per conversation: switching chats mounts a new session with the chat's
 * stored messages.
 */
import { useChat } from '@ai-sdk/react';
import { Fragment, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ClipboardEvent, type DragEvent, type FormEvent, type KeyboardEvent, type RefObject } from 'react';
import { ApiRequestError, describeError, type DocentApi, parseApiError } from './api';
import { recordFailedTurn, unansweredNote } from './failed-turns';
import { FeedbackBar } from './FeedbackBar';
import { fetchInTurn } from './first-write';
import { Icon } from './icons';
import { AnswerMarkdown } from './Markdown';
import { SourceList } from './SourceList';
import { messageSources, messageText } from './sources';
import { LiveStatus } from './live-status';
import { announceChatChange, changesElsewhere, onTabReturn, RECHECK_DELAYS_MS, showsAnswerWrittenElsewhere } from './tab-return';
import { DocentChatTransport } from './transport';
import type { ChatMetadata, DocentMessage, Feedback } from './types';

/** Longest question the composer accepts (the server bounds it too: 400 above it). */
export const MAX_QUESTION_LENGTH = 4000;
/** From this length on, the composer shows how many characters are used. */
export const QUESTION_COUNTER_FROM = MAX_QUESTION_LENGTH - 500;

const formatCount = (n: number) => n.toLocaleString('en-US');
/** Said when a question was cut to fit {@link MAX_QUESTION_LENGTH}. */
export const QUESTION_CUT_NOTICE = `Your question was cut to ${formatCount(MAX_QUESTION_LENGTH)} characters, the longest Docent accepts.`;

/**
 * `text` cut to {@link MAX_QUESTION_LENGTH} characters (UTF-16 code units, as the server and the
 * textarea's `maxLength` count them), without splitting a surrogate pair.
 */
export function clampQuestion(text: string): { text: string; cut: boolean } {
  if (text.length <= MAX_QUESTION_LENGTH) return { text, cut: false };
  let end = MAX_QUESTION_LENGTH;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return { text: text.slice(0, end), cut: true };
}

export interface ChatSessionProps {
  api: DocentApi;
  /** The id `useChat` sends as the chat's `id` (stable for the conversation). */
  clientChatId: string;
  /** Messages of a reopened chat. Default: none. */
  initialMessages?: DocentMessage[];
  /** Turns a source URL into a link (absolute against the server for the standalone widget). */
  resolveUrl: (url: string) => string;
  /** Called with the server's metadata (`chatId`) once an answer starts or finishes. */
  onMetadata?: (metadata: ChatMetadata) => void;
  /** Called when an answer finished (to refresh the history list). */
  onAnswered?: () => void;
  /** The composer's textarea, so the panel can focus it when it opens. */
  inputRef?: RefObject<HTMLTextAreaElement | null>;
  /**
   * Text to put in the question box when the session mounts (cut to the question limit, which is
   * then said), for the reader to read, change and send. Never sent by itself.
   */
  initialDraft?: string | undefined;
  /** Called each time the reader sends a question. */
  onAsk?: () => void;
  /**
   * Called, with the question just asked, when the server no longer has this chat (it was
   * deleted, perhaps in another tab: `chat_not_found`), so that a new chat can take the question.
   * Default: the error is shown like any other.
   */
  onChatGone?: (question: string) => void;
  /**
   * The server's id of this chat, once it has one. When the reader comes back to the tab and no
   * answer is being written, the chat is reloaded from the server, so turns added in another tab
   * or window are shown (`tab-return.ts`). Default: none (nothing to reload).
   */
  chatId?: string | undefined;
  /**
   * Called, with the text in the question box, when the reader comes back to the tab and the
   * server no longer has this chat (it was deleted in another tab or window). Default: the chat
   * stays on screen as it was.
   */
  onDeletedElsewhere?: (draft: string) => void;
  /**
   * Whether the composer takes the focus when the session mounts: `true`, or what the function
   * says then (the panel: only while the focus is in it). Default: false.
   */
  autoFocus?: boolean | (() => boolean);
  /** Hide the conversation (another view is shown) without unmounting it. Default: false. */
  hidden?: boolean;
}

/**
 * The language of the page the reader asks from: on Docent's docs site its `data-docent-language`
 * (empty on pages in no one language, such as /chat), on another site hosting the widget its
 * `<html lang>`; '' when there is none.
 */
function pageLanguage(root: HTMLElement | undefined = typeof document === 'undefined' ? undefined : document.documentElement): string {
  if (!root) return '';
  return (root.dataset.docentLanguage ?? root.lang).trim();
}

export function ChatSession({
  api,
  clientChatId,
  initialMessages,
  resolveUrl,
  onMetadata,
  onAnswered,
  onAsk,
  onChatGone,
  chatId,
  onDeletedElsewhere,
  inputRef,
  initialDraft,
  autoFocus = false,
  hidden = false,
}: ChatSessionProps) {
  const transport = useMemo(
    () =>
      new DocentChatTransport<DocentMessage>({
        api: api.url('/api/chat'),
        credentials: 'include',
        // A question may create the visitor's user: it waits for another one doing so (first-write.ts).
        fetch: fetchInTurn(api.base),
        // Only the text travels back to the server: sources and data parts of earlier answers
        // are the server's own records and would only bloat the request.
        prepareSendMessagesRequest: ({ id, messages, trigger, messageId }) => {
          // The page's language: on docs in several languages, a keyword question gets the pages
          // in the language of the page it was asked from.
          const language = pageLanguage();
          // The page's path: of near-identical copies of a section (one per product or version),
          // the one in this part of the docs is cited.
          const page = typeof location === 'undefined' ? '' : location.pathname;
          return {
            body: {
              id,
              messages: messages.map((m) => ({ id: m.id, role: m.role, parts: m.parts.filter((p) => p.type === 'text').map((p) => ({ type: 'text', text: p.text })) })),
              trigger,
              ...(messageId ? { messageId } : {}),
              ...(language ? { language } : {}),
              ...(page && page !== '/' ? { page: page.slice(0, 2048) } : {}),
            },
          };
        },
      }),
    [api],
  );
  const [announcement, setAnnouncement] = useState({ text: '', count: 0 });
  const announce = (text: string) => setAnnouncement((a) => ({ text, count: a.count + 1 }));
  /** The error the last answer failed with (`onError` comes just before `onFinish`). */
  const failure = useRef<unknown>(undefined);
  /** The messages as last rendered, for the question a refused request asked. */
  const shown = useRef<DocentMessage[]>([]);
  const { messages, sendMessage, setMessages, status, stop, error, regenerate, clearError } = useChat<DocentMessage>({
    id: clientChatId,
    messages: initialMessages ?? [],
    transport,
    onError: (e) => {
      failure.current = e;
      if (onChatGone && parseApiError(e.message)?.code === 'chat_not_found') {
        const question = shown.current.findLast((m) => m.role === 'user');
        onChatGone(question ? messageText(question) : '');
      }
    },
    onFinish: ({ message, isAbort, isError, isDisconnect }) => {
      // The turn keeps how it ended, for when the next question clears the alert (failed-turns.ts).
      if (isAbort) setMessages((list) => recordFailedTurn(list, message.id, { status: 'aborted' }));
      else if (isError) setMessages((list) => recordFailedTurn(list, message.id, { status: 'error', reason: describeError(failure.current, api.base) }));
      // An error is said by the error's own alert.
      if (isAbort) announce('Answer stopped.');
      else if (!isError && !isDisconnect && message.role === 'assistant') announce(answerReady(messageSources(message).length));
      if (message.metadata) onMetadata?.(message.metadata);
      onAnswered?.();
      // A window open on this chat beside this one shows the turn now, not when it gets the focus.
      announceChatChange();
    },
  });
  shown.current = messages;
  const draft = useMemo(() => clampQuestion(initialDraft?.trim() ?? ''), [initialDraft]);
  const [input, setInput] = useState(draft.text);
  // Said (aria-live) when pasted, dropped or `?q=` text was cut to the limit.
  const [limitNotice, setLimitNotice] = useState(draft.cut ? QUESTION_CUT_NOTICE : '');
  const busy = status === 'submitted' || status === 'streaming';
  const listRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  /** The list's scroll position at its last scroll event: scrolling up is the reader's doing. */
  const lastScrollTop = useRef(0);

  // Back in this tab: the chat as stored, with what was asked in another tab meanwhile.
  const busyNow = useRef(busy);
  busyNow.current = busy;
  const inputNow = useRef(input);
  inputNow.current = input;
  /** Reloads the chat from the server, as when the reader comes back to the tab (while it has a `chatId`). */
  const reloadChat = useRef<(() => void) | undefined>(undefined);
  useEffect(() => {
    if (!chatId) return;
    let live = true;
    let loading = false;
    const reload = () => {
      if (loading || busyNow.current) return;
      loading = true;
      const before = shown.current;
      api
        .getChat(chatId)
        .then(
          ({ messages: stored }) => {
            // The reader asked (or rated) meanwhile: what this tab shows is newer.
            const changed = changesElsewhere(before, stored);
            if (!live || busyNow.current || shown.current !== before || !changed) return;
            if (changed.change === 'continued') clearError();
            setMessages(changed.messages);
            announce(
              changed.change === 'continued'
                ? 'This chat was continued in another tab or window: its new messages are shown.'
                : 'This chat was updated in another tab or window.',
            );
          },
          (error: unknown) => {
            if (live && error instanceof ApiRequestError && error.status === 404) onDeletedElsewhere?.(inputNow.current);
            // Otherwise (offline, say) the tab keeps what it shows, and tries again next time.
          },
        )
        .finally(() => {
          loading = false;
        });
    };
    reloadChat.current = reload;
    const unsubscribe = onTabReturn(reload);
    return () => {
      live = false;
      if (reloadChat.current === reload) reloadChat.current = undefined;
      unsubscribe();
    };
  }, [api, chatId, clearError, setMessages, onDeletedElsewhere]);

  // An answer loaded while another tab or window was writing it: looked at again while this tab is
  // visible, until it has ended there. Its end is not always announced in time: a stop is announced
  // before the server has recorded it, and a tab closed mid-answer announces nothing.
  const writtenElsewhere = !busy && showsAnswerWrittenElsewhere(messages);
  useEffect(() => {
    if (!writtenElsewhere) return;
    let looks = 0;
    let timer: ReturnType<typeof setTimeout>;
    const later = () => {
      timer = setTimeout(
        () => {
          if (document.visibilityState === 'visible') reloadChat.current?.();
          later();
        },
        RECHECK_DELAYS_MS[Math.min(looks++, RECHECK_DELAYS_MS.length - 1)],
      );
    };
    later();
    return () => clearTimeout(timer);
  }, [writtenElsewhere]);

  // A rating saved here: kept with the message (so that a reload finds nothing new in it), and
  // told to a window open on this chat beside this one, which shows it at once.
  const feedbackSaved = useCallback(
    (id: string, feedback: Feedback) => {
      setMessages((list) => list.map((m) => (m.id === id ? { ...m, metadata: { ...m.metadata, feedback } } : m)));
      announceChatChange();
    },
    [setMessages],
  );

  // Report the server's chat id as soon as the first metadata arrives (not only at the end).
  const lastMeta = messages.at(-1)?.metadata;
  useEffect(() => {
    if (lastMeta?.chatId) onMetadata?.(lastMeta);
  }, [lastMeta?.chatId]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const list = listRef.current;
    if (list && stickToBottom.current) list.scrollTop = list.scrollHeight;
  }, [messages, status, error]);

  // The question box: also the caller's `inputRef`; focused as it mounts when `autoFocus` says so.
  const boxRef = useRef<HTMLTextAreaElement | null>(null);
  const setBox = useCallback(
    (box: HTMLTextAreaElement | null) => {
      boxRef.current = box;
      if (inputRef) inputRef.current = box;
    },
    [inputRef],
  );
  useLayoutEffect(() => {
    if (typeof autoFocus === 'function' ? autoFocus() : autoFocus) boxRef.current?.focus();
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  // Send and Stop take each other's place as an answer begins and ends: the one with the keyboard
  // focus goes (Send pressed, Stop pressed or the answer finished), and the question box takes the
  // focus, which would otherwise fall to the page's <body>.
  const sendOrStopFocused = useRef(false);
  useEffect(() => {
    if (!sendOrStopFocused.current) return;
    sendOrStopFocused.current = false;
    const box = inputRef?.current;
    const active = box ? (box.getRootNode() as Document | ShadowRoot).activeElement : null;
    if (box && (active === null || active === document.body)) box.focus();
  }, [busy]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = useCallback(
    (event?: FormEvent) => {
      event?.preventDefault();
      const text = input.trim();
      if (!text || busy) return;
      if (error) clearError();
      stickToBottom.current = true;
      setInput('');
      setLimitNotice('');
      onAsk?.();
      void sendMessage({ text: clampQuestion(text).text });
    },
    [input, busy, error, clearError, sendMessage, onAsk],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  // The textarea's maxLength cuts inserted text silently: say so when pasted or dropped text
  // does not fit in the room left.
  const noticeIfCut = (event: ClipboardEvent<HTMLTextAreaElement> | DragEvent<HTMLTextAreaElement>) => {
    const data = 'clipboardData' in event ? event.clipboardData : event.dataTransfer;
    const inserted = (data?.getData('text/plain') ?? '').replace(/\r\n?/g, '\n');
    const el = event.currentTarget;
    const replaced = event.type === 'paste' ? el.selectionEnd - el.selectionStart : 0;
    if (el.value.length - replaced + inserted.length > MAX_QUESTION_LENGTH) setLimitNotice(QUESTION_CUT_NOTICE);
  };

  // A given question: the caret after it, ready to send or to change.
  useEffect(() => {
    const box = inputRef?.current;
    if (draft.text && box) box.setSelectionRange(box.value.length, box.value.length);
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const lastAssistantStreaming = busy && messages.at(-1)?.role === 'assistant';
  // A chat reopened from history whose last answer failed: why, as it was told (with Retry as it was offered).
  const last = messages.at(-1);
  const storedFailure = !busy && last?.role === 'assistant' && last.metadata?.status === 'error' ? last.metadata.error : undefined;
  // The last answer was stopped (or its question, before the answer began): it can be written again.
  const stoppedLast = !busy && !error && last?.metadata?.status === 'aborted';
  const showCount = input.length >= QUESTION_COUNTER_FROM;

  return (
    <div className="dc-session" hidden={hidden}>
      <div
        className="dc-messages"
        ref={listRef}
        role="log"
        // Not live (a log is, by default): the statuses below and in the messages say what happens.
        aria-live="off"
        aria-label="Conversation"
        tabIndex={0}
        onScroll={(e) => {
          // Only the reader scrolling up lets go of the bottom: the list's own smooth scroll down
          // passes through positions far from it, and new content (an error) must still follow.
          const el = e.currentTarget;
          const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
          if (atBottom) stickToBottom.current = true;
          else if (el.scrollTop < lastScrollTop.current) stickToBottom.current = false;
          lastScrollTop.current = el.scrollTop;
        }}
      >
        {messages.length === 0 && !busy && (
          <div className="dc-empty">
            <p className="dc-empty-title">Ask anything about these docs.</p>
            <p className="dc-muted">
              Answers are written from the documentation and cite their sources: hover a number like <span className="dc-cite dc-cite-demo">1</span> to
              preview it, click to open the section.
            </p>
          </div>
        )}
        {messages.map((message, i) => {
          const isLast = i === messages.length - 1;
          if (message.role === 'user') {
            const unanswered = unansweredNote(messages, i, { busy, alertShown: !!error });
            return (
              <Fragment key={message.id}>
                <div className="dc-msg dc-msg-user">
                  <h3 className="dc-sr-only">You</h3>
                  <div className="dc-bubble">{messageText(message)}</div>
                </div>
                {/* No answer began: what happened instead (failed-turns.ts). */}
                {unanswered && (
                  <div className="dc-msg dc-msg-assistant">
                    <h3 className="dc-sr-only">Docent</h3>
                    <p className="dc-note">{unanswered}</p>
                  </div>
                )}
              </Fragment>
            );
          }
          if (message.role !== 'assistant') return null;
          const streaming = isLast && lastAssistantStreaming;
          return (
            <AssistantMessage
              key={message.id}
              api={api}
              message={message}
              streaming={streaming}
              stopped={message.metadata?.status === 'aborted'}
              failed={message.metadata?.status === 'error' || (isLast && !!error)}
              storedError={isLast ? undefined : message.metadata?.error}
              truncated={message.metadata?.status === 'truncated'}
              interrupted={message.metadata?.interrupted === true}
              resolveUrl={resolveUrl}
              onFeedbackSaved={feedbackSaved}
            />
          );
        })}
        {status === 'submitted' && messages.at(-1)?.role === 'user' && (
          <div className="dc-msg dc-msg-assistant">
            <h3 className="dc-sr-only">Docent</h3>
            <div className="dc-thinking">
              <span className="dc-dots" aria-hidden="true">
                <i />
                <i />
                <i />
              </span>
              <LiveStatus as="span">Searching the docs…</LiveStatus>
            </div>
          </div>
        )}
        {(error || storedFailure) && (
          <div className="dc-error" role="alert">
            <p>{error ? describeError(error, api.base) : storedFailure}</p>
            {/* The server says asking again cannot help (e.g. the embedding server refused its key): no Retry. */}
            {messages.at(-1)?.metadata?.retryable !== false && (
              <button
                type="button"
                className="dc-button dc-button-small"
                onClick={() => {
                  // The alert (and this button) goes: the focus waits in the question box, as after Regenerate.
                  inputRef?.current?.focus();
                  clearError();
                  void regenerate();
                }}
              >
                <Icon name="retry" size={14} /> Retry
              </button>
            )}
          </div>
        )}
        {stoppedLast && (
          <div className="dc-stopped-actions">
            <button
              type="button"
              className="dc-button dc-button-small"
              onClick={() => {
                // The button goes while the answer is written: the focus waits in the question box, next to Stop.
                inputRef?.current?.focus();
                stickToBottom.current = true;
                void regenerate();
              }}
            >
              <Icon name="retry" size={14} /> Regenerate
            </button>
          </div>
        )}
      </div>
      <p className="dc-sr-only" role="status">
        {/* A no-break space on every other announcement: the same words twice in a row are a change too. */}
        {announcement.text}
        {announcement.count % 2 ? '\u00a0' : ''}
      </p>

      <form className="dc-composer" onSubmit={submit}>
        <label htmlFor={`dc-input-${clientChatId}`} className="dc-sr-only">
          Your question
        </label>
        <textarea
          id={`dc-input-${clientChatId}`}
          ref={setBox}
          rows={1}
          value={input}
          maxLength={MAX_QUESTION_LENGTH}
          placeholder={messages.length ? 'Ask a follow-up…' : 'Ask a question about the docs…'}
          onChange={(e) => {
            setInput(e.target.value);
            if (e.target.value.length < MAX_QUESTION_LENGTH) setLimitNotice('');
          }}
          onPaste={noticeIfCut}
          onDrop={noticeIfCut}
          onKeyDown={onKeyDown}
          aria-describedby={`dc-hint-${clientChatId}${showCount ? ` dc-char-count-${clientChatId}` : ''}`}
        />
        {busy ? (
          <button
            type="button"
            className="dc-send dc-stop"
            onClick={() => void stop()}
            onFocus={() => (sendOrStopFocused.current = true)}
            onBlur={() => (sendOrStopFocused.current = false)}
            aria-label="Stop answering"
          >
            <Icon name="stop" filled size={16} />
          </button>
        ) : (
          <button
            type="submit"
            className="dc-send"
            disabled={!input.trim()}
            onFocus={() => (sendOrStopFocused.current = true)}
            onBlur={() => (sendOrStopFocused.current = false)}
            aria-label="Send question"
          >
            <Icon name="send" size={18} />
          </button>
        )}
        <span id={`dc-hint-${clientChatId}`} className="dc-sr-only">
          Enter sends, Shift+Enter starts a new line.
        </span>
      </form>
      <div className={`dc-limit${showCount || limitNotice ? ' dc-limit-shown' : ''}`}>
        <p className="dc-limit-notice" role="status" aria-live="polite">
          {limitNotice}
        </p>
        {showCount && (
          <p id={`dc-char-count-${clientChatId}`} className={`dc-char-count${input.length >= MAX_QUESTION_LENGTH ? ' dc-char-count-full' : ''}`}>
            {formatCount(input.length)} / {formatCount(MAX_QUESTION_LENGTH)} characters
          </p>
        )}
      </div>
    </div>
  );
}

/** What the status says when an answer is complete: "Answer ready, 3 sources". */
export function answerReady(sources: number): string {
  return `Answer ready, ${sources === 0 ? 'no sources' : sources === 1 ? '1 source' : `${sources} sources`}`;
}

interface AssistantMessageProps {
  api: DocentApi;
  message: DocentMessage;
  streaming: boolean;
  stopped: boolean;
  failed: boolean;
  /** Why this answer failed, for an earlier answer (the last one's is in the alert): as stored, or as the reader was told. */
  storedError?: string | undefined;
  /** The model's token limit or content filter cut the answer off (status `truncated`). */
  truncated: boolean;
  /**
   * The answer's stream broke off (no `finish`, or the connection dropped): the reader saw only
   * part of an answer the server recorded otherwise (complete, stopped, or still being written),
   * so it is not offered for rating. Reopened from history, it shows as stored and can be rated.
   */
  interrupted: boolean;
  resolveUrl: (url: string) => string;
  /** Called with the message's id and its feedback once the server has saved it. */
  onFeedbackSaved: (id: string, feedback: Feedback) => void;
}

function AssistantMessage({ api, message, streaming, stopped, failed, storedError, truncated, interrupted, resolveUrl, onFeedbackSaved }: AssistantMessageProps) {
  const sources = useMemo(() => messageSources(message), [message]);
  const text = messageText(message);
  const messageId = message.metadata?.messageId;
  // Loaded from the server while another tab or window is still writing it: not offered for rating yet.
  const beingWritten = !streaming && message.metadata?.status === 'streaming';
  return (
    <div className="dc-msg dc-msg-assistant">
      <h3 className="dc-sr-only">Docent</h3>
      {text ? (
        <div className="dc-answer">
          <AnswerMarkdown text={text} sources={sources} resolveUrl={resolveUrl} />
          {streaming && <span className="dc-caret" aria-hidden="true" />}
        </div>
      ) : streaming ? (
        <div className="dc-thinking">
          <span className="dc-dots" aria-hidden="true">
            <i />
            <i />
            <i />
          </span>
          <LiveStatus as="span">{sources.length ? `Found ${sources.length === 1 ? '1 source' : `${sources.length} sources`}, writing…` : 'Searching the docs…'}</LiveStatus>
        </div>
      ) : null}
      {stopped && !streaming && <p className="dc-note">Stopped.</p>}
      {failed && !streaming && !stopped && text && <p className="dc-note">This answer was interrupted.{storedError ? ` ${storedError}` : ''}</p>}
      {failed && !streaming && !stopped && !text && storedError && <p className="dc-note">{storedError}</p>}
      {truncated && !streaming && <p className="dc-note">This answer was cut off before its end.</p>}
      {beingWritten && <p className="dc-note">This answer was still being written, in another tab or window, when the chat was loaded.</p>}
      <SourceList sources={sources} resolveUrl={resolveUrl} />
      {/* A failed answer is not rated as if it were one: the server refuses it (409 answer_failed); asked again, the new answer is. */}
      {!streaming && !beingWritten && !interrupted && !(failed && !stopped) && messageId && text && (
        <FeedbackBar api={api} messageId={messageId} initial={message.metadata?.feedback} onSaved={(feedback) => onFeedbackSaved(message.id, feedback)} />
      )}
    </div>
  );
}
