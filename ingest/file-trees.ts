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

import { type JsxNode, componentName, isJsxElement, stringAttribute } from './jsx-nodes';

function entryKind(node: JsxNode): 'file' | 'folder' | undefined {
  if (!isJsxElement(node)) return undefined;
  const name = componentName(node);
  return name === 'File' ? 'file' : name === 'Folder' ? 'folder' : undefined;
}

/** The entries directly inside a tree or folder, looking through paragraphs. */
function entries(node: JsxNode): JsxNode[] {
  return (node.children ?? []).flatMap((c) => (entryKind(c) ? [c] : c.type === 'paragraph' ? (c.children ?? []).filter((g) => entryKind(g)) : []));
}

function lines(node: JsxNode, depth: number): string[] {
  return entries(node).flatMap((entry) => {
    const name = stringAttribute(entry, 'name');
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
  if (!isJsxElement(node)) return undefined;
  const last = componentName(node);
  if (entryKind(node)) return lines({ type: 'root', children: [node] }, 0).join('\n') || undefined;
  if (last !== 'Files' && last !== 'FileTree') return undefined;
  return lines(node, 0).join('\n') || undefined;
}
