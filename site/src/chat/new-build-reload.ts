/**
 * A docs page opened before a redeploy names the site's script chunks of the build it came with
 * (`/_astro/ChatApp.<hash>.js`), and the redeploy removed them: the chat, which the widget loads
 * when its panel first opens, then failed to load, and the panel stayed empty. The page is
 * reloaded once instead, which brings the current build's chunks; the panel, remembered open for
 * the tab (`widget-state.ts`), opens again by itself. At most once a minute per tab, so a chunk
 * that cannot be loaded for another reason (offline) does not reload the page over and over: the
 * panel then says so, with a button that reloads the page (a browser keeps a failed import's error
 * for the page, so importing it again would fail again).
 */

/** sessionStorage key: when this tab last reloaded the page for a chunk it could not load (ms since the epoch). */
export const NEW_BUILD_RELOAD_KEY = 'docent-new-build-reload';

/** A tab reloads the page for a chunk at most once in this long. */
export const NEW_BUILD_RELOAD_INTERVAL_MS = 60_000;

/**
 * Reloads the page (the current build's chunks come with it) unless this tab did so less than
 * {@link NEW_BUILD_RELOAD_INTERVAL_MS} ago; returns whether it reloads.
 */
export function reloadForNewBuild(win: Pick<Window, 'sessionStorage' | 'location'> = window, now = Date.now()): boolean {
  try {
    const last = Number(win.sessionStorage.getItem(NEW_BUILD_RELOAD_KEY));
    if (Number.isFinite(last) && now - last >= 0 && now - last < NEW_BUILD_RELOAD_INTERVAL_MS) return false;
    win.sessionStorage.setItem(NEW_BUILD_RELOAD_KEY, String(now));
  } catch {
    return false; // without storage a reload could not tell it had been tried: it could loop
  }
  win.location.reload();
  return true;
}
