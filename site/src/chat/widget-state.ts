/**
 * What the chat widget and the page share before React has loaded: the tab's "chat is open"
 * flag, and a marker the widget sets once it handles clicks itself. A click on the launcher or
 * the header button before that would be lost; the page records it in the flag instead, and
 * marks it asked for, and the widget opens as soon as it is ready. Only an open the reader asked
 * for moves the focus into the panel: restored open from the tab's previous page, the panel
 * leaves the focus and the selection where the reader put them.
 */

/** sessionStorage key: `'1'` while the chat panel is open in this tab. */
export const WIDGET_OPEN_KEY = 'docent-widget-open';

/**
 * Set on `<html data-docent-widget="ready">` by the widget once it is interactive; `"asked"`
 * before that, once the reader asked for the chat ({@link askForWidgetBeforeReady}).
 */
export const WIDGET_READY_ATTRIBUTE = 'data-docent-widget';

/** Whether the widget on `doc` is mounted and listens for {@link OPEN_WIDGET_EVENT}. */
export function isWidgetReady(doc: Document = document): boolean {
  return doc.documentElement.getAttribute(WIDGET_READY_ATTRIBUTE) === 'ready';
}

/**
 * Records that the reader asked for the chat (a click on the launcher or a button of the page)
 * before the widget was ready: it opens once it is, with the focus in it.
 */
export function askForWidgetBeforeReady(doc: Document = document): void {
  rememberWidgetOpen(true);
  if (!isWidgetReady(doc)) doc.documentElement.setAttribute(WIDGET_READY_ATTRIBUTE, 'asked');
}

/**
 * Marks the widget on `doc` ready. Says how it opens: `'asked'` when the reader asked for the chat
 * before (it opens with the focus), `'restored'` when it was open on the tab's previous page (it
 * opens leaving the focus where it is), `'closed'` otherwise.
 */
export function takeWidgetStartState(doc: Document = document): 'asked' | 'restored' | 'closed' {
  const asked = doc.documentElement.getAttribute(WIDGET_READY_ATTRIBUTE) === 'asked';
  doc.documentElement.setAttribute(WIDGET_READY_ATTRIBUTE, 'ready');
  if (asked) return 'asked';
  try {
    return sessionStorage.getItem(WIDGET_OPEN_KEY) === '1' ? 'restored' : 'closed';
  } catch {
    return 'closed';
  }
}

/** Records whether the chat panel is open, for this tab (it stays open across pages). */
export function rememberWidgetOpen(open: boolean): void {
  try {
    sessionStorage.setItem(WIDGET_OPEN_KEY, open ? '1' : '0');
  } catch {
    // Storage can be disabled; the panel then does not stay open across pages.
  }
}

/** Fired on `window` to open the chat widget; the widget listens for it once it is ready. */
export const OPEN_WIDGET_EVENT = 'docent:open';

/**
 * Opens the chat panel, with the focus in it: at once when the widget is ready, otherwise as soon
 * as it is ({@link askForWidgetBeforeReady}, which the widget reads when it mounts). An event sent
 * before the widget listens would be lost.
 */
export function openWidget(doc: Document = document): void {
  if (isWidgetReady(doc)) (doc.defaultView ?? window).dispatchEvent(new CustomEvent(OPEN_WIDGET_EVENT));
  else askForWidgetBeforeReady(doc);
}
