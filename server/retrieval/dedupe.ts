/**
 * Near-duplicate sections: the same section on several near-identical pages (one per runtime,
 * framework, dialect or version). Only the best-scored copy is kept, so copies do not crowd out
 * other results; the page whose title matches the question scores higher (the `heading` feature
 * counts the page title) and is the one kept. When the reader asks from a page of the docs, a copy
 * in that part of the site (`nearPage`) is kept instead of one that scores at most
 * {@link NEAR_PAGE_MARGIN} more: a reader of `/v2/…` gets the `/v2/` copy of a section that
 * `/v1/` also has, unless the question itself points elsewhere.
 */

export interface DedupeItem {
  headings: string[];
  text: string;
}

/** How much more a copy elsewhere may score and still give way to the copy in the reader's part of the site. */
export const NEAR_PAGE_MARGIN = 0.03;

/** Word-set Jaccard similarity at or above which two sections with the same heading are copies. */
export const NEAR_DUPLICATE_SIMILARITY = 0.8;

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[a-z0-9]+/g) ?? []);
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}

/** What two sections are compared on: their own (last) heading and the words of their text. */
export interface CopyKey {
  heading: string;
  words: Set<string>;
}

function headingOf(item: DedupeItem): string {
  return (item.headings.at(-1) ?? '').trim().toLowerCase();
}

export function copyKey(item: DedupeItem): CopyKey {
  return { heading: headingOf(item), words: words(item.text) };
}

/** Whether two sections are copies: the same heading and nearly the same words. */
export function areCopies(a: CopyKey, b: CopyKey, threshold = NEAR_DUPLICATE_SIMILARITY): boolean {
  return a.heading === b.heading && jaccard(a.words, b.words) >= threshold;
}

/** The segments of a URL's path (`https://x.dev/v2/guide/` and `/v2/guide` → `v2`, `guide`). */
function pathSegments(url: string): string[] {
  let path: string;
  try {
    path = new URL(url, 'http://docent.invalid').pathname;
  } catch {
    return [];
  }
  return path.split('/').filter(Boolean);
}

/**
 * How close a URL is to the reader's page: the number of leading path segments they share
 * (`/v2/guide/install/` and `/v2/api/` share 1). A function of a URL, to call per candidate.
 */
export function pathCloseness(readerPage: string): (url: string) => number {
  const page = pathSegments(readerPage);
  return (url) => {
    const segments = pathSegments(url);
    let n = 0;
    while (n < page.length && n < segments.length && page[n] === segments[n]) n++;
    return n;
  };
}

/** Prefer copies near the reader's page: how to read an item's score and how close it is. */
export interface NearPage<T> {
  score: (item: T) => number;
  closeness: (item: T) => number;
  /** Default {@link NEAR_PAGE_MARGIN}. */
  margin?: number;
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The items left when near-duplicates are dropped, in order; `items` must be sorted best first.
 *
 * Two chunks are copies when they share their heading and nearly all their words. A long section
 * repeated on two pages (a rule's own page and the page listing every rule) is several chunks
 * long, and the question may match a different chunk of each copy best. So copies are decided per
 * section: once one chunk of a section is found to copy a chunk of another, the two sections are
 * copies, and only the one whose best chunk ranks higher keeps any chunk. Each item's own section
 * (`sectionOf`) defaults to the item itself. A chunk's words are read only when an earlier kept
 * chunk has its heading: most candidates have a heading of their own, and reading the words of
 * ~120 sections was most of the cost. With `nearPage`, of two copies the one closer to the reader's
 * page wins when its best chunk scores within the margin of the other's.
 */
export function dropNearDuplicates<T extends DedupeItem>(
  items: readonly T[],
  sectionOf: (item: T, index: number) => unknown = (_item, index) => index,
  threshold = NEAR_DUPLICATE_SIMILARITY,
  nearPage?: NearPage<T>,
): T[] {
  interface Kept { index: number; section: unknown; words?: Set<string> }
  const keptByHeading = new Map<string, Kept[]>();
  const keptBySection = new Map<unknown, Kept[]>();
  const droppedSections = new Set<unknown>();
  const kept = new Set<number>();
  items.forEach((item, index) => {
    const section = sectionOf(item, index);
    if (droppedSections.has(section)) return;
    const heading = headingOf(item);
    const sameHeading = keptByHeading.get(heading) ?? [];
    const own = sameHeading.length > 0 ? words(item.text) : undefined;
    const original = own && sameHeading.find((k) => kept.has(k.index) && jaccard((k.words ??= words(items[k.index]!.text)), own) >= threshold);
    if (original) {
      if (original.section === section) return;
      // Two copies of one section: the one whose best chunk came first keeps its chunks, unless the
      // other is nearer the reader's page and scores within the margin.
      const first = keptBySection.get(section)?.[0];
      const otherFirst = keptBySection.get(original.section)![0]!;
      const best = items[(first ?? { index }).index]!;
      const other = items[otherFirst.index]!;
      const ahead = first !== undefined && first.index < otherFirst.index;
      const [winner, runnerUp] = ahead ? [best, other] : [other, best];
      const nearer =
        nearPage !== undefined &&
        nearPage.closeness(runnerUp) > nearPage.closeness(winner) &&
        nearPage.score(winner) - nearPage.score(runnerUp) <= (nearPage.margin ?? NEAR_PAGE_MARGIN);
      const loser = ahead !== nearer ? original.section : section;
      droppedSections.add(loser);
      for (const k of keptBySection.get(loser) ?? []) kept.delete(k.index);
      if (loser === section) return;
    }
    const entry: Kept = { index, section, words: own };
    kept.add(index);
    append(keptByHeading, heading, entry);
    append(keptBySection, section, entry);
  });
  return items.filter((_, index) => kept.has(index));
}
