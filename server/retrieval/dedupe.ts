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

export function copyKey(item: DedupeItem): CopyKey {
  return { heading: (item.headings.at(-1) ?? '').trim().toLowerCase(), words: words(item.text) };
}

/** Whether two sections are copies: the same heading and nearly the same words. */
export function areCopies(a: CopyKey, b: CopyKey, threshold = NEAR_DUPLICATE_SIMILARITY): boolean {
  return a.heading === b.heading && jaccard(a.words, b.words) >= threshold;
}

/** Keeps the first of every group of near-duplicates; `items` must be sorted best first. */
export function dropNearDuplicates<T extends DedupeItem>(items: readonly T[], threshold = NEAR_DUPLICATE_SIMILARITY): T[] {
  const kept: { item: T; key: CopyKey }[] = [];
  for (const item of items) {
    const key = copyKey(item);
    if (kept.some((k) => areCopies(k.key, key, threshold))) continue;
    kept.push({ item, key });
  }
  return kept.map((k) => k.item);
}
