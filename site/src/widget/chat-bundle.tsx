/**
 * The standalone widget's chat: React, the launcher and the chat panel (markdown, highlighting,
 * the AI SDK). `widget.js` (`standalone.ts`) loads this script from beside it the first time the
 * reader opens the chat or points at the launcher, so host pages whose readers never ask pay for
 * a small launcher only. Built as a classic script that sets `window.DocentWidgetChat`.
 */
import { createRoot } from 'react-dom/client';
import { config as zodConfig } from 'zod/v4/core';
import ChatWidget from '../chat/ChatWidget';
import type { ThemeSource } from './host-theme';

// The AI SDK checks its stream parts with zod, which first probes whether `new Function` is
// allowed: under a host's CSP without 'unsafe-eval' that probe is a reported violation.
zodConfig({ jitless: true });

/**
 * What `widget.js` passes to {@link mountChat}. A `widget.js` of an earlier build may load this
 * script (a page opened before a redeploy: `chat-manifest.ts`), so options are only ever added,
 * optional, never renamed or removed.
 */
export interface MountChatOptions {
  /** The Docent server's URL, without a trailing slash. */
  base: string;
  /** The launcher's label; `undefined` for the default. */
  label: string | undefined;
  /** The widget's theme, which may change while the page is open. */
  theme: ThemeSource;
}

/**
 * Renders the chat widget (launcher and panel) into `container`, in the theme `theme` says and
 * again whenever it changes. The panel opens at once when the tab's "open" flag is set
 * (`widget-state.ts`), as after a click on the launcher that loaded this script.
 */
export function mountChat(container: HTMLElement, { base, label, theme }: MountChatOptions): void {
  const root = createRoot(container);
  const render = () =>
    root.render(<ChatWidget apiBase={base} fullPageUrl={base ? `${base}/chat/` : '/chat/'} theme={theme.current()} {...(label ? { label } : {})} />);
  theme.subscribe(render);
  render();
}
