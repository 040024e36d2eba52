/**
 * Whether the chat panel covers the whole screen (a phone), where it is a modal dialog. `chat.css`
 * decides, in the one media query that makes the panel full screen, and says so on the widget's
 * root (`.dc-widget`): `--dc-panel-full-screen: 1` inside that query, `0` outside it. The widget's
 * scripts read the answer there, so they hold no breakpoint of their own that could drift from the
 * styles' (the standalone widget's styles have their `rem` turned into `px`, which a media query
 * written in a script would not follow).
 */

/** The custom property `chat.css` sets on `.dc-widget`: `1` while the panel would cover the screen. */
export const FULL_SCREEN_PANEL_PROPERTY = '--dc-panel-full-screen';

/** Whether the chat panel of the widget whose root is `widgetRoot` covers the whole screen now. */
export function isPanelFullScreen(widgetRoot: Element): boolean {
  const view = widgetRoot.ownerDocument.defaultView;
  return view?.getComputedStyle(widgetRoot).getPropertyValue(FULL_SCREEN_PANEL_PROPERTY).trim() === '1';
}
