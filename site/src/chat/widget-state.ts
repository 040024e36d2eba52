/**
 * What the chat widget and the page share before React has loaded: the tab's "chat is open"
 * flag, and a marker the widget sets once it handles clicks itself. A click on the launcher or
 * the header button before that would be lost; the page records it in the flag instead, and the
 * widget opens as soon as it is ready.
 */

/** sessionStorage key: `'1'` while the chat panel is open in this tab. */
export const WIDGET_OPEN_KEY = 'docent-widget-open';

/** Set on `<html data-docent-widget="ready">` by the widget once it is interactive. */
export const WIDGET_READY_ATTRIBUTE = 'data-docent-widget';

/** Whether the widget on `doc` is mounted and listens for {@link OPEN_WIDGET_EVENT}. */
export function isWidgetReady(doc: Document = document): boolean {
  return doc.documentElement.getAttribute(WIDGET_READY_ATTRIBUTE) === 'ready';
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
 * Opens the chat panel: at once when the widget is ready, otherwise as soon as it is (the tab's
 * "open" flag, which the widget reads when it mounts). An event sent before the widget listens
 * would be lost.
 */
export function openWidget(doc: Document = document): void {
  if (isWidgetReady(doc)) (doc.defaultView ?? window).dispatchEvent(new CustomEvent(OPEN_WIDGET_EVENT));
  else rememberWidgetOpen(true);
}
