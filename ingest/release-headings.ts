/**
 * Changelogs written flat: each release is a heading (`## v1.15.2 - April 21, 2026`) followed by
 * headings of the same level for its parts (`## 🐛 Bug Fixes`, `## 🚀 New Features`), which then
 * recur under every release. Read as written, "Changelog > 🐛 Bug Fixes" does not say which
 * release it is; here a release heading holds the same-level headings after it, up to the next
 * release: "Changelog > v1.15.2 - April 21, 2026 > 🐛 Bug Fixes". Anchors stay the headings' own.
 * Changelogs that nest their parts (`## [1.2.0]`, `### Fixed`) are read as they are.
 */

/** A heading's level (1–6) and text. */
export interface HeadingLevel {
  depth: number;
  text: string;
}

/** Open headings, outermost first; a release's part is half a level below the release. */
export type HeadingStack = HeadingLevel[];

/**
 * A heading that names a release: a version number first — `v1.2` or `1.2.3`, or after "version"
 * or "release", optionally in brackets: "v1.21.0 — October 21, 2026", "1.13.2 (2025-11-04)",
 * "[2.0.0-beta.1] - 2024-01-05", "Version 3.1". A bare "2.1 Terminology" is a numbered section.
 */
const RELEASE = /^(?:(?:version|release)\s+v?\d+(?:\.\d+)+|\[?v\d+(?:\.\d+)+|\[?\d+\.\d+\.\d+)(?:[-+][0-9A-Za-z.-]+)?\]?(?![\w.])/i;

export function isReleaseHeading(text: string): boolean {
  return RELEASE.test(text.trim());
}

/** The levels at which a page lists releases: those with at least two release headings. */
export function releaseHeadingDepths(headings: Iterable<HeadingLevel>): Set<number> {
  const counts = new Map<number, number>();
  for (const h of headings) if (isReleaseHeading(h.text)) counts.set(h.depth, (counts.get(h.depth) ?? 0) + 1);
  return new Set([...counts].filter(([, n]) => n >= 2).map(([depth]) => depth));
}

/**
 * `stack` after the heading `h`: the headings it closes popped, then `h` pushed — half a level
 * deeper than written when it is not a release but follows one of its level on a page that lists
 * releases at that level (`releaseDepths`), so that the release stays open as its parent.
 */
export function pushHeading(stack: HeadingStack, h: HeadingLevel, releaseDepths: ReadonlySet<number>): void {
  const partOfRelease = releaseDepths.has(h.depth) && !isReleaseHeading(h.text) && stack.some((open) => open.depth === h.depth && isReleaseHeading(open.text));
  const depth = partOfRelease ? h.depth + 0.5 : h.depth;
  while (stack.length > 0 && stack[stack.length - 1]!.depth >= depth) stack.pop();
  stack.push({ depth, text: h.text });
}
