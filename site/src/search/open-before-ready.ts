/**
 * The docs search's header button is rendered with the page, but it does nothing until its island
 * is interactive (`client:load`: after its script has loaded). A press before that, the button or
 * `/` or Ctrl/Cmd+K, would be lost: `page-chrome.ts` remembers it here, and the island opens the
 * dialog when it is ready.
 */

/** On `<html>`: `pending` once the search was asked for before the island was ready, `ready` after. */
const ATTRIBUTE = 'data-docs-search';

/** Whether the key event's target is a field that takes typed text (where `/` is a character). */
export function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['button', 'checkbox', 'radio', 'range', 'reset', 'submit', 'color', 'file', 'image'].includes(target.type);
}

/** Whether `event` is one of the shortcuts that open the search: `/`, or Ctrl+K / ⌘K. */
export function isOpenShortcut(event: KeyboardEvent): boolean {
  if (event.altKey || event.shiftKey) return false;
  if (event.key === '/') return !event.ctrlKey && !event.metaKey;
  return event.key.toLowerCase() === 'k' && (event.ctrlKey || event.metaKey);
}

/**
 * Until the search island is ready, remembers a press of its header button (`.docs-search-button`)
 * or of its shortcuts outside a text field, for {@link takeSearchAskedBeforeReady}.
 */
export function rememberSearchBeforeReady(doc: Document = document): void {
  const root = doc.documentElement;
  const remember = () => {
    if (root.getAttribute(ATTRIBUTE) !== 'ready') root.setAttribute(ATTRIBUTE, 'pending');
  };
  doc.addEventListener(
    'click',
    (event) => {
      if (root.getAttribute(ATTRIBUTE) !== 'ready' && (event.target as Element | null)?.closest?.('.docs-search-button')) remember();
    },
    { capture: true },
  );
  doc.addEventListener('keydown', (event) => {
    if (root.getAttribute(ATTRIBUTE) === 'ready' || event.defaultPrevented || event.isComposing) return;
    if (!isOpenShortcut(event) || isTextField(event.target) || !doc.querySelector('.docs-search-button')) return;
    event.preventDefault(); // Ctrl+K would otherwise focus the browser's address bar.
    remember();
  });
}

/** Marks the search island ready; true when the reader asked for the search before it was. */
export function takeSearchAskedBeforeReady(doc: Document = document): boolean {
  const root = doc.documentElement;
  const asked = root.getAttribute(ATTRIBUTE) === 'pending';
  root.setAttribute(ATTRIBUTE, 'ready');
  return asked;
}
