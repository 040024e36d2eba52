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
 * - A folder's own file (Fumadocs' `meta.json`, Docusaurus' `_category_.json`: `sidebar-folders.ts`)
 *   gives its group's label, position and whether it starts open, over its folder page's. Its
 *   `pages` list orders the folder's pages and sub-folders (by name without extension; `index` is
 *   the folder's page): the ones listed first, in its order, with separators (`---Label---`) and
 *   links to the web (`[Label](https://…)`) where it puts them; the others where it says `...`
 *   (`z...a`: in reverse), else after the listed ones, in the order above, the folder's page first.
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
  /** Whether the group starts open (`true`) or closed (`false`) on pages outside it; unset: the sidebar decides. */
  open?: boolean | undefined;
  children: NavNode[];
}

/** A separator with a label, between a group's pages (Fumadocs' `"---Commands---"`). */
export interface NavSeparator {
  type: 'separator';
  label: string;
}

/** A link to a page of another site, where a folder's file puts it (Fumadocs' `"[Changelog](https://…)"`). */
export interface NavExternalLink {
  type: 'external';
  label: string;
  url: string;
}

export type NavNode = NavLink | NavGroup | NavSeparator | NavExternalLink;

/** What a folder's own file says of its group (`sidebar-folders.ts` reads it). Every field is optional. */
export interface NavFolder {
  /** The group's label, over its folder page's title (Fumadocs' `title`, Docusaurus' `label`). */
  label?: string;
  /** The group's place among its siblings, over its folder page's `order` (Docusaurus' `position`). */
  order?: number;
  /** Whether the group starts open (Fumadocs' `defaultOpen`, Docusaurus' `collapsed: false`) or closed. */
  open?: boolean;
  /** The order of the folder's entries (Fumadocs' `pages`): names without extension, `...`, `---Label---`, `[Label](url)`. */
  pages?: readonly string[];
}

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

/** How a folder's `pages` list places its entries: each name's rank, where the rest go, and its separators and links. */
interface PageList {
  ranks: Map<string, number>;
  rest: number;
  restReversed: boolean;
  extras: { node: NavSeparator | NavExternalLink; rank: number }[];
}

/** Reads a folder's `pages` list (see the module's comment); entries of other kinds (`...folder`, `!name`) are ignored. */
function pageList(entries: readonly string[]): PageList {
  const list: PageList = { ranks: new Map(), rest: entries.length, restReversed: false, extras: [] };
  let restSeen = false;
  entries.forEach((raw, rank) => {
    const entry = raw.trim().replace(/^\.\//, '');
    const separator = /^---(.*)---$/.exec(entry);
    const link = /^(?:\[[^\]]*\])?\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)$/.exec(entry);
    if (entry === '...' || entry === 'z...a') {
      if (restSeen) return;
      restSeen = true;
      list.rest = rank;
      list.restReversed = entry === 'z...a';
    } else if (separator) list.extras.push({ node: { type: 'separator', label: separator[1]!.trim() }, rank });
    else if (link) list.extras.push({ node: { type: 'external', label: link[1]!.trim(), url: link[2]! }, rank });
    else if (/^[^.!\[]/.test(entry)) {
      const name = entry.replace(/\/+$/, '').replace(/\.mdx?$/i, '');
      if (!list.ranks.has(name)) list.ranks.set(name, rank);
    }
  });
  return list;
}

/** The name a folder's `pages` list gives a sidebar entry: its folder's or file's name without extension, `index` for a folder page. */
function entryName(node: NavLink | NavGroup): string {
  if (node.type === 'group') return node.folder.slice(node.folder.lastIndexOf('/') + 1);
  return isFolderPage(node.path) ? 'index' : node.path.slice(node.path.lastIndexOf('/') + 1).replace(/\.mdx?$/i, '');
}

/**
 * Builds the sidebar tree from every page of the site, and what the folders' own files say of
 * their groups (`folders`, by folder relative to the content folder; `''` is the root).
 */
