/**
 * The full-page chat at `/chat` (history beside the conversation). `?q=` puts a question in the
 * question box of a new chat, focused, for the reader to send: a link from another site cannot
 * ask in the reader's name (a chat in their history, the model's cost, words they never wrote
 * shown as theirs). Once the reader asks, `q` leaves the address, so a reload reopens the chat.
 */
import { useMemo } from 'react';
import { createDocentApi } from './api';
import { ChatApp } from './ChatApp';

/** The `q` of the page's address, trimmed; `undefined` when there is none (or it is blank). */
function questionFromUrl(): string | undefined {
  if (typeof location === 'undefined') return undefined;
  return new URLSearchParams(location.search).get('q')?.trim() || undefined;
}

/** Takes `q` out of the page's address (without a navigation), once its question was asked. */
function dropQuestionFromUrl(): void {
  const url = new URL(location.href);
  if (!url.searchParams.has('q')) return;
  url.searchParams.delete('q');
  history.replaceState(history.state, '', url);
}

export default function ChatPage({ apiBase = '' }: { apiBase?: string }) {
  const api = useMemo(() => createDocentApi(apiBase), [apiBase]);
  const draft = useMemo(questionFromUrl, []);
  return (
    <div className="docent-root dc-fullpage">
      <ChatApp api={api} variant="page" initialDraft={draft} onAsk={dropQuestionFromUrl} />
    </div>
  );
}
