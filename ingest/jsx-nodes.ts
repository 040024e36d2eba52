/** The parts of an MDX tree's JSX elements read by the modules that rewrite components. */

export interface JsxNode {
  type: string;
  name?: string | null;
  attributes?: { type: string; name?: string; value?: unknown }[];
  children?: JsxNode[];
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
