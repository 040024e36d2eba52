/**
 * Whether a page's first h1 is its title or only its first section. Most pages open with
 * `# Title`; some READMEs use `#` for their top-level sections instead and open with a logo,
 * badges and a paragraph or two about the project, then `# Features`, `# Quick Start`, `# Error
 * Handling`… (ioredis). There "Features" is no more the page's title than "Quick Start" is.
 */
import type { Heading, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';

/**
 * True when `h1` is one of two or more h1s at the top of the page and prose comes before it: a
 * paragraph with words of its own (not only badges and images), a list, a table, a quote or code.
 */
export function isSectionH1(nodes: readonly RootContent[], h1: Heading): boolean {
  const index = nodes.indexOf(h1);
  if (index < 0) return false;
  const h1s = nodes.filter((n) => n.type === 'heading' && n.depth === 1).length;
  return h1s >= 2 && nodes.slice(0, index).some(isProse);
}

function isProse(node: RootContent): boolean {
  // A paragraph's own words, without images and raw HTML (a badge's alt text is not prose).
  if (node.type === 'paragraph') return toString(node, { includeHtml: false, includeImageAlt: false }).trim() !== '';
  return node.type === 'list' || node.type === 'table' || node.type === 'blockquote' || node.type === 'code';
}
