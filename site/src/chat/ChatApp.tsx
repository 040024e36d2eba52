/**
 * The chat with its views: the conversation, history and settings. Used by the floating panel
 * (`variant="panel"`) and the full page `/chat` (`variant="page"`, history always beside it).
 *
 * The conversation on screen is remembered for the browser tab (its ids only, in
 * sessionStorage), so following a citation to another docs page keeps the chat; so are settings
 * changed and not saved yet (settings-draft.ts).
 */
import { generateId } from 'ai';
import { useCallback, useEffect, useId, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';
import { describeError, type DocentApi, isOtherOrigin } from './api';
import { ChatSession } from './ChatSession';
import { HistoryList } from './HistoryList';
import { LiveStatus } from './live-status';
import { Icon } from './icons';
import { readSettingsDraft, type SettingsDraft, writeSettingsDraft } from './settings-draft';
import { SettingsPanel } from './SettingsPanel';
import { resolveSourceUrl } from './sources';
import { onTabReturn } from './tab-return';
import type { ChatMetadata, ChatSummary, DocentMessage } from './types';

type View = 'chat' | 'history' | 'settings';

interface Session {
  key: string;
  clientChatId: string;
  chatId: string | undefined;
  messages: DocentMessage[];
  /** Text for the question box of a new chat, for the reader to send. */
  draft?: string | undefined;
}

interface StoredChat {
  clientChatId: string;
  chatId: string | undefined;
}

const storageKey = (api: DocentApi) => `docent-chat:${api.base || 'same-origin'}`;

function readStored(api: DocentApi): StoredChat | undefined {
  try {
    const value = JSON.parse(sessionStorage.getItem(storageKey(api)) ?? 'null') as StoredChat | null;
    return value && typeof value.clientChatId === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function writeStored(api: DocentApi, value: StoredChat | undefined): void {
  try {
    if (value) sessionStorage.setItem(storageKey(api), JSON.stringify(value));
    else sessionStorage.removeItem(storageKey(api));
  } catch {
    // Storage disabled: the chat lasts for this page.
  }
}

/** Said when the reader comes back to a tab whose chat was deleted meanwhile (in another tab, say). */
export const CHAT_DELETED_NOTICE = 'This chat was deleted, perhaps in another tab or window, so a new chat has started.';

/** Said when a question was asked in a chat deleted meanwhile (in another tab, say). */
export const CHAT_GONE_NOTICE = `${CHAT_DELETED_NOTICE} Your question is in the box: send it to ask it here.`;

/** Said when the reader leaves the settings with changes not saved: they are kept, and do not apply yet. */
export const UNSAVED_SETTINGS_NOTICE =
  'Your settings changes are not saved, so they do not apply to your questions yet. They are kept: open Retrieval settings to save or discard them.';

const freshSession = (draft?: string): Session => ({
  key: generateId(),
  clientChatId: generateId(),
  chatId: undefined,
  messages: [],
  draft,
});

export interface ChatAppProps {
  api: DocentApi;
  variant: 'panel' | 'page';
  /** Closes the panel (panel variant). */
  onClose?: () => void;
  /** Link to the full-page chat, shown in the panel's header. Default: none. */
  fullPageUrl?: string | undefined;
  /** Focus target for the panel when it opens. */
  inputRef?: RefObject<HTMLTextAreaElement | null>;
  /**
   * The panel (panel variant): a question box that appears (the chat loaded, a chat reopened)
   * takes the focus only while the focus is in it, never from the page. Default: none, the
   * question box always takes the focus as it appears (the full-page chat is there to ask).
   */
  focusScope?: RefObject<HTMLElement | null>;
  /**
   * A question to put in the question box of a new chat (`/chat?q=...`), which the reader sends
   * or not: a link cannot ask in the reader's name.
   */
  initialDraft?: string | undefined;
  /** Called each time the reader sends a question. */
  onAsk?: () => void;
  /** Title shown in the header. Default: "Ask the docs". */
  title?: string;
}

/** Whether the focus is in `scope` (the element itself or inside it), in its document or shadow root. */
function focusIsIn(scope: HTMLElement | null | undefined): boolean {
  const active = scope ? (scope.getRootNode() as Document | ShadowRoot).activeElement : null;
  return active !== null && Boolean(scope?.contains(active));
}

export function ChatApp({ api, variant, onClose, fullPageUrl, inputRef, focusScope, initialDraft, onAsk, title = 'Ask the docs' }: ChatAppProps) {
  const [view, setView] = useState<View>('chat');
  const [session, setSession] = useState<Session>(() => freshSession(initialDraft));
  // With a chat of this tab's to reopen, the chat says it is opening it from the first render: a
  // question box of a new chat shown meanwhile would be replaced a moment later, with what the
  // reader had started typing in it.
  const [restoring, setRestoring] = useState(() => !initialDraft && Boolean(readStored(api)?.chatId));
  const [notice, setNotice] = useState<string>();
  const [historyVersion, setHistoryVersion] = useState(0);
  /** Settings the reader changed and has not saved: kept while the settings panel is closed, and for the tab. */
  const [settingsDraft, setDraftState] = useState<SettingsDraft | undefined>(() => readSettingsDraft(api.base));
  const setSettingsDraft = useCallback(
    (draft: SettingsDraft | undefined) => {
      setDraftState(draft);
      writeSettingsDraft(api.base, draft);
    },
    [api.base],
  );
  const titleId = useId();
  const fallbackRef = useRef<HTMLTextAreaElement>(null);
  const focusRef = inputRef ?? fallbackRef;
  const newChatRef = useRef<HTMLButtonElement>(null);

  const resolveUrl = useCallback((url: string) => resolveSourceUrl(url, api.base), [api.base]);

  // Reopen the tab's current chat (after navigating to another page), unless given a new question.
  useEffect(() => {
    if (initialDraft) return;
    const stored = readStored(api);
    if (!stored?.chatId) return;
    let live = true;
    setRestoring(true);
    api
      .getChat(stored.chatId)
      .then(({ chat, messages }) => {
        if (live) setSession({ key: generateId(), clientChatId: chat.clientChatId, chatId: chat.id, messages });
      })
      .catch(() => live && writeStored(api, undefined))
      .finally(() => live && setRestoring(false));
    return () => {
      live = false;
    };
  }, [api, initialDraft]);

  const onMetadata = useCallback(
    (meta: ChatMetadata) => {
      if (!meta.chatId) return;
      setSession((s) => {
        if (s.chatId === meta.chatId) return s;
        writeStored(api, { clientChatId: s.clientChatId, chatId: meta.chatId });
        return { ...s, chatId: meta.chatId };
      });
    },
    [api],
  );

  const newChat = useCallback(() => {
    setSession(freshSession());
    writeStored(api, undefined);
    setNotice(undefined);
    setView('chat');
    requestAnimationFrame(() => focusRef.current?.focus());
  }, [api, focusRef]);

  // The chat was deleted meanwhile (in another tab): a new chat, with the question ready to send.
  const chatGone = useCallback(
    (question: string) => {
      setSession(freshSession(question));
      writeStored(api, undefined);
      setNotice(CHAT_GONE_NOTICE);
      setView('chat');
      setHistoryVersion((v) => v + 1);
      requestAnimationFrame(() => focusRef.current?.focus());
    },
    [api, focusRef],
  );

  // Back in this tab, the chat was deleted elsewhere: a new chat, keeping what the reader was typing
  // (and, in the panel, the focus when it was in the panel: its new question box takes it).
  const deletedElsewhere = useCallback(
    (draft: string) => {
      const hadFocus = Boolean(focusScope) && focusIsIn(focusScope?.current);
      setSession(freshSession(draft));
      writeStored(api, undefined);
      setNotice(CHAT_DELETED_NOTICE);
      setHistoryVersion((v) => v + 1);
      if (hadFocus) requestAnimationFrame(() => focusRef.current?.focus());
    },
    [api, focusRef, focusScope],
  );

  // Leaving the settings (by any button) with changes not saved: they are kept, and the chat says
  // so rather than letting the reader think they apply. Back in the settings, the panel says it.
  const previousView = useRef(view);
  useEffect(() => {
    const left = previousView.current === 'settings' && view !== 'settings';
    previousView.current = view;
    if (left && settingsDraft) setNotice(UNSAVED_SETTINGS_NOTICE);
    if (view === 'settings') setNotice((n) => (n === UNSAVED_SETTINGS_NOTICE ? undefined : n));
  }, [view, settingsDraft]);

  // Back in this tab, the history lists the chats started or deleted in another one.
  useEffect(() => onTabReturn(() => setHistoryVersion((v) => v + 1)), []);

  const openChat = useCallback(
    async (chat: ChatSummary) => {
      setNotice(undefined);
      setRestoring(true);
      setView('chat');
      try {
        const loaded = await api.getChat(chat.id);
        setSession({ key: generateId(), clientChatId: loaded.chat.clientChatId, chatId: loaded.chat.id, messages: loaded.messages });
        writeStored(api, { clientChatId: loaded.chat.clientChatId, chatId: loaded.chat.id });
        requestAnimationFrame(() => focusRef.current?.focus());
      } catch (error) {
        setNotice(`Could not open that chat: ${describeError(error, api.base)}`);
      } finally {
        setRestoring(false);
      }
    },
    [api, focusRef],
  );

  const onDeleted = useCallback(
    (chat: ChatSummary) => {
      if (chat.id === session.chatId) newChat();
      setHistoryVersion((v) => v + 1);
    },
    [newChat, session.chatId],
  );

  const history = useMemo(
    () => (
      <HistoryList
        api={api}
        currentChatId={session.chatId}
        refreshKey={historyVersion}
        onOpen={(chat) => void openChat(chat)}
        onDeleted={onDeleted}
        // The last chat deleted: the focus goes to "New chat" rather than to <body>.
        onEmptied={() => newChatRef.current?.focus()}
      />
    ),
    [api, session.chatId, historyVersion, openChat, onDeleted],
  );

  const backToChat = useCallback(() => {
    setView('chat');
    requestAnimationFrame(() => focusRef.current?.focus());
  }, [focusRef]);

  const headerButton = (
    label: string,
    icon: Parameters<typeof Icon>[0]['name'],
    onClick: () => void,
    pressed?: boolean,
    ref?: RefObject<HTMLButtonElement | null>,
    marked?: boolean,
  ): ReactNode => (
    <button ref={ref} type="button" className="dc-icon-button" aria-label={label} title={label} aria-pressed={pressed} onClick={onClick}>
      <Icon name={icon} />
      {marked && <span className="dc-icon-mark" aria-hidden="true" />}
    </button>
  );

  // The conversation stays mounted under the other views, so an answer keeps streaming and
  // nothing is lost while the reader looks at settings or history.
  const body = (
    <>
      {view === 'settings' && <SettingsPanel api={api} onDone={backToChat} draft={settingsDraft} onDraftChange={setSettingsDraft} />}
      {view === 'history' && <div className="dc-view-body dc-history-view">{history}</div>}
      {restoring ? (
        view === 'chat' && (
          <LiveStatus className="dc-view-body dc-muted">Opening chat…</LiveStatus>
        )
      ) : (
        <ChatSession
          key={session.key}
          hidden={view !== 'chat'}
          api={api}
          clientChatId={session.clientChatId}
          initialMessages={session.messages}
          initialDraft={session.draft}
          resolveUrl={resolveUrl}
          onMetadata={onMetadata}
          onAnswered={() => setHistoryVersion((v) => v + 1)}
          onAsk={() => {
            setNotice(undefined);
            onAsk?.();
          }}
          onChatGone={chatGone}
          chatId={session.chatId}
          onDeletedElsewhere={deletedElsewhere}
          inputRef={focusRef}
          // The full-page chat is there to ask: its question box has the focus too, as the open
          // panel's has when the reader opened it (the panel holds the focus while the chat loads).
          autoFocus={focusScope ? () => focusIsIn(focusScope.current) : true}
        />
      )}
    </>
  );

  return (
    <section className={`dc-app dc-app-${variant}`} aria-labelledby={titleId}>
      <header className="dc-header">
        {view !== 'chat' ? (
          <button type="button" className="dc-icon-button" aria-label="Back to chat" title="Back to chat" onClick={backToChat}>
            <Icon name="back" />
          </button>
        ) : (
          <span className="dc-logo" aria-hidden="true">
            <Icon name="chat" size={16} />
          </span>
        )}
        <h2 id={titleId} className="dc-title">
          {view === 'history' ? 'Your chats' : view === 'settings' ? 'Settings' : title}
        </h2>
        <span className="dc-header-actions">
          {headerButton('New chat', 'plus', newChat, undefined, newChatRef)}
          <span className={variant === 'page' ? 'dc-narrow-only' : undefined}>
            {headerButton('Chat history', 'history', () => (view === 'history' ? backToChat() : setView('history')), view === 'history')}
          </span>
          {headerButton(
            settingsDraft ? 'Retrieval settings (changes not saved)' : 'Retrieval settings',
            'settings',
            () => (view === 'settings' ? backToChat() : setView('settings')),
            view === 'settings',
            undefined,
            settingsDraft !== undefined,
          )}
          {variant === 'panel' && fullPageUrl && <FullPageLink url={fullPageUrl} />}
          {onClose && headerButton('Close chat', 'close', onClose)}
        </span>
      </header>
      {notice && (
        <p className="dc-inline-error dc-notice" role="alert">
          {notice}
        </p>
      )}
      {variant === 'page' ? (
        <div className="dc-page-grid">
          <aside className="dc-page-history" aria-label="Your chats">
            <h3 className="dc-page-history-title">Your chats</h3>
            {history}
          </aside>
          <div className="dc-page-main">{body}</div>
        </div>
      ) : (
        body
      )}
    </section>
  );
}

/**
 * The panel's link to the full-page chat. On Docent's own site it opens in place, with the same
 * chat. From the widget embedded on another site it opens Docent's site in a new tab, so the
 * reader keeps the page they were on; the chat there has its own history (the embedded widget's
 * session cookie belongs to the host site), so the link promises no more than the full page.
 */
function FullPageLink({ url }: { url: string }) {
  const elsewhere = isOtherOrigin(url);
  const label = elsewhere ? 'Open full-page chat in a new tab' : 'Open full-page chat';
  return (
    <a className="dc-icon-button" href={url} aria-label={label} title={label} {...(elsewhere ? { target: '_blank', rel: 'noopener' } : {})}>
      <Icon name="expand" />
    </a>
  );
}
