/**
 * A remark plugin that gives every heading the `id` ingest stores as its anchor
 * (`headingAnchors()` from `ingest/anchors.ts`), so a citation's `url#anchor` always lands on its
 * heading. Astro keeps ids that are already set instead of slugging headings itself.
 */
import type { Root } from 'mdast';
import { headingAnchors } from '../../../ingest/anchors';

export function remarkHeadingIds() {
  return (tree: Root) => {
    for (const [heading, id] of headingAnchors(tree)) {
      heading.data ??= {};
      heading.data.hProperties = { ...heading.data.hProperties, id };
    }
  };
}
