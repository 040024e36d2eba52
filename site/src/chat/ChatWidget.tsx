/**
 * The chat widget on every docs page: a launcher button that opens the chat panel.
 * Keyboard: focus moves into the panel when the reader opens it (the launcher, a button of the
 * page, `docent:open`, also when pressed before the widget was interactive). Restored open from
 * the tab's previous page, it leaves the focus and the selection where the reader put them while
 * the page loaded; the launcher ("Close chat", `aria-expanded`, `aria-controls` naming the panel)
 * says it is open. Where the panel would cover the whole screen (a phone), it is restored closed:
 * the reader who followed a citation to this page came to read it. The chat is kept; the launcher
 * opens it again as it was. Esc closes it and returns focus to the
 * button that opened it (the launcher, or a button of the page that sends `docent:open`, such as
 * the docs site's header button), wherever the focus is in the widget, and also when it fell to the page's `<body>` (a
 * control that went away) while the panel is open. A part of the panel with its own use for Esc
 * (the history's delete confirmation, a citation's hover card) handles it first. Where the panel
 * covers the whole screen (a phone) it is a modal dialog: Tab and Shift+Tab cycle inside it, as
 * nothing behind it can be seen; beside the page it is not, and Tab goes on to the page.
 * The page can open it with `window.dispatchEvent(new CustomEvent('docent:open'))`.
 * Whether it is open is remembered for the tab, so it stays open across docs pages.
 * Closing the panel hides the chat without ending it: a question being typed, a comment, the view
 * and an answer being written are all there when it is opened again on the same page.
 */
