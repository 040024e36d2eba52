/**
 * A chat open in two tabs (or windows) of one browser is one chat on the server: a question asked
 * in one tab is part of what the model reads in the other. So when the reader comes back to a tab
 * (it becomes visible again, or its window gets the focus), the widget reloads the open chat and
 * shows the turns added elsewhere. Nothing is fetched while the tab is hidden: no polling.
 */
import type { DocentMessage } from './types';

/**
 * Calls `callback` each time the reader comes back to this tab: the page becomes visible again
 * (`visibilitychange`), or its window gets the focus back (`focus`, for a window beside another).
 * Switching tabs fires both; the caller keeps one reload at a time. Returns the unsubscribe.
 */
export function onTabReturn(callback: () => void, win: Window = window): () => void {
  const doc = win.document;
  const onVisibility = () => {
    if (doc.visibilityState === 'visible') callback();
  };
  doc.addEventListener('visibilitychange', onVisibility);
  win.addEventListener('focus', callback);
  return () => {
    doc.removeEventListener('visibilitychange', onVisibility);
    win.removeEventListener('focus', callback);
  };
}

/** A message as the server knows it: its id, and for an answer how it ended. */
const turnKey = (m: DocentMessage) => (m.role === 'assistant' ? `${m.id}:${m.metadata?.status ?? ''}` : m.id);

/**
 * Whether the chat as stored (`stored`, `GET /api/chats/:id`) has something the tab does not
 * show (`shown`): a question or answer added elsewhere, an answer regenerated there, or an answer
 * that ended differently (it was still being written when the tab last loaded it). A tab that
 * shows everything stored keeps its own messages, with what only it knows (a question the server
 * refused, and why).
 */
export function hasChangedElsewhere(shown: readonly DocentMessage[], stored: readonly DocentMessage[]): boolean {
  const known = new Set(shown.map(turnKey));
  return stored.some((m) => !known.has(turnKey(m)));
}
