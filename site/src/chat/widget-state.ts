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

export function isWidgetReady(doc: Document = document): boolean {
  return doc.documentElement.getAttribute(WIDGET_READY_ATTRIBUTE) === 'ready';
}

export function rememberWidgetOpen(open: boolean): void {
  try {
    sessionStorage.setItem(WIDGET_OPEN_KEY, open ? '1' : '0');
  } catch {
    // Storage can be disabled; the panel then does not stay open across pages.
  }
}