export function buildNav(pages: readonly NavPage[], folders: ReadonlyMap<string, NavFolder> = new Map()): NavNode[] {
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

  // What the folders' own files say: over their folder pages' title and order.
  for (const [folder, group] of groups) {
    const settings = folders.get(folder);
    if (settings?.label !== undefined && folder !== '') group.label = settings.label;
    if (settings?.order !== undefined) group.order = settings.order;
    if (settings?.open !== undefined) group.open = settings.open;
  }

  const sortGroup = (group: NavGroup) => {
    const entries = folders.get(group.folder)?.pages;
    const list = entries ? pageList(entries) : undefined;
    const extras = new Map<NavNode, number>(list?.extras.map(({ node, rank }) => [node, rank]));
    group.children.push(...extras.keys());
    /** Where the folder's `pages` list puts a node: listed ones first, the folder's page before the rest. */
    const rank = (node: NavNode): number => {
      if (!list) return 0;
      if (node.type === 'separator' || node.type === 'external') return extras.get(node)!;
      const name = entryName(node);
      const listed = list.ranks.get(name);
      if (listed !== undefined) return listed;
      return name === 'index' && node.type === 'link' ? -1 : list.rest;
    };
    group.children.sort((a, b) => {
      const ra = rank(a);
      const rb = rank(b);
      if (ra !== rb) return ra - rb;
      const reversed = list?.restReversed && ra === list.rest ? -1 : 1;
      // At the root, pages before groups; inside a group, one order for both.
      if (group === root && a.type !== b.type) return a.type === 'link' ? -1 : 1;
      return reversed * compare(a as NavLink | NavGroup, b as NavLink | NavGroup);
    });
    for (const child of group.children) if (child.type === 'group') sortGroup(child);
  };
  sortGroup(root);
  // Groups left empty (every page hidden) are dropped, and so are separators with nothing after them.
  const prune = (nodes: NavNode[]): NavNode[] => {
    const kept = nodes.flatMap((node): NavNode[] => {
      if (node.type !== 'group') return [node];
      const children = prune(node.children);
      return children.some((child) => child.type !== 'separator') || node.url ? [{ ...node, children }] : [];
    });
    return kept.filter((node, i) => node.type !== 'separator' || (kept[i + 1] !== undefined && kept[i + 1]!.type !== 'separator'));
  };
  return prune(root.children);
}

/** The sidebar's links in reading order (for previous/next links). */
export function flattenNav(nodes: readonly NavNode[]): NavLink[] {
  return nodes.flatMap((node) => (node.type === 'link' ? [node] : node.type === 'group' ? flattenNav(node.children) : []));
}

/**
 * The sidebar's links in reading order, each labelled to be read on its own, away from its group
 * (the cards of the generated home page, previous/next links): a folder's page, listed as
 * "Overview" inside its group, by its group's label ("Guide").
 */
export function labelledLinks(nodes: readonly NavNode[], group?: NavGroup): NavLink[] {
  return nodes.flatMap((node): NavLink[] => {
    if (node.type === 'group') return labelledLinks(node.children, node);
    if (node.type !== 'link') return [];
    return group && node.url === group.url && isFolderPage(node.path) ? [{ ...node, label: group.label }] : [node];
  });
}

/** Each tree's pages in reading order, every URL once, and where each URL is in that order. */
const readingOrders = new WeakMap<readonly NavNode[], { links: NavLink[]; index: Map<string, number> }>();

function readingOrder(nodes: readonly NavNode[]): { links: NavLink[]; index: Map<string, number> } {
  let order = readingOrders.get(nodes);
  if (order === undefined) {
    const links: NavLink[] = [];
    const index = new Map<string, number>();
    for (const link of labelledLinks(nodes)) {
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
 * The previous and next pages around `url` in reading order, labelled to be read on their own
 * ({@link labelledLinks}: a folder's page by its folder). The order is worked out once per
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
  if (node.type !== 'group') return false;
  return node.url === url || node.children.some((child) => containsUrl(child, url));
}
