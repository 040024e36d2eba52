/**
 * Near-duplicate sections: the same section on several near-identical pages (one per runtime,
 * framework or dialect). Only the best-scored copy is kept, so copies do not crowd out other
 * results; the page whose title matches the question scores higher (the `heading` feature counts
 * the page title) and is the one kept.
 */

export interface DedupeItem {
  headings: string[];
  text: string;
}

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

/**
 * The first of every group of near-duplicates, in order, as they are asked for; `items` must be
 * sorted best first. Whether an item is a copy depends only on the items before it, so a caller
 * that needs the first few stops early and the rest are never looked at. A section's words are
 * read only when an earlier kept section has its heading: most candidates have a heading of
 * their own, and reading the words of ~120 sections was most of the cost.
 */
export function* distinctItems<T extends DedupeItem>(items: Iterable<T>, threshold = NEAR_DUPLICATE_SIMILARITY): Generator<T> {
  const keptByHeading = new Map<string, { item: T; words?: Set<string> }[]>();
  for (const item of items) {
    const heading = headingOf(item);
    const sameHeading = keptByHeading.get(heading);
    if (!sameHeading) {
      keptByHeading.set(heading, [{ item }]);
      yield item;
      continue;
    }
    const own = words(item.text);
    if (sameHeading.some((k) => jaccard((k.words ??= words(k.item.text)), own) >= threshold)) continue;
    sameHeading.push({ item, words: own });
    yield item;
  }
}

/** Keeps the first of every group of near-duplicates; `items` must be sorted best first. */
export function dropNearDuplicates<T extends DedupeItem>(items: readonly T[], threshold = NEAR_DUPLICATE_SIMILARITY): T[] {
  return [...distinctItems(items, threshold)];
}
