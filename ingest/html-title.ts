/**
 * A page title written as HTML. GitHub READMEs often open with a centred block of logos, badges
 * and an `<h1>` in raw HTML (`<div align="center"> … <h1>eslint-plugin-jest</h1> … </div>`) and
 * have no markdown h1 at all; that `<h1>` is what the page is called, not the file's name.
 */
import type { RootContent } from 'mdast';

/** An `<h1>` element of raw HTML, with its inner HTML. */
const HTML_H1 = /<h1\b[^>]*>([\s\S]*?)<\/h1\s*>/i;

interface FlowNode {
  type: string;
  value?: string;
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
  const html = node.type === 'html' ? (node.value ?? '') : node.type === 'paragraph' ? (node.children ?? []).map(rawOf).join('') : undefined;
  const match = html === undefined ? null : HTML_H1.exec(html);
  if (match) return nonEmpty(match[1]!.replace(/<[^>]*>/g, ''));
  if (node.type !== 'mdxJsxFlowElement' && node.type !== 'mdxJsxTextElement' && node.type !== 'paragraph') return undefined;
  if (node.name === 'h1') return nonEmpty(textOf(node));
  for (const child of node.children ?? []) {
    const text = h1Text(child);
    if (text !== undefined) return text;
  }
  return undefined;
}

/** A paragraph child as written: inline HTML as its tag, anything else as its text. */
function rawOf(node: FlowNode): string {
  return node.type === 'html' ? (node.value ?? '') : textOf(node);
}

function textOf(node: FlowNode): string {
  if (node.type === 'text' || node.type === 'inlineCode') return node.value ?? '';
  return (node.children ?? []).map(textOf).join('');
}

function nonEmpty(text: string): string | undefined {
  const collapsed = text.replace(/\s+/g, ' ').trim();
  return collapsed === '' ? undefined : collapsed;
}
