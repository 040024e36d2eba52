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
 * `window.Docent.open()` opens the panel, also when called before the widget has rendered. A host
 * page can call it before an `async` script has arrived through a stub that queues the call:
 * `window.Docent = window.Docent || { q: [], open() { this.q.push('open'); } };`
 */
import { createRoot } from 'react-dom/client';
import { config as zodConfig } from 'zod/v4/core';
import css from '../chat/chat.css?inline';
import ChatWidget from '../chat/ChatWidget';
import { openWidget } from '../chat/widget-state';
import { watchTheme } from './host-theme';
import { readWidgetOptions } from './options';

/** `window.Docent`: the widget's API for the host page, or the host's stub queueing calls until it loads. */
interface DocentGlobal {
  open(): void;
  version?: string;
  /** The stub's queued calls (`'open'`), replayed when the widget loads. */
  q?: unknown[];
}

declare global {
  interface Window {
    Docent?: DocentGlobal;
  }
}

// The AI SDK checks its stream parts with zod, which first probes whether `new Function` is
// allowed: under a host's CSP without 'unsafe-eval' that probe is a reported violation.
zodConfig({ jitless: true });

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
  const root = createRoot(container);
  const render = () =>
    root.render(<ChatWidget apiBase={base} fullPageUrl={base ? `${base}/chat/` : '/chat/'} theme={theme.current()} {...(label ? { label } : {})} />);
  theme.subscribe(render);
  render();
}

// A second widget.js keeps the first one's API; `mount` shows one widget.
if (!window.Docent?.version) {
  const queued = window.Docent?.q;
  window.Docent = { version: VERSION, open: () => openWidget(document) };
  if (Array.isArray(queued) && queued.includes('open')) window.Docent.open();
}
if (document.body) mount();
else document.addEventListener('DOMContentLoaded', mount, { once: true });
