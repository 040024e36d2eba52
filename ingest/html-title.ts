/**
 * A page title written as HTML. GitHub READMEs often open with a centred block of logos, badges
 * and an `<h1>` in raw HTML (`<div align="center"> … <h1>eslint-plugin-jest</h1> … </div>`) and
 * have no markdown h1 at all; that `<h1>` is what the page is called, not the file's name.
 */
import type { RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';

/** An `<h1>` element of raw HTML, with its inner HTML. */
const HTML_H1 = /<h1\b[^>]*>([\s\S]*?)<\/h1\s*>/i;

interface FlowNode {
  type: string;
  name?: string | null;
  children?: FlowNode[];
}

/**
 * The text of the first `<h1>` written as raw HTML (markdown) or as a JSX element (MDX) before the
 * page's first heading, or `undefined`. Tags inside it are dropped and white space collapsed.
 */
export function htmlH1Title(nodes: readonly RootContent[]): string | undefined {
  for (const node of nodes as readonly FlowNode[]) {
    if (node.type === 'heading') return undefined;
    const text = h1Text(node);
    if (text !== undefined) return text;
  }
  return undefined;
}

function h1Text(node: FlowNode): string | undefined {
  // Markdown: an HTML block, or a paragraph of inline HTML (`<h1>` and `</h1>` are nodes of their own).
  const html = node.type === 'html' || node.type === 'paragraph' ? toString(node, { includeHtml: true, includeImageAlt: false }) : undefined;
  const match = html === undefined ? null : HTML_H1.exec(html);
  if (match) return nonEmpty(match[1]!.replace(/<[^>]*>/g, ''));
  if (node.type !== 'mdxJsxFlowElement' && node.type !== 'mdxJsxTextElement' && node.type !== 'paragraph') return undefined;
  if (node.name === 'h1') return nonEmpty(toString(node, { includeHtml: false, includeImageAlt: false }));
  for (const child of node.children ?? []) {
    const text = h1Text(child);
    if (text !== undefined) return text;
  }
  return undefined;
}

function nonEmpty(text: string): string | undefined {
  const collapsed = text.replace(/\s+/g, ' ').trim();
  return collapsed === '' ? undefined : collapsed;
}
