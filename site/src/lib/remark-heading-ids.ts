/**
 * A remark plugin that gives every heading the `id` ingest stores as its anchor
 * (`headingAnchors()` from `ingest/anchors.ts`), so a citation's `url#anchor` always lands on its
 * heading. Astro keeps ids that are already set instead of slugging headings itself. An explicit
 * id written after a heading (`## Options {#options}`, `ingest/heading-ids.ts`) is the id and is
 * not shown.
 *
 * It also places the frontmatter `description` under a page's own leading `# Title` (when the
 * page has one, the layout does not print the title again).
 */
import type { Heading, Root } from 'mdast';
import type { VFile } from 'vfile';
import { explicitHeadingId, headingAnchors } from '../../../ingest/anchors';
import { withoutHeadingId } from '../../../ingest/heading-ids';

export function remarkHeadingIds() {
  return (tree: Root, file: VFile) => {
    for (const [heading, id] of headingAnchors(tree)) {
      dropExplicitId(heading);
      heading.data ??= {};
      heading.data.hProperties = { ...heading.data.hProperties, id };
    }
    const frontmatter = (file.data as { astro?: { frontmatter?: Record<string, unknown> } }).astro?.frontmatter;
    const description = frontmatter?.description;
    const first = tree.children.findIndex((n) => n.type !== 'yaml' && n.type !== 'mdxjsEsm');
    const node = tree.children[first];
    if (typeof description === 'string' && description.trim() && node?.type === 'heading' && node.depth === 1) {
      tree.children.splice(first + 1, 0, {
        type: 'paragraph',
        children: [{ type: 'text', value: description.trim() }],
        data: { hProperties: { className: ['doc-description'] } },
      });
    }
  };
}

/** Removes an explicit id from the end of the heading's text (its last text node holds it). */
function dropExplicitId(heading: Heading): void {
  const last = heading.children.at(-1);
  if (last?.type === 'text' && explicitHeadingId(heading) !== undefined) last.value = withoutHeadingId(last.value);
}
