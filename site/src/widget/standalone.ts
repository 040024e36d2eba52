/**
 * The standalone chat widget (`/widget.js`): one script tag puts Docent's chat on any site.
 *
 *   <script src="https://docent.example.com/widget.js" data-docent-url="https://docent.example.com" defer></script>
 *
 * Attributes (all optional, checked in `options.ts`):
 * - `data-docent-url`: the Docent server. Default: the origin the script was loaded from.
 * - `data-label`: the launcher's label. Default: "Ask the docs".
 * - `data-theme`: `light`, `dark` or `auto` (follows the host page's light or dark theme, live,
 *   else the visitor's system setting: `host-theme.ts`). Default: `auto`.
 *
 * The widget renders inside a shadow root, so the host page's CSS cannot restyle or break it, and
 * its styles never leak out. The `--docent-*` custom properties the host sets on its `:root`
 * (accent, font, radius; `chat.css`) are the one way in: custom properties inherit into the shadow
 * root. The server must list the host site in CORS_ORIGINS.
 *
 * Hosts with a strict Content-Security-Policy: the styles are a constructed stylesheet
 * (`adoptedStyleSheets`) and the host element is styled through the CSSOM, neither of which
 * `style-src` governs, so the host needs no `'unsafe-inline'`; nor `'unsafe-eval'` (zod runs
 * without compiling its checks).
 *
 * The element hangs from `<html>`, not `<body>`: a `transform`, `filter` or `zoom` on the body
 * would become the containing block of the fixed launcher (or scale it), and single-page apps
 * that replace the body would remove the widget. Should the element still be removed, it is put
 * back.
 *
 * This script is small: the launcher, its styles and the options. The chat itself (React, markdown,
 * the AI SDK: `chat-bundle.tsx`) is a second script, served beside it under `/_astro/` with its
 * content's hash in its name (cached for a year), which this one loads the first time the reader
 * opens the chat or points at the launcher, or at once when the chat was open on the tab's
 * previous page (where the panel covers the whole screen, a phone, it is then restored closed:
 * `ChatWidget.tsx`). It then takes the launcher's place. A page opened before Docent was deployed
 * again names a chat script that is gone: the chat manifest (`chat-manifest.ts`) names the current
 * one, which is loaded instead. When no chat can be loaded, the reader is told above the launcher.
 *
 * `window.Docent.open()` opens the panel, also when called before the widget has rendered. A host
 * page can call it before an `async` script has arrived through a stub that queues the call:
 * `window.Docent = window.Docent || { q: [], open() { this.q.push('open'); } };`
 */
import css from '../chat/chat.css?inline';
import { isPanelFullScreen } from '../chat/full-screen-panel';
import { ICON_PATHS } from '../chat/icons';
import { askForWidgetBeforeReady, openWidget, WIDGET_OPEN_KEY } from '../chat/widget-state';
import type { MountChatOptions } from './chat-bundle';
import { CHAT_FILE_PATTERN, CHAT_MANIFEST_FILE } from './chat-manifest';
import { type ThemeSource, watchTheme } from './host-theme';
import { readWidgetOptions } from './options';

/** `window.Docent`: the widget's API for the host page, or the host's stub queueing calls until it loads. */
interface DocentGlobal {
  open(): void;
  version?: string;
  /** The stub's queued calls (`'open'`), replayed when the widget loads. */
  q?: unknown[];
}

/** What the chat script (`chat-bundle.tsx`) sets on `window` when it runs. */
interface DocentWidgetChat {
  mountChat(container: HTMLElement, options: MountChatOptions): void;
}

declare global {
  interface Window {
    Docent?: DocentGlobal;
    DocentWidgetChat?: DocentWidgetChat;
  }
}

/** The chat script's path beside `widget.js` (`_astro/docent-chat.<hash>.js`), set by the build. */
declare const __DOCENT_CHAT_FILE__: string;

const VERSION = '1';
const script = document.currentScript instanceof HTMLScriptElement ? document.currentScript : null;

/** `1.5rem` → `24px` (16px per rem, the browser default the styles were designed at). */
function remToPx(text: string): string {
  return text.replace(/(-?\d*\.?\d+)rem\b/g, (_, n: string) => `${Math.round(Number(n) * 16 * 100) / 100}px`);
}

