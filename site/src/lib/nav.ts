/**
 * The docs sidebar, built from the content folder's structure and each page's frontmatter.
 *
 * Rules:
 * - Every folder is a group. Its label and position come from the folder's page (`index.md(x)`,
 *   `_index.md`, or a `README.md`: `ingest/folder-page.ts`; its `title`, `order`) when it has
 *   one, otherwise from the folder name (`getting-started` →
 *   "Getting started"), placed after ordered siblings.
 * - Inside a group, pages and sub-groups are sorted by `order` (pages without one come last),
 *   then by title. A folder's index page is listed first inside its group as "Overview".
 * - Root pages come before root groups; the root's folder page (`index.md`) is the home page.
 * - `sidebar: false` in frontmatter hides a page from the sidebar (it is still built).
 * - A page is listed by its title, or by its sidebar label when it has one (Starlight's
 *   `sidebar.label`, Docusaurus' `sidebar_label`).
 */
import { folderOfPage } from '../../../ingest/folder-page';
import { documentUrl } from '../../../ingest/urls';

/** What the sidebar needs to know about one page. */
export interface NavPage {
  /** Path relative to the content folder, with `/` separators (`guide/quick-start.md`). */
  path: string;
  title: string;
  order?: number | undefined;
  /** `false` hides the page from the sidebar. Default: shown. */
  sidebar?: boolean | undefined;
  /** The page's label in the sidebar, when not its title. */
  label?: string | undefined;
}

export interface NavLink {
  type: 'link';
  label: string;
  url: string;
  path: string;
  order: number | undefined;
}

export interface NavGroup {
  type: 'group';
  label: string;
  /** The folder, relative to the content folder (`guide`, `api/helpers`). */
  folder: string;
  /** The folder's index page, when it has one. */
  url: string | undefined;
  order: number | undefined;
  children: NavNode[];
}

export type NavNode = NavLink | NavGroup;

/** Whether a page is its folder's page (`index.md(x)`, Hugo's `_index.md`, a `README.md`: `folder-page.ts`). */
const isFolderPage = (path: string) => folderOfPage(path) !== undefined;

/** "getting-started" → "Getting started". */
export function labelFromName(name: string): string {
  const words = name.replace(/\.mdx?$/i, '').replace(/[-_]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : name;
}

function compare(a: { order: number | undefined; label: string }, b: { order: number | undefined; label: string }) {
  const ao = a.order ?? Number.POSITIVE_INFINITY;
  const bo = b.order ?? Number.POSITIVE_INFINITY;
  if (ao !== bo) return ao < bo ? -1 : 1;
  return a.label.localeCompare(b.label, 'en', { sensitivity: 'base', numeric: true });
}

/** Builds the sidebar tree from every page of the site. */
export function buildNav(pages: readonly NavPage[]): NavNode[] {
  const root: NavGroup = { type: 'group', label: '', folder: '', url: undefined, order: undefined, children: [] };
  const groups = new Map<string, NavGroup>([['', root]]);

  const groupFor = (folder: string): NavGroup => {
    const existing = groups.get(folder);
    if (existing) return existing;
    const slash = folder.lastIndexOf('/');
    const parent = groupFor(slash === -1 ? '' : folder.slice(0, slash));
    const group: NavGroup = {
      type: 'group',
      label: labelFromName(folder.slice(slash + 1)),
      folder,
      url: undefined,
      order: undefined,
      children: [],
    };
    parent.children.push(group);
    groups.set(folder, group);
    return group;
  };

  const sorted = [...pages].sort((a, b) => a.path.localeCompare(b.path));
  for (const page of sorted) {
    const path = page.path.replace(/\\/g, '/');
    const slash = path.lastIndexOf('/');
    const folder = slash === -1 ? '' : path.slice(0, slash);
    if (isFolderPage(path) && folder !== '') {
      const group = groupFor(folder);
      group.label = page.title || group.label;
      group.order = page.order;
      group.url = documentUrl(path);
      if (page.sidebar !== false) {
        group.children.push({ type: 'link', label: 'Overview', url: group.url, path, order: Number.NEGATIVE_INFINITY });
      }
      continue;
    }
    if (page.sidebar === false) continue;
    groupFor(folder).children.push({
      type: 'link',
      label: page.label ?? page.title,
      url: documentUrl(path),
      path,
      order: isFolderPage(path) ? Number.NEGATIVE_INFINITY : page.order,
    });
  }

  const sortGroup = (group: NavGroup) => {
    group.children.sort((a, b) => {
      // At the root, pages before groups; inside a group, one order for both.
      if (group === root && a.type !== b.type) return a.type === 'link' ? -1 : 1;
      return compare(a, b);
    });
    for (const child of group.children) if (child.type === 'group') sortGroup(child);
  };
  sortGroup(root);
  // Groups left empty (every page hidden) are dropped.
  const prune = (nodes: NavNode[]): NavNode[] =>
    nodes.flatMap((node): NavNode[] => {
      if (node.type === 'link') return [node];
      const children = prune(node.children);
      return children.length || node.url ? [{ ...node, children }] : [];
    });
  return prune(root.children);
}

/** The sidebar's links in reading order (for previous/next links). */
export function flattenNav(nodes: readonly NavNode[]): NavLink[] {
  return nodes.flatMap((node) => (node.type === 'link' ? [node] : flattenNav(node.children)));
}

/** Each tree's pages in reading order, every URL once, and where each URL is in that order. */
const readingOrders = new WeakMap<readonly NavNode[], { links: NavLink[]; index: Map<string, number> }>();

function readingOrder(nodes: readonly NavNode[]): { links: NavLink[]; index: Map<string, number> } {
  let order = readingOrders.get(nodes);
  if (order === undefined) {
    const links: NavLink[] = [];
    const index = new Map<string, number>();
    for (const link of flattenNav(nodes)) {
      if (index.has(link.url)) continue;
      index.set(link.url, links.length);
      links.push(link);
    }
    order = { links, index };
    readingOrders.set(nodes, order);
  }
  return order;
}

/**
 * The previous and next pages around `url` in reading order. The order is worked out once per
 * tree, so asking for every page of a site costs time in proportion to its number of pages.
 */
export function neighbours(nodes: readonly NavNode[], url: string): { prev?: NavLink; next?: NavLink } {
  const { links, index } = readingOrder(nodes);
  const i = index.get(url);
  if (i === undefined) return {};
  return { prev: links[i - 1], next: links[i + 1] };
}

/** True when `url` is `groupOrLink`'s page or inside its folder (to open the current group). */
export function containsUrl(node: NavNode, url: string): boolean {
  if (node.type === 'link') return node.url === url;
  return node.url === url || node.children.some((child) => containsUrl(child, url));
}
