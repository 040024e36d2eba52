/**
 * A remark plugin for the docs site: MkDocs admonitions and content tabs (`!!! warning "Title"`,
 * `??? note`, `=== "npm"`, their content indented by four spaces; `/// tip | Title` … `///`)
 * become `:::` containers (`ingest/mkdocs-blocks.ts`, as ingest reads them), which
 * `remarkContainers` then renders as callouts. Without it their content was shown as a code
 * block. The content is indented, so a page that has such blocks is parsed again from the
 * converted text; any other page is left as parsed. It runs first among the site's remark plugins. (`.mdx` pages are converted before the MDX
 * compiler, in `astro.config.mjs`, so this finds nothing left to convert in them.)
 */
import type { Root } from 'mdast';
import type { Processor } from 'unified';
import { mkdocsBlocksAsContainers } from '../../../ingest/mkdocs-blocks';

export function remarkMkdocsBlocks(this: Processor) {
  const processor = this;
  return (tree: Root, file: { value: unknown }) => {
    const source = String(file.value);
    const converted = mkdocsBlocksAsContainers(source, { close: true });
    if (converted === source) return;
    tree.children = (processor.parse(converted) as Root).children;
  };
}
