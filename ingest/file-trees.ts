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

import { type JsxNode, childElements, componentName, isJsxElement, stringAttribute } from './jsx-nodes';

function entryKind(node: JsxNode): 'file' | 'folder' | undefined {
  if (!isJsxElement(node)) return undefined;
  const name = componentName(node);
  return name === 'File' ? 'file' : name === 'Folder' ? 'folder' : undefined;
}

function lines(node: JsxNode, depth: number): string[] {
  return childElements(node, (c) => entryKind(c) !== undefined).flatMap((entry) => {
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
  const isTree = isJsxElement(node) && ['Files', 'FileTree'].includes(componentName(node));
  const tree = entryKind(node) ? { type: 'root', children: [node] } : isTree ? node : undefined;
  return tree && (lines(tree, 0).join('\n') || undefined);
}
