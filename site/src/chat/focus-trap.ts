/**
 * Keeping the keyboard inside a modal dialog: Tab on its last control goes to its first, Shift+Tab
 * on its first goes to its last, and either key with the focus outside it brings the focus back in.
 * It works in a shadow root too (the standalone widget), whose own active element it reads.
 */

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Call on a Tab keydown: moves the focus round `dialog` (and cancels the key's default) when the
 * key would take it out. Controls that are not shown (`display: none`) are skipped.
 */
export function keepFocusIn(dialog: HTMLElement, event: { shiftKey: boolean; preventDefault(): void }): void {
  const focusable = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
  const first = focusable[0];
  const last = focusable.at(-1);
  if (!first || !last) return;
  const active = (dialog.getRootNode() as Document | ShadowRoot).activeElement;
  const inside = active !== null && dialog.contains(active);
  if (event.shiftKey ? active === first || !inside : active === last || !inside) {
    event.preventDefault();
    (event.shiftKey ? last : first).focus();
  }
}
