/**
 * A remark plugin for the docs site: Docusaurus' magic comment lines in code blocks
 * (`// highlight-next-line`, `# highlight-start`, …) are removed, as Docusaurus' own site and
 * ingest do (`ingest/code-magic-comments.ts`), instead of being shown as comments.
 */
import type { Code, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import { withoutMagicComments } from '../../../ingest/code-magic-comments';

export function remarkCodeMagicComments() {
  return (tree: Root) => {
    visit(tree, 'code', (node: Code) => {
      node.value = withoutMagicComments(node.value, node.lang);
    });
  };
}
