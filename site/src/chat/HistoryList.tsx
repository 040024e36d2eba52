/**
 * The user's earlier chats (`GET /api/chats`): reopen one, or delete it (with a confirm step).
 * Keyboard: the confirm step takes the focus on "Keep"; Esc or "Keep" cancels it and gives the
 * focus back to the chat's delete button. After a delete, the focus moves to the next chat in the
 * list (or the one before, the last one gone: `onEmptied`). A delete that fails keeps the list and
 * the confirm step, says why there, and leaves the focus on "Delete" to try again.
 */
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { describeError, type DocentApi } from './api';
import { Icon } from './icons';
import { LiveStatus } from './live-status';
import { announceChatChange } from './tab-return';
import type { ChatSummary } from './types';

function relativeTime(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const seconds = (Date.now() - date.getTime()) / 1000;
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return rtf.format(-Math.round(seconds / 60), 'minute');
  if (seconds < 86400) return rtf.format(-Math.round(seconds / 3600), 'hour');
  if (seconds < 86400 * 30) return rtf.format(-Math.round(seconds / 86400), 'day');
  return date.toLocaleDateString();
}

export interface HistoryListProps {
  api: DocentApi;
  /** The server id of the chat on screen, highlighted in the list. */
  currentChatId: string | undefined;
  onOpen: (chat: ChatSummary) => void;
  onDeleted: (chat: ChatSummary) => void;
  /** Changes when the list should reload (e.g. a chat got a new answer). */
  refreshKey?: unknown;
  /** Called when the last chat was deleted, to put the focus somewhere useful. */
  onEmptied?: () => void;
}

/** Where the focus goes once the list has rendered: a chat's open or delete button. */
type FocusTarget = { chatId: string; button: 'open' | 'delete' };

export function HistoryList({ api, currentChatId, onOpen, onDeleted, refreshKey, onEmptied }: HistoryListProps) {
  const [chats, setChats] = useState<ChatSummary[]>();
  const [error, setError] = useState<string>();
  const [confirming, setConfirmingChat] = useState<string>();
  /** Why the delete of the chat being confirmed failed, said in its confirm step. */
  const [deleteError, setDeleteError] = useState<string>();
  const setConfirming = (chatId: string | undefined) => {
    setConfirmingChat(chatId);
    setDeleteError(undefined);
  };
  const [focusTarget, setFocusTarget] = useState<FocusTarget>();
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (!focusTarget) return;
    setFocusTarget(undefined);
    const item = [...(listRef.current?.children ?? [])].find((li) => li instanceof HTMLElement && li.dataset.chatId === focusTarget.chatId);
    item?.querySelector<HTMLElement>(focusTarget.button === 'open' ? '.dc-history-open' : '.dc-history-delete')?.focus();
  }, [focusTarget]);

  const cancelConfirm = (chat: ChatSummary) => {
    setConfirming(undefined);
    setFocusTarget({ chatId: chat.id, button: 'delete' });
  };

  const load = useCallback(() => {
    setError(undefined);
    api
      .listChats()
      .then(setChats)
      .catch((e: unknown) => setError(describeError(e, api.base)));
  }, [api]);
  useEffect(load, [load, refreshKey]);

  const remove = async (chat: ChatSummary) => {
    try {
      await api.deleteChat(chat.id);
      announceChatChange();
      const list = chats ?? [];
      const index = list.findIndex((c) => c.id === chat.id);
      const rest = list.filter((c) => c.id !== chat.id);
      const next = rest[Math.min(index, rest.length - 1)];
      setChats(rest);
      setConfirming(undefined);
      if (next) setFocusTarget({ chatId: next.id, button: 'open' });
      else onEmptied?.();
      onDeleted(chat);
    } catch (e) {
      // Not the list's load error, which replaces the list (and the focused "Delete") with "Try
      // again", a button that only reloads the list.
      setDeleteError(describeError(e, api.base));
    }
  };

  if (error) {
    return (
      <div className="dc-history-body">
        <p className="dc-inline-error" role="alert">
          {error}
        </p>
        <button type="button" className="dc-button dc-button-small" onClick={load}>
          <Icon name="retry" size={14} /> Try again
        </button>
      </div>
    );
  }
  if (!chats) {
    return (
      <LiveStatus className="dc-history-body dc-muted">Loading chats…</LiveStatus>
    );
  }
  if (chats.length === 0) return <div className="dc-history-body dc-muted">No chats yet. Your questions will be listed here.</div>;

  return (
    <ul ref={listRef} className="dc-history" aria-label="Earlier chats">
      {chats.map((chat) => (
        <li key={chat.id} className="dc-history-item" data-chat-id={chat.id} aria-current={chat.id === currentChatId ? 'true' : undefined}>
          {confirming === chat.id ? (
            <div
              className="dc-confirm"
              role="group"
              aria-label={`Delete “${chat.title}”?`}
              onKeyDown={(event: KeyboardEvent) => {
                // Esc cancels the confirm step, not the whole panel.
                if (event.key !== 'Escape') return;
                event.preventDefault();
                event.stopPropagation();
                cancelConfirm(chat);
              }}
            >
              <span>Delete this chat?</span>
              <button type="button" className="dc-button dc-button-small dc-button-danger" onClick={() => void remove(chat)}>
                Delete
              </button>
              <button type="button" className="dc-button dc-button-small" onClick={() => cancelConfirm(chat)} autoFocus>
                Keep
              </button>
              {deleteError && (
                <p className="dc-inline-error dc-confirm-error" role="alert">
                  Could not delete this chat: {deleteError}
                </p>
              )}
            </div>
          ) : (
            <>
              <button type="button" className="dc-history-open" onClick={() => onOpen(chat)}>
                <span className="dc-history-title">{chat.title}</span>
                <span className="dc-history-time">{relativeTime(chat.updatedAt)}</span>
              </button>
              <button
                type="button"
                className="dc-icon-button dc-history-delete"
                aria-label={`Delete chat “${chat.title}”`}
                onClick={() => setConfirming(chat.id)}
              >
                <Icon name="trash" size={15} />
              </button>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