/**
 * Gives the shadow root its styles. A constructed stylesheet where the browser has them: a
 * `<style>` element is inline style to a Content-Security-Policy, blocked without
 * `'unsafe-inline'`, even inside a shadow root.
 */
function adoptStyles(shadow: ShadowRoot, text: string): void {
  if ('adoptedStyleSheets' in shadow && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(text);
    shadow.adoptedStyleSheets = [sheet];
    return;
  }
  const style = document.createElement('style');
  style.textContent = text;
  shadow.append(style);
}

/** Puts `host` back at the end of `<html>` whenever the page removes it (or replaces `<html>`). */
function keepAttached(host: HTMLElement): void {
  let observed: Element | undefined;
  const check = () => {
    const root = document.documentElement;
    if (root !== observed) {
      observed = root;
      observer.observe(root, { childList: true });
    }
    if (!host.isConnected) root.append(host);
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true });
  check();
}

/** `file` (a path relative to `widget.js`) as a URL: beside `widget.js`, or on the Docent server for an inline script. */
function besideWidget(file: string, base: string): string {
  return new URL(file, script?.src || `${base || location.origin}/`).href;
}

/**
 * Runs the classic script at `url` with the nonce of the `widget.js` tag, so a host's nonce-based
 * Content-Security-Policy allows it as it allowed this one. Rejects when it cannot be loaded.
 */
function runScript(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const element = document.createElement('script');
    element.src = url;
    element.async = true;
    if (script?.nonce) element.nonce = script.nonce;
    element.onload = () => resolve();
    element.onerror = () => {
      element.remove();
      reject(new Error(`could not load ${url}`));
    };
    document.head.append(element);
  });
}

/** The chat script this page uses: the one the build named, or the one the chat manifest named since. */
let chatFile = __DOCENT_CHAT_FILE__;

/**
 * The current chat script's path, from the chat manifest (`chat-manifest.ts`), asked past every
 * cache; `undefined` when it cannot be loaded or names no chat script.
 */
async function currentChatFile(base: string): Promise<string | undefined> {
  const global = window as { DocentWidgetChatFile?: unknown };
  delete global.DocentWidgetChatFile;
  try {
    await runScript(`${besideWidget(CHAT_MANIFEST_FILE, base)}?t=${Date.now()}`);
  } catch {
    return undefined;
  }
  const named = global.DocentWidgetChatFile;
  return typeof named === 'string' && CHAT_FILE_PATTERN.test(named) ? named : undefined;
}

let chatScript: Promise<DocentWidgetChat> | undefined;

/**
 * Loads the chat script once (again after a failure). When it cannot be loaded, as on a page
 * opened before Docent was deployed again (the build that page's `widget.js` names is gone), the
 * chat manifest names the current one, which is loaded instead.
 */
function loadChatScript(base: string): Promise<DocentWidgetChat> {
  chatScript ??= (async () => {
    try {
      await runScript(besideWidget(chatFile, base));
    } catch (error) {
      const current = await currentChatFile(base);
      if (!current || current === chatFile) throw error;
      chatFile = current;
      await runScript(besideWidget(chatFile, base));
    }
    if (!window.DocentWidgetChat) throw new Error(`${besideWidget(chatFile, base)} did not define the chat`);
    return window.DocentWidgetChat;
  })().catch((error: unknown) => {
    chatScript = undefined;
    throw error;
  });
  return chatScript;
}

/** The launcher before the chat has loaded: the same markup and styles as the chat's own. */
function staticLauncher(label: string, theme: ThemeSource): { root: HTMLElement; button: HTMLButtonElement; notice: HTMLElement } {
  const root = document.createElement('div');
  root.className = 'docent-root dc-widget';
  root.dataset.theme = theme.current();
  theme.subscribe((value) => (root.dataset.theme = value));
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'dc-launcher';
  button.setAttribute('aria-label', label);
  button.setAttribute('aria-expanded', 'false');
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  for (const [name, value] of Object.entries({ width: '22', height: '22', viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', 'stroke-width': '2', 'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'aria-hidden': 'true', focusable: 'false' })) {
    svg.setAttribute(name, value);
  }
  const path = document.createElementNS(svgNs, 'path');
  path.setAttribute('d', ICON_PATHS.chat);
  svg.append(path);
  const text = document.createElement('span');
  text.className = 'dc-launcher-label';
  text.textContent = label;
  button.append(svg, text);
  // Said when the chat cannot be loaded (offline, or the Docent server is down): shown, and read
  // out, above the launcher, which tries again when clicked.
  // Empty (and not shown) until then.
  const notice = document.createElement('p');
  notice.className = 'dc-launcher-notice';
  notice.setAttribute('role', 'alert');
  root.append(notice, button);
  return { root, button, notice };
}

