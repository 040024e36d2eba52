/**
 * A chat open in two tabs (or windows) of one browser is one chat on the server: a question asked
 * in one tab is part of what the model reads in the other. So when the reader comes back to a tab
 * (it becomes visible again, or its window gets the focus), the widget reloads the open chat and
 * shows the turns added elsewhere; and a tab that changed a chat (an answer ended or was rated, a
 * chat deleted) says so to the site's other tabs (`BroadcastChannel`), so a window the reader can
 * see beside it updates at once. Nothing is fetched while a tab is hidden. A visible tab showing
 * an answer another tab is writing looks at it again until it has ended, since not every end is
 * announced in time (`RECHECK_DELAYS_MS`).
 */
import type { DocentMessage, Feedback } from './types';

/** The channel the site's tabs tell each other on that a chat changed. */
const CHATS_CHANNEL = 'docent:chats';
/** This page's id: its panel and history list both listen, and neither reloads for what the page itself did. */
const PAGE_ID = Math.random().toString(36).slice(2);

/** Tells the site's other tabs and windows that a chat changed (a turn ended, an answer was rated, a chat was deleted). */
export function announceChatChange(win: Window & typeof globalThis = window): void {
  if (typeof win.BroadcastChannel !== 'function') return;
  const channel = new win.BroadcastChannel(CHATS_CHANNEL);
  channel.postMessage({ from: PAGE_ID });
  channel.close();
}

/**
 * Calls `callback` each time the reader comes back to this tab: the page becomes visible again
 * (`visibilitychange`), or its window gets the focus back (`focus`, for a window beside another);
 * and while the page is visible, each time another tab of the site announces a chat change
 * ({@link announceChatChange}). Switching tabs fires both of the first; the caller keeps one reload
 * at a time. Returns the unsubscribe.
 */
export function onTabReturn(callback: () => void, win: Window & typeof globalThis = window): () => void {
  const doc = win.document;
  const onVisibility = () => {
    if (doc.visibilityState === 'visible') callback();
  };
  const onAnnounced = (event: MessageEvent<unknown>) => {
    const from = typeof event.data === 'object' && event.data !== null ? (event.data as { from?: unknown }).from : undefined;
    if (from !== PAGE_ID && doc.visibilityState === 'visible') callback();
  };
  const channel = typeof win.BroadcastChannel === 'function' ? new win.BroadcastChannel(CHATS_CHANNEL) : undefined;
  doc.addEventListener('visibilitychange', onVisibility);
  win.addEventListener('focus', callback);
  channel?.addEventListener('message', onAnnounced);
  return () => {
    doc.removeEventListener('visibilitychange', onVisibility);
    win.removeEventListener('focus', callback);
    channel?.close();
  };
}

/** What tabs compare of an answer's feedback: its vote, rating and comment (`''` for none). */
export function feedbackKey(feedback: Feedback | null | undefined): string {
  return feedback ? JSON.stringify([feedback.vote, feedback.rating ?? null, feedback.comment ?? null]) : '';
}

/** A message as the server knows it: its id, and for an answer how it ended and how it was rated. */
const turnKey = (m: DocentMessage) =>
  m.role === 'assistant' ? `${m.id}:${m.metadata?.status ?? ''}:${feedbackKey(m.metadata?.feedback)}` : m.id;

/**
 * Whether the chat as stored (`stored`, `GET /api/chats/:id`) has something the tab does not
 * show (`shown`): a question or answer added elsewhere, an answer regenerated there, an answer
 * that ended differently (it was still being written when the tab last loaded it), or an answer
 * rated differently. A tab that shows everything stored keeps its own messages, with what only it
 * knows (a question the server refused, and why).
 */
export function hasChangedElsewhere(shown: readonly DocentMessage[], stored: readonly DocentMessage[]): boolean {
  const known = new Set(shown.map(turnKey));
  return stored.some((m) => !known.has(turnKey(m)));
}

/**
 * What the tab shows once it has the chat as stored (`stored`), or `undefined` when nothing
 * changed elsewhere ({@link hasChangedElsewhere}):
 * - `continued`: the stored chat, when it has messages the tab does not show (asked, answered or
 *   regenerated elsewhere);
 * - `updated`: the tab's own messages, each answer that ended or was rated elsewhere taken as
 *   stored, so that what only this tab knows (a refused question and why) stays.
 */
export function changesElsewhere(
  shown: readonly DocentMessage[],
  stored: readonly DocentMessage[],
): { change: 'continued' | 'updated'; messages: DocentMessage[] } | undefined {
  if (!hasChangedElsewhere(shown, stored)) return undefined;
  const shownIds = new Set(shown.map((m) => m.id));
  if (stored.some((m) => !shownIds.has(m.id))) return { change: 'continued', messages: [...stored] };
  const byId = new Map(stored.map((m) => [m.id, m]));
  return { change: 'updated', messages: shown.map((m) => byId.get(m.id) ?? m) };
}

/**
 * Whether `messages` show an answer being written elsewhere: loaded from the server while another
 * tab or window (or a tab since closed) was writing it (status `streaming`). This tab is not told
 * when every such answer ends (a stop is said before the server has recorded it; a closed tab
 * says nothing), so it checks again ({@link RECHECK_DELAYS_MS}).
 */
export function showsAnswerWrittenElsewhere(messages: readonly DocentMessage[]): boolean {
  return messages.some((m) => m.role === 'assistant' && m.metadata?.status === 'streaming');
}

/**
 * How long a visible tab waits before each new look at an answer being written elsewhere (ms),
 * the last one repeated until it has ended: soon after a stop, then less often for a long answer.
 * A hidden tab looks when the reader comes back to it.
 */
export const RECHECK_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000] as const;
