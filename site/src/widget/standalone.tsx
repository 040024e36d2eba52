/**
 * The standalone chat widget (`/widget.js`): one script tag puts Docent's chat on any site.
 *
 *   <script src="https://docent.example.com/widget.js" data-docent-url="https://docent.example.com" defer></script>
 *
 * Attributes (all optional):
 * - `data-docent-url`: the Docent server. Default: the origin the script was loaded from.
 * - `data-label`: the launcher's label. Default: "Ask the docs".
 * - `data-theme`: `light`, `dark` or `auto` (follows the visitor's system setting). Default: `auto`.
 *
 * The widget renders inside a shadow root, so the host page's CSS cannot restyle or break it, and
 * its styles never leak out. The `--docent-*` custom properties the host sets on its `:root`
 * (accent, font, radius; `chat.css`) are the one way in: custom properties inherit into the shadow root. `window.Docent.open()` opens it from the host page. The server must
 * list the host site in CORS_ORIGINS.
 */
import { createRoot } from 'react-dom/client';
import css from '../chat/chat.css?inline';
import ChatWidget from '../chat/ChatWidget';

declare global {
  interface Window {
    Docent?: { open(): void; version: string };
  }
}

const script = document.currentScript instanceof HTMLScriptElement ? document.currentScript : null;

function serverUrl(): string {
  const configured = script?.dataset.docentUrl?.trim();
  if (configured) return configured.replace(/\/+$/, '');
  if (script?.src) return new URL(script.src, location.href).origin;
  return '';
}

/** `1.5rem` → `24px` (16px per rem, the browser default the styles were designed at). */
function remToPx(text: string): string {
  return text.replace(/(-?\d*\.?\d+)rem\b/g, (_, n: string) => `${Math.round(Number(n) * 16 * 100) / 100}px`);
}

function mount() {
  if (document.getElementById('docent-widget')) return;
  // A custom element (host rules for div, section... do not match it), styled inline with
  // !important (which beats the host page's !important rules).
  const host = document.createElement('docent-widget');
  host.id = 'docent-widget';
  host.setAttribute('style', 'all: initial !important; display: contents !important;');
  const shadow = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  // `all: initial` stops the host page's inherited styles (font, color, line-height) at the boundary.
  // rem units follow the host page's root font size: pin them to px inside the widget.
  style.textContent = `:host{all:initial}\n${remToPx(css)}`;
  const container = document.createElement('div');
  shadow.append(style, container);
  document.body.append(host);

  const base = serverUrl();
  const label = script?.dataset.label?.trim() || undefined;
  const themeSetting = script?.dataset.theme ?? 'auto';
  const media = matchMedia('(prefers-color-scheme: dark)');
  const root = createRoot(container);
  const render = () => {
    const theme = themeSetting === 'light' || themeSetting === 'dark' ? themeSetting : media.matches ? 'dark' : 'light';
    root.render(<ChatWidget apiBase={base} fullPageUrl={base ? `${base}/chat/` : '/chat/'} theme={theme} {...(label ? { label } : {})} />);
  };
  media.addEventListener('change', render);
  render();
}

window.Docent = {
  version: '1',
  open: () => window.dispatchEvent(new CustomEvent('docent:open')),
};

if (document.body) mount();
else document.addEventListener('DOMContentLoaded', mount, { once: true });
