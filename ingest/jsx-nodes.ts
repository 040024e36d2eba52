/** The parts of an MDX tree's JSX elements read by the modules that rewrite components. */

export interface JsxNode {
  type: string;
  name?: string | null;
  attributes?: { type: string; name?: string; value?: unknown }[];
  children?: JsxNode[];
  value?: string;
}

const JSX_ELEMENTS = new Set(['mdxJsxFlowElement', 'mdxJsxTextElement']);

/** Whether `node` is a JSX element (`<Tab>`, written on its own lines or inside a paragraph). */
export const isJsxElement = (node: JsxNode): boolean => JSX_ELEMENTS.has(node.type);

/** The last part of an element's name: `File` for `<FileTree.File>`. */
export const componentName = (node: JsxNode): string => (node.name ?? '').split('.').pop() ?? '';

/** A string attribute's value, trimmed; undefined when missing, blank or an expression. */
export function stringAttribute(node: JsxNode, name: string): string | undefined {
  const attr = node.attributes?.find((a) => a.type === 'mdxJsxAttribute' && a.name === name);
  return typeof attr?.value === 'string' && attr.value.trim() !== '' ? attr.value.trim() : undefined;
}

/** The children of `node` that `keep` accepts, looking through paragraphs (components written on one line are a paragraph's). */
export function childElements(node: JsxNode, keep: (child: JsxNode) => boolean): JsxNode[] {
  return (node.children ?? []).flatMap((c) => (keep(c) ? [c] : c.type === 'paragraph' ? (c.children ?? []).filter(keep) : []));
}

/**
 * The components a paragraph is made of, when it is components and nothing else:
 * `<Card title="Tip">Text</Card>` written on one line, or `<TabItem label="npm">…</TabItem>` items
 * on consecutive lines, are a paragraph of text elements, and are read as the same components
 * written over several lines (their titles kept). Lower-case HTML tags are not components.
 */
export function paragraphComponents<T extends JsxNode>(node: T): T[] | undefined {
  if (node.type !== 'paragraph') return undefined;
  const parts = ((node.children ?? []) as T[]).filter((c) => !(c.type === 'text' && (c.value ?? '').trim() === ''));
  const components = parts.length > 0 && parts.every((c) => c.type === 'mdxJsxTextElement' && /^[A-Z]/.test(c.name ?? ''));
  return components ? parts : undefined;
}
