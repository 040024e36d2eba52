/**
 * Watching a page's live regions, as browser tests of status messages do: several screen readers
 * say nothing of a region inserted already filled (site/src/chat/live-status.tsx). Headless
 * Chromium has no screen reader: the tests watch the DOM.
 */
import type { Page } from 'playwright-core';

/** Each live region of the page as it was when inserted, and every text it said since. */
export interface LiveRegionRecord {
  role: string;
  inserted: string;
  said: string[];
}

/**
 * Records, from the page's first script on, every live region (`role="status"`, or `aria-live`
 * other than `off`; not `role="alert"`, which is announced when inserted) the page inserts: its
 * text when inserted, and each text it holds after a change.
 */
export async function recordLiveRegions(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const records: { role: string; inserted: string; said: string[] }[] = [];
    const tracked = new Map<Element, (typeof records)[number]>();
    (window as unknown as { __liveRegions: typeof records }).__liveRegions = records;
    const LIVE = '[role="status"], [aria-live]:not([aria-live="off"]):not([role="alert"])';
    const textOf = (el: Element) => (el.textContent ?? '').replace(/\u00a0/g, '').trim();
    new MutationObserver((mutations) => {
      for (const mutation of mutations) {
        for (const node of mutation.addedNodes) {
          if (!(node instanceof Element)) continue;
          for (const region of [...(node.matches(LIVE) ? [node] : []), ...node.querySelectorAll(LIVE)]) {
            if (tracked.has(region)) continue;
            const record = { role: region.getAttribute('role') ?? 'aria-live', inserted: textOf(region), said: [] as string[] };
            records.push(record);
            tracked.set(region, record);
          }
        }
        const target = mutation.target instanceof Element ? mutation.target : mutation.target.parentElement;
        const region = target?.closest(LIVE);
        const record = region && tracked.get(region);
        const text = region && textOf(region);
        if (record && text && record.said.at(-1) !== text) record.said.push(text);
      }
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
}

/** What {@link recordLiveRegions} recorded so far, in the order the regions were inserted. */
export const liveRegions = (page: Page) => page.evaluate(() => (window as unknown as { __liveRegions: LiveRegionRecord[] }).__liveRegions);