/** Whether the chat was open on this tab's previous page (it then opens again at once). */
function wasOpen(): boolean {
  try {
    return sessionStorage.getItem(WIDGET_OPEN_KEY) === '1';
  } catch {
    return false;
  }
}

/** What the reader is told, above the launcher, when the chat they asked for cannot be loaded. */
const LOAD_FAILED_NOTICE = 'The chat could not be loaded. Click the button to try again, or reload the page.';

/**
 * Loads the chat and starts the launcher's replacement by it: on the first open (`asked`, the
 * default), or ahead of it when the reader points at the launcher (`asked` false).
 */
let startChat: (asked?: boolean) => void = () => {};

function mount() {
  if (document.getElementById('docent-widget')) {
    console.warn('Docent widget: widget.js is included more than once on this page; one widget is shown, with the options of the first script tag to run.');
    return;
  }
  const options = readWidgetOptions({ dataset: script?.dataset ?? {}, scriptSrc: script?.src || undefined, pageUrl: location.href });
  // A custom element (host rules for div, section... do not match it), styled inline with
  // !important (which beats the host page's !important rules), through the CSSOM (a `style`
  // attribute would be inline style to a Content-Security-Policy).
  const host = document.createElement('docent-widget');
  host.id = 'docent-widget';
  host.style.setProperty('all', 'initial', 'important');
  host.style.setProperty('display', 'contents', 'important');
  const shadow = host.attachShadow({ mode: 'open' });
  // `all: initial` stops the host page's inherited styles (font, color, line-height) at the boundary.
  // rem units follow the host page's root font size: pin them to px inside the widget.
  adoptStyles(shadow, `:host{all:initial}\n${remToPx(css)}`);
  const container = document.createElement('div');
  // The widget's text is English: a right-to-left host page must not mirror it (`all` does not reset `direction`).
  container.dir = 'ltr';
  shadow.append(container);
  keepAttached(host);

  const { base, label } = options;
  const theme = watchTheme(options.theme);
  const launcher = staticLauncher(label ?? 'Ask the docs', theme);
  container.append(launcher.root);

  let started = false;
  // Whether the reader asked for the chat (a click, `Docent.open()`, open on the previous page), not
  // only pointed at the launcher: a failure is then said on the page, not in the console alone.
  let wanted = false;
  startChat = (asked = true) => {
    wanted ||= asked;
    launcher.notice.textContent = '';
    if (started) return;
    started = true;
    launcher.button.setAttribute('aria-busy', 'true');
    loadChatScript(base).then(
      (chat) => {
        const chatContainer = document.createElement('div');
        container.append(chatContainer);
        chat.mountChat(chatContainer, { base, label, theme });
        launcher.root.remove();
      },
      (error: unknown) => {
        started = false;
        launcher.button.removeAttribute('aria-busy');
        console.error(`Docent widget: the chat could not be loaded (${error instanceof Error ? error.message : String(error)}). Click the launcher to try again.`);
        if (wanted) launcher.notice.textContent = LOAD_FAILED_NOTICE;
      },
    );
  };
  launcher.button.addEventListener('click', () => {
    askForWidgetBeforeReady(document);
    startChat();
  });
  // Pointing at the launcher: the chat is likely wanted, load it while the reader moves to click.
  launcher.button.addEventListener('pointerenter', () => startChat(false));
  // Open on the tab's previous page: the chat opens again at once, except where its panel covers
  // the whole screen (a phone), where it stays closed (ChatWidget.tsx) and is only loaded ahead of
  // the reader opening it again (a failure then says nothing on the page).
  if (wasOpen()) startChat(!isPanelFullScreen(launcher.root));
}

// A second widget.js keeps the first one's API; `mount` shows one widget.
if (!window.Docent?.version) {
  const queued = window.Docent?.q;
  window.Docent = {
    version: VERSION,
    open: () => {
      openWidget(document);
      startChat();
    },
  };
  if (Array.isArray(queued) && queued.includes('open')) window.Docent.open();
}
if (document.body) mount();
else document.addEventListener('DOMContentLoaded', mount, { once: true });
