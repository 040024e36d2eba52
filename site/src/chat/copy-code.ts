/**
 * The Copy button of a code block, without a framework: the same control serves the chat's
 * answers (`Markdown.tsx`, also inside the standalone widget's shadow root) and the docs pages
 * (`lib/page-chrome.ts`).
 *
 * - It copies the block's code as written: the text of its `<code>`, never what the renderer
 *   draws around it (line numbers are CSS counters, which text does not hold) and without the
 *   newline the markdown renderer ends every block with.
 * - `navigator.clipboard` exists only in a secure context (https, or http on localhost): on a
 *   docs site served over plain http elsewhere the control copies through a selected, hidden
 *   text area (`document.execCommand('copy')`). When that fails too, it selects the code for the
 *   reader and says so: it never fails silently.
 * - What happened ("Copied", or why not) is said by a polite live region (`role="status"`) that
 *   is in the page, empty, from the start, as `live-status.tsx` explains: screen readers announce
 *   a region's changes, not a region inserted already filled.
 * - What it says is shown in the strip the block keeps above its code for the button, never over
 *   the code: a message longer than the strip is wide (the failure's, on a phone or in the chat
 *   panel) wraps, and the strip grows with it (`--copy-code-control-height`, below).
 */

/**
 * The custom property the control sets on its `<pre>` while it says something: its own height
 * (in px), which the styles (docs.css, chat.css) make the height of the strip above the code.
 */
export const CONTROL_HEIGHT_PROPERTY = '--copy-code-control-height';

/** What the status says after a copy. */
export const COPIED_TEXT = 'Copied';

/** How the reader copies a selection themselves: a keyboard shortcut, or on a touch screen, the selection's menu. */
export type CopyWay = 'Ctrl+C' | '⌘C' | 'touch';

/** What the status says when the copy failed and the code is selected instead, told the reader's {@link CopyWay}. */
export function copyFailedText(way: CopyWay): string {
  if (way === 'touch') return 'Could not copy here. The code is selected: touch and hold it, then choose Copy.';
  return `Could not copy here. The code is selected: press ${way} to copy it.`;
}

/** How long the status stays (ms) before the region is emptied again. */
const STATUS_MS = { copied: 2500, failed: 10_000 } as const;

/**
 * How long the status stays empty before a repeated message is said (ms): a region whose text
 * does not change is not announced again, so it is emptied first (as `LIVE_REGION_LEAD_MS`).
 */
const REPEAT_LEAD_MS = 100;

/** The code of a `<pre>` as written: its `<code>`'s text, without the renderer's final newline. */
export function codeBlockText(pre: Element): string {
  const code = pre.querySelector('code') ?? pre;
  return (code.textContent ?? '').replace(/\r?\n$/, '');
}

/**
 * Puts `text` on the clipboard: through `navigator.clipboard` where the page has it, else (plain
 * http, a refused permission) through a selected text area beside `near`, in the same document or
 * shadow root. Call it from a click or key press: browsers copy only for a reader's action.
 * Resolves to whether the text was copied.
 */
export async function copyText(text: string, near: Element): Promise<boolean> {
  const clipboard = near.ownerDocument.defaultView?.navigator.clipboard;
  if (clipboard && typeof clipboard.writeText === 'function') {
    try {
      await clipboard.writeText(text);
      return true;
    } catch {
      // Refused (permission, a document without focus): the older way may still work.
    }
  }
  return copyThroughSelection(text, near);
}

function copyThroughSelection(text: string, near: Element): boolean {
  const doc = near.ownerDocument;
  const root = near.getRootNode() as Document | ShadowRoot;
  const focused = root.activeElement;
  const area = doc.createElement('textarea');
  area.value = text;
  area.readOnly = true;
  area.tabIndex = -1;
  area.setAttribute('aria-hidden', 'true');
  // In view (a text area out of it can scroll the page when selected), unseen, 16 px (iOS zooms into smaller).
  area.style.cssText = 'position:fixed;top:0;left:0;width:1px;height:1px;padding:0;border:0;opacity:0;font-size:16px;pointer-events:none';
  near.append(area);
  let copied = false;
  try {
    area.select();
    area.setSelectionRange(0, text.length);
    copied = doc.execCommand('copy');
  } catch {
    copied = false;
  } finally {
    area.remove();
    if (focused instanceof HTMLElement || focused instanceof SVGElement) focused.focus({ preventScroll: true });
  }
  return copied;
}

/** Selects the code of `pre` in the page, for the reader to copy themselves. */
function selectCode(pre: Element): void {
  const selection = pre.ownerDocument.defaultView?.getSelection();
  if (!selection) return;
  const range = pre.ownerDocument.createRange();
  range.selectNodeContents(pre.querySelector('code') ?? pre);
  selection.removeAllRanges();
  selection.addRange(range);
}

/**
 * How the reader of `doc` copies a selection themselves: on a screen with touch and no mouse or
 * trackpad (a phone, a tablet without its keyboard) there is no shortcut to press; otherwise the
 * system's shortcut.
 */
function copyWay(doc: Document): CopyWay {
  const view = doc.defaultView;
  if (view?.matchMedia?.('(any-pointer: coarse)').matches && !view.matchMedia('(any-pointer: fine)').matches) return 'touch';
  return /Mac|iPhone|iPad|iPod/.test(view?.navigator.userAgent ?? '') ? '⌘C' : 'Ctrl+C';
}

/**
 * The control for one code block: a "Copy" button named "Copy code" and its status region
 * (`div.copy-code` > `button.copy-code-button` + `span.copy-code-status`). The caller puts it
 * beside `pre` (after it, so the keyboard reaches it right after the block) and styles it; while
 * it says something, the control has `data-state="copied"` or `"failed"`.
 */
export function createCopyCodeControl(pre: HTMLElement): HTMLDivElement {
  const doc = pre.ownerDocument;
  const control = doc.createElement('div');
  control.className = 'copy-code';
  const button = doc.createElement('button');
  button.type = 'button';
  button.className = 'copy-code-button';
  button.textContent = 'Copy';
  button.setAttribute('aria-label', 'Copy code');
  const status = doc.createElement('span');
  status.className = 'copy-code-status';
  status.setAttribute('role', 'status');
  control.append(button, status);
  // The strip above the code follows the control's height while it says something (a message
  // that wraps pushes the code down rather than covering it), and is the styles' own otherwise.
  // While a message repeated is emptied for a moment (to be announced again), the strip keeps its
  // height: the code does not jump up and down.
  if (typeof ResizeObserver === 'function') {
    new ResizeObserver(() => {
      if (status.textContent) pre.style.setProperty(CONTROL_HEIGHT_PROPERTY, `${control.offsetHeight}px`);
      else if (control.dataset.state === undefined) pre.style.removeProperty(CONTROL_HEIGHT_PROPERTY);
    }).observe(control);
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  const say = (state: 'copied' | 'failed', text: string) => {
    clearTimeout(timer);
    control.dataset.state = state;
    const show = () => {
      status.textContent = text;
      timer = setTimeout(() => {
        status.textContent = '';
        delete control.dataset.state;
      }, STATUS_MS[state]);
    };
    if (status.textContent === '') return show();
    status.textContent = '';
    timer = setTimeout(show, REPEAT_LEAD_MS);
  };

  button.addEventListener('click', async () => {
    if (await copyText(codeBlockText(pre), control)) return say('copied', COPIED_TEXT);
    selectCode(pre);
    say('failed', copyFailedText(copyWay(doc)));
  });
  return control;
}
