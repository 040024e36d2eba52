/**
 * The full-page chat at `/chat` (history beside the conversation). `?q=` asks right away (cut to
 * the question limit by `ChatSession`, which says so).
 */
import { useMemo } from 'react';
import { createDocentApi } from './api';
import { ChatApp } from './ChatApp';

export default function ChatPage({ apiBase = '' }: { apiBase?: string }) {
  const api = useMemo(() => createDocentApi(apiBase), [apiBase]);
  const question = typeof location !== 'undefined' ? new URLSearchParams(location.search).get('q')?.trim() || undefined : undefined;
  return (
    <div className="docent-root dc-fullpage">
      <ChatApp api={api} variant="page" initialQuestion={question} />
    </div>
  );
}
