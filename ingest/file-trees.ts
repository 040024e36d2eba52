/**
 * File trees written as components: Fumadocs' `<Files>` with `<Folder name="apps">` and
 * `<File name="turbo.json" />`, Nextra's `<FileTree>` with `<FileTree.Folder>` and
 * `<FileTree.File>`. Their names are all they say, and all of it is in attributes, so the tree
 * is read as the nested list a markdown file tree is written as (Starlight's `<FileTree>` holds
 * such a list already, and is read as it is):
 *
 *     - package.json
 *     - apps/
 *       - docs/
 */

/** The parts of an MDX tree read here. */
interface JsxNode {
  type: string;
  name?: string | null;
  attributes?: { type: string; name?: string; value?: unknown }[];
  children?: JsxNode[];
}

const JSX_ELEMENTS = new Set(['mdxJsxFlowElement', 'mdxJsxTextElement']);

function entryKind(node: JsxNode): 'file' | 'folder' | undefined {
  if (!JSX_ELEMENTS.has(node.type)) return undefined;
  const last = (node.name ?? '').split('.').pop();
  return last === 'File' ? 'file' : last === 'Folder' ? 'folder' : undefined;
}

function nameOf(node: JsxNode): string | undefined {
  const attr = node.attributes?.find((a) => a.type === 'mdxJsxAttribute' && a.name === 'name');
  return typeof attr?.value === 'string' && attr.value.trim() !== '' ? attr.value.trim() : undefined;
}

/** The entries directly inside a tree or folder, looking through paragraphs. */
function entries(node: JsxNode): JsxNode[] {
  return (node.children ?? []).flatMap((c) => (entryKind(c) ? [c] : c.type === 'paragraph' ? (c.children ?? []).filter((g) => entryKind(g)) : []));
}

function lines(node: JsxNode, depth: number): string[] {
  return entries(node).flatMap((entry) => {
    const name = nameOf(entry);
    if (name === undefined) return lines(entry, depth);
    const isFolder = entryKind(entry) === 'folder';
    return [`${'  '.repeat(depth)}- ${isFolder && !name.endsWith('/') ? `${name}/` : name}`, ...(isFolder ? lines(entry, depth + 1) : [])];
  });
}

/**
 * The nested list a file tree component stands for, when `node` is one (a `Files`, `FileTree`,
 * `Folder` or `File` element with named files or folders in it), else undefined.
 */
export function fileTreeList(node: JsxNode): string | undefined {
  if (!JSX_ELEMENTS.has(node.type)) return undefined;
  const last = (node.name ?? '').split('.').pop();
  if (entryKind(node)) return lines({ type: 'root', children: [node] }, 0).join('\n') || undefined;
  if (last !== 'Files' && last !== 'FileTree') return undefined;
  return lines(node, 0).join('\n') || undefined;
}
