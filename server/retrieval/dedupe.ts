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

/** Keeps the first of every group of near-duplicates; `items` must be sorted best first. */
export function dropNearDuplicates<T extends DedupeItem>(items: readonly T[], threshold = NEAR_DUPLICATE_SIMILARITY): T[] {
  const kept: { item: T; heading: string; words: Set<string> }[] = [];
  for (const item of items) {
    const heading = (item.headings.at(-1) ?? '').trim().toLowerCase();
    const w = words(item.text);
    if (kept.some((k) => k.heading === heading && jaccard(k.words, w) >= threshold)) continue;
    kept.push({ item, heading, words: w });
  }
  return kept.map((k) => k.item);
}
