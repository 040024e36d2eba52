/**
 * Whether a page's first h1 is its title or only its first section. Most pages open with
 * `# Title`; some READMEs use `#` for their top-level sections instead and open with a logo,
 * badges and a paragraph or two about the project, then `# Features`, `# Quick Start`, `# Error
 * Handling`… (ioredis). There "Features" is no more the page's title than "Quick Start" is.
 */
import type { Heading, RootContent } from 'mdast';

interface FlowNode {
  type: string;
  value?: string;
  children?: FlowNode[];
}

/**
 * True when `h1` is one of two or more h1s at the top of the page and prose comes before it: a
 * paragraph with words of its own (not only badges and images), a list, a table, a quote or code.
 */
export function isSectionH1(nodes: readonly RootContent[], h1: Heading): boolean {
  const index = nodes.indexOf(h1);
  if (index < 0) return false;
  const h1s = nodes.filter((n) => n.type === 'heading' && n.depth === 1).length;
  return h1s >= 2 && nodes.slice(0, index).some((n) => isProse(n as FlowNode));
}

function isProse(node: FlowNode): boolean {
  if (node.type === 'paragraph') return wordsOf(node).trim() !== '';
  return node.type === 'list' || node.type === 'table' || node.type === 'blockquote' || node.type === 'code';
}

/** The text of a node, without images (a badge's alt text is not prose). */
function wordsOf(node: FlowNode): string {
  if (node.type === 'image' || node.type === 'imageReference' || node.type === 'html') return '';
  if (node.type === 'text' || node.type === 'inlineCode') return node.value ?? '';
  return (node.children ?? []).map(wordsOf).join('');
}