import { Component, lazy, type ReactNode, type RefObject, Suspense, useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { createDocentApi } from './api';
import { keepFocusIn } from './focus-trap';
import { isPanelFullScreen } from './full-screen-panel';
import { Icon } from './icons';
import { LiveStatus } from './live-status';
import { reloadForNewBuild } from './new-build-reload';
import { rememberWidgetOpen, takeWidgetStartState } from './widget-state';

// On the docs site the chat itself (markdown, highlighting, the AI SDK) is a separate chunk that
// loads when the panel first opens, or when the browser is idle, so the launcher costs pages
// almost nothing. The standalone widget's chat script (`widget/chat-bundle.tsx`) is one classic
// script, which `widget.js` loads when the chat is first opened: this import is bundled in it.
// A page opened before a redeploy names chunks the redeploy removed: opening the panel then
// reloads the page once, for the current build's (new-build-reload.ts).
const loadChatApp = () => import('./ChatApp');

// The chat, loaded when it is first shown. A browser keeps a failed import's error for the page
// (Chromium does): loading it again takes a reload.
const ChatApp = lazy(async () => {
  try {
    return { default: (await loadChatApp()).ChatApp };
  } catch (error) {
    console.error(`Docent: the chat could not be loaded (${error instanceof Error ? error.message : String(error)})`);
    // The page reloads: nothing to show meanwhile.
    if (reloadForNewBuild()) return new Promise<never>(() => {});
    throw error;
  }
});

/** Shows `fallback` instead of its children when they fail to load or render. */
class LoadFailure extends Component<{ children: ReactNode; fallback: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

/**
 * Whether the panel of the widget whose root is `rootRef` covers the whole screen (chat.css says,
 * `full-screen-panel.ts`); follows the window's size.
 */
function usePanelFullScreen(rootRef: RefObject<HTMLElement | null>): boolean {
  const [fullScreen, setFullScreen] = useState(false);
  useEffect(() => {
    const root = rootRef.current;
    if (!root) return;
    const update = () => setFullScreen(isPanelFullScreen(root));
    update();
    window.addEventListener('resize', update);
    return () => window.removeEventListener('resize', update);
  }, [rootRef]);
  return fullScreen;
}

export interface ChatWidgetProps {
  /** The Docent server's origin; `''` (default) for same-origin `/api/...`. */
  apiBase?: string;
  /** Link to the full-page chat. Default: none. */
  fullPageUrl?: string | undefined;
  /** Launcher label. Default: "Ask the docs". */
  label?: string;
  /** Force a theme (the standalone widget). Default: follow the docs site's `<html data-theme>`. */
  theme?: 'light' | 'dark' | undefined;
}

export default function ChatWidget({ apiBase = '', fullPageUrl, label = 'Ask the docs', theme }: ChatWidgetProps) {
  const api = useMemo(() => createDocentApi(apiBase), [apiBase]);
  const [open, setOpen] = useState(false);
  // Once opened, the chat stays mounted while the panel is closed (hidden): unmounted, it would
  // lose what the reader was typing, and an answer still being written would come back from the
  // server as one written "in another tab or window".
  const [opened, setOpened] = useState(false);
  if (open && !opened) setOpened(true);
  const rootRef = useRef<HTMLDivElement>(null);
  const launcherRef = useRef<HTMLButtonElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  // The launcher's `aria-controls`, unique in the document (or the standalone widget's shadow root).
  const panelId = useId();
  // The page's control that opened the panel with `docent:open`, to give the focus back to.
  const openerRef = useRef<HTMLElement | null>(null);
  const fullScreen = usePanelFullScreen(rootRef);
  // Whether the next open moves the focus into the panel: not when it is restored open.
  const focusOnOpenRef = useRef(true);

  const setOpenRemembered = useCallback((value: boolean) => {
    setOpen(value);
    rememberWidgetOpen(value);
  }, []);

  useEffect(() => {
    // Asked for by a click before the widget was ready, or open on the tab's previous page (widget-state.ts).
    // Restored open where it covers the whole screen, it would hide the page the reader just came
    // to (following a citation, say), and take no focus from it: it stays closed there, and the
    // tab remembers it closed.
    const start = takeWidgetStartState(document);
    if (start === 'restored' && rootRef.current && isPanelFullScreen(rootRef.current)) {
      rememberWidgetOpen(false);
    } else if (start !== 'closed') {
      focusOnOpenRef.current = start === 'asked';
      setOpen(true);
    }
    const idle = window.requestIdleCallback ?? ((fn: () => void) => setTimeout(fn, 1500));
    // Ahead of a click; a failure here says nothing (the panel, once opened, tells).
    idle(() => void loadChatApp().catch(() => {}));
    const onOpen = () => {
      const active = document.activeElement;
      openerRef.current = active instanceof HTMLElement && active !== document.body && !launcherRef.current?.parentElement?.contains(active) ? active : null;
      setOpenRemembered(true);
    };
    window.addEventListener('docent:open', onOpen);
    return () => window.removeEventListener('docent:open', onOpen);
  }, [setOpenRemembered]);

  // The focus goes into the panel when the reader opens it: to the question box, or, while the
  // chat is still loading or opening the tab's chat (no box yet), or the panel was closed on its
  // history or settings (the box hidden), to the panel itself, which the box then takes it from
  // (`focusScope`). Left on the launcher ("Close chat" by then), a reader's next Space or Enter
  // would close it. Restored open, the panel takes nothing: the reader may have clicked, selected
  // text or pressed a button of the page meanwhile.
  useEffect(() => {
    if (!open) return;
    if (!focusOnOpenRef.current) {
      focusOnOpenRef.current = true;
      return;
    }
    requestAnimationFrame(() => {
      const box = inputRef.current;
      (box?.getClientRects().length ? box : panelRef.current)?.focus();
    });
  }, [open]);

  const close = useCallback(() => {
    setOpenRemembered(false);
    const opener = openerRef.current;
    openerRef.current = null;
    if (opener?.isConnected) opener.focus();
    else launcherRef.current?.focus();
  }, [setOpenRemembered]);

  // Esc with the focus in the widget: handled here, and kept from the page's own Esc handlers
  // (the docs site's navigation drawer). With the focus on <body> (the control that had it went
  // away), the key never reaches the widget: the document listener below closes the panel then.
  // That listener also keeps Tab inside the full-screen panel (a phone), wherever the focus is.
  const onWidgetKeyDown = (event: ReactKeyboardEvent) => {
    if (!open || event.key !== 'Escape' || event.defaultPrevented) return;
    event.stopPropagation();
    close();
  };
  useEffect(() => {
    if (!open) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      if (event.key === 'Tab' && fullScreen && panelRef.current) keepFocusIn(panelRef.current, event);
      if (event.key !== 'Escape') return;
      const active = document.activeElement;
      if (active === null || active === document.body) close();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [open, close, fullScreen]);

  return (
    <div ref={rootRef} className="docent-root dc-widget" data-theme={theme} onKeyDown={onWidgetKeyDown}>
      {(open || opened) && (
        <div ref={panelRef} id={panelId} className="dc-panel" role="dialog" aria-modal={fullScreen} aria-label={label} tabIndex={-1} hidden={!open}>
          <LoadFailure
            fallback={
              <div className="dc-view-body" role="alert">
                <p>The chat could not be loaded. Check your connection, then reload the page.</p>
                <button type="button" className="dc-button" onClick={() => window.location.reload()}>
                  Reload the page
                </button>
              </div>
            }
          >
            <Suspense
              fallback={
                <LiveStatus className="dc-view-body dc-muted">Loading…</LiveStatus>
              }
            >
              <ChatApp api={api} variant="panel" onClose={close} fullPageUrl={fullPageUrl} inputRef={inputRef} focusScope={panelRef} title={label} />
            </Suspense>
          </LoadFailure>
        </div>
      )}
      <button
        ref={launcherRef}
        type="button"
        className="dc-launcher"
        aria-label={open ? 'Close chat' : label}
        aria-expanded={open}
        // The panel is in the page once it has been opened (hidden while closed), not before.
        aria-controls={open || opened ? panelId : undefined}
        onClick={() => {
          // The launcher itself keeps the focus, whichever button opened the panel.
          openerRef.current = null;
          if (open) close();
          else setOpenRemembered(true);
        }}
        onPointerEnter={() => void loadChatApp().catch(() => {})}
      >
        <Icon name={open ? 'close' : 'chat'} size={22} />
        {!open && <span className="dc-launcher-label">{label}</span>}
      </button>
    </div>
  );
}
