/**
 * Small behaviours of the docs pages, without a framework: theme toggle, the narrow-screen
 * navigation drawer, "#" links on headings, copy buttons on code blocks, the table of contents
 * following the scroll, the header's "Ask" button opening the chat widget, and a press of the
 * search button (or its shortcuts) before the search is interactive kept for it.
 */

import { createCopyCodeControl } from '../chat/copy-code';
import { askForWidgetBeforeReady, isWidgetReady, OPEN_WIDGET_EVENT, openWidget } from '../chat/widget-state';
import { rememberSearchBeforeReady } from '../search/open-before-ready';

/** Fired on `window` to open the chat widget (optionally with a question to ask). */
export const OPEN_CHAT_EVENT = OPEN_WIDGET_EVENT;

export function setupPageChrome(doc: Document = document): void {
  const root = doc.documentElement;

  // A toggle button: aria-pressed says whether dark mode is on (its name stays the same).
  const themeToggle = doc.querySelector('[data-theme-toggle]');
  themeToggle?.setAttribute('aria-pressed', String(root.dataset.theme === 'dark'));
  themeToggle?.addEventListener('click', () => {
    const next = root.dataset.theme === 'dark' ? 'light' : 'dark';
    root.dataset.theme = next;
    themeToggle.setAttribute('aria-pressed', String(next === 'dark'));
    try {
      localStorage.setItem('docent-theme', next);
    } catch {
      // Storage can be disabled; the choice then lasts for this page only.
    }
  });

  const menu = doc.querySelector<HTMLButtonElement>('[data-menu-button]');
  const setMenu = (open: boolean) => {
    doc.body.classList.toggle('nav-open', open);
    menu?.setAttribute('aria-expanded', String(open));
    menu?.setAttribute('aria-label', open ? 'Close navigation' : 'Open navigation');
  };
  menu?.addEventListener('click', () => setMenu(!doc.body.classList.contains('nav-open')));
  // A tap outside the open drawer closes it.
  doc.addEventListener('click', (event) => {
    const target = event.target as Node | null;
    if (!doc.body.classList.contains('nav-open') || !target) return;
    if (menu?.contains(target) || doc.getElementById('sidebar')?.contains(target)) return;
    setMenu(false);
  });
  doc.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && doc.body.classList.contains('nav-open')) {
      setMenu(false);
      menu?.focus();
    }
  });

  doc.querySelector('[data-docent-open]')?.addEventListener('click', () => openWidget(doc));
  // A click on the (server-rendered) launcher before the widget is interactive would be lost.
  doc.addEventListener(
    'click',
    (event) => {
      const target = event.target as Element | null;
      if (!isWidgetReady(doc) && target?.closest?.('.dc-launcher')) askForWidgetBeforeReady(doc);
    },
    { capture: true },
  );

  // The same for the search button and its shortcuts, before the search island is interactive.
  rememberSearchBeforeReady(doc);

  for (const heading of doc.querySelectorAll<HTMLElement>('.prose :is(h2, h3, h4)[id]')) {
    const link = doc.createElement('a');
    link.className = 'heading-anchor';
    link.href = `#${heading.id}`;
    link.textContent = '#';
    link.setAttribute('aria-label', `Link to this section: ${heading.textContent?.trim() ?? ''}`);
    heading.prepend(link);
  }

  // The Copy button of the chat's answers too (chat/copy-code.ts), after the block.
  for (const pre of doc.querySelectorAll<HTMLPreElement>('.prose pre')) {
    const wrap = doc.createElement('div');
    wrap.className = 'code-wrap';
    pre.replaceWith(wrap);
    wrap.append(pre, createCopyCodeControl(pre));
  }

  const tocLinks = [...doc.querySelectorAll<HTMLAnchorElement>('.toc a[href^="#"]')];
  if (tocLinks.length && 'IntersectionObserver' in window) {
    const byId = new Map(tocLinks.map((a) => [decodeURIComponent(a.hash.slice(1)), a]));
    const visible = new Set<string>();
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (entry.isIntersecting) visible.add(entry.target.id);
          else visible.delete(entry.target.id);
        }
        const first = [...byId.keys()].find((id) => visible.has(id));
        if (!first) return;
        for (const [id, a] of byId) a.classList.toggle('active', id === first);
      },
      { rootMargin: '-64px 0px -55% 0px' },
    );
    for (const id of byId.keys()) {
      const el = doc.getElementById(id);
      if (el) observer.observe(el);
    }
  }
}
