/**
 * Counts the pages an Astro build has written, from its output, so that a long build of a large
 * site can say how far it is. Astro prints one line per page written
 * (`21:20:18   ├─ /guide/setup/index.html (+11ms)`, the last of a route with `└─`).
 */

/** How many pages between two progress reports. */
export const PAGES_PROGRESS_STEP = 250;

const PAGE_LINE = /[├└]─ \/\S*\.html \(\+/;

/**
 * A function to feed the build's output to, in chunks as they come (a line may be split across
 * two): it calls `report` with the number of pages written each time `step` more are.
 */
export function pageProgress(report: (pages: number) => void, step = PAGES_PROGRESS_STEP): (chunk: string) => void {
  let pending = '';
  let pages = 0;
  return (chunk) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!PAGE_LINE.test(line)) continue;
      pages++;
      if (pages % step === 0) report(pages);
    }
  };
}
