import { describe, expect, it } from 'vitest';
import { pageProgress } from '../site/build-progress';

/** Lines as Astro 5 prints them while writing a site's pages (copied from a real build's output). */
const ASTRO_OUTPUT = [
  '21:19:59 [content] Syncing content',
  '[docent] products/lite/docs/index.md:95: image /images/sc.gif not found, shown as its alt text',
  '21:20:14 ▶ src/pages/404.astro',
  '21:20:14   └─ /404.html (+3.87s) ',
  '21:20:18 ▶ src/pages/[...slug].astro',
  ...Array.from({ length: 9 }, (_, i) => `21:20:18   ├─ /products/lite/docs/page-${i}/index.html (+4ms) `),
  '21:20:19   └─ /products/lite/docs/last/index.html (+5ms) ',
  '21:20:19 ✓ Completed in 5.2s.',
].join('\n');

describe('pageProgress', () => {
  it('reports the number of pages written each time `step` more are, from the lines Astro prints', () => {
    const reports: number[] = [];
    const feed = pageProgress((pages) => reports.push(pages), 4);
    feed(`${ASTRO_OUTPUT}\n`);
    // 11 page lines (404 and ten docs pages); the other lines are not pages.
    expect(reports).toEqual([4, 8]);
  });

  it('counts a line split across two chunks of output once', () => {
    const reports: number[] = [];
    const feed = pageProgress((pages) => reports.push(pages), 1);
    const text = `${ASTRO_OUTPUT}\n`;
    for (let i = 0; i < text.length; i += 7) feed(text.slice(i, i + 7));
    expect(reports).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
  });

  it('reports nothing for a build of fewer pages than a step', () => {
    const reports: number[] = [];
    pageProgress((pages) => reports.push(pages))(`${ASTRO_OUTPUT}\n`);
    expect(reports).toEqual([]);
  });
});
