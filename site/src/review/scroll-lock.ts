/**
 * Holding a page still under a modal drawer (the review page's details): while locked, neither
 * the wheel, a swipe nor a key scrolls the page behind it, also where the drawer itself has
 * nothing to scroll (`overscroll-behavior` only stops scroll chaining from a box that scrolls).
 * Unlocked, the page is where it was, to the pixel.
 */

/**
 * Locks the page's scrolling (`overflow: hidden` on the root element). The room its scroll bar
 * took is kept as padding, so the page does not shift sideways. Returns the unlock, which puts
 * the page's styles back and scrolls it to where it was when locked.
 */
export function lockPageScroll(doc: Document = document): () => void {
  const win = doc.defaultView;
  if (!win) return () => {};
  const root = doc.documentElement;
  const { scrollX, scrollY } = win;
  const scrollBar = win.innerWidth - root.clientWidth;
  const saved = { overflow: root.style.overflow, paddingRight: root.style.paddingRight };
  if (scrollBar > 0) root.style.paddingRight = `${parseFloat(win.getComputedStyle(root).paddingRight) + scrollBar}px`;
  root.style.overflow = 'hidden';
  return () => {
    root.style.overflow = saved.overflow;
    root.style.paddingRight = saved.paddingRight;
    win.scrollTo(scrollX, scrollY);
  };
}
