/**
 * The docs sidebar, built from the content folder's structure and each page's frontmatter.
 *
 * Rules:
 * - Every folder is a group. Its label and position come from the folder's page (`index.md(x)`,
 *   `_index.md`, or a `README.md`: `ingest/folder-page.ts`; its `title`, `order`) when it has
 *   one, otherwise from the folder name (`getting-started` → "Getting started"; a Fumadocs
 *   folder group, `(guides)`, → "Guides"), placed after ordered siblings.
 * - A file or folder name's number prefix, as Docusaurus reads it (`01-intro.md`, `02-guides/`),
 *   is its position when nothing else gives one, and is left out of a label made from the name
 *   ("Intro", "Guides"). URLs keep it (`/02-guides/01-intro/`).
 * - Pages and sub-groups are sorted together by `order` (those without one come last), then by
 *   title, as Docusaurus sorts by position. At the root, those without an `order` are pages
 *   first, then groups. A folder's index page is listed first inside its group as "Overview".
 * - The root's folder page (`index.md`) is the home page, listed first.
 * - `sidebar: false` in frontmatter hides a page from the sidebar (it is still built).
 * - A page is listed by its title, or by its sidebar label when it has one (Starlight's
 *   `sidebar.label`, Docusaurus' `sidebar_label`).
 * - A folder's own file (Fumadocs' `meta.json`, Docusaurus' `_category_.json`: `sidebar-folders.ts`)
 *   gives its group's label, position and whether it starts open, over its folder page's. Its
 *   `pages` list says what the group shows, as Fumadocs reads it (by name without extension;
 *   `index` is the folder's page): the pages and sub-folders it names, in its order, with
 *   separators (`---Label---`, `---`), links (`[Label](https://…)`, or `[Label](/path/)` to a
 *   page of the site), a sub-folder's own entries where it says `...name`, and a page of another
 *   folder where it gives its path (`../reference/cli`: the page leaves its own folder). The
 *   others go where it says `...` (`z...a`: in reverse), in the order above, except those it
 *   names `!name`; with no `...` they are not in the sidebar. A folder's page not named stays first in its group.
 * - A page left out of the sidebar is still built, found by search and reachable by links; it is
 *   not in the reading order (previous/next links), like a page with `sidebar: false`.
 */
import { posix } from 'node:path';
import { folderOfPage } from '../../../ingest/folder-page';
import { numberPrefix } from '../../../ingest/number-prefix';
import { isFolderGroupName } from '../../../ingest/page-links';
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

/** A separator between a group's pages: a label (Fumadocs' `"---Commands---"`), or a line when it has none (`"---"`). */
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

/**
 * "getting-started" → "Getting started"; "02-guides" → "Guides" (a number prefix is left out:
 * `ingest/number-prefix.ts`, as in a page title made from its file name); a Fumadocs folder group
 * "(getting-started)" → "Getting started".
 */
export function labelFromName(name: string): string {
  const bare = name.replace(/\.mdx?$/i, '');
  const words = numberPrefix(isFolderGroupName(bare) ? bare.slice(1, -1) : bare).name.replace(/[-_]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : name;
}

/** The number prefix of a path's last file or folder name (`guides/01-intro.md` → 1). */
const prefixOf = (path: string) => numberPrefix(path.slice(path.lastIndexOf('/') + 1).replace(/\.mdx?$/i, '')).prefix;

function compare(a: { order: number | undefined; label: string }, b: { order: number | undefined; label: string }) {
  const ao = a.order ?? Number.POSITIVE_INFINITY;
  const bo = b.order ?? Number.POSITIVE_INFINITY;
  if (ao !== bo) return ao < bo ? -1 : 1;
  return a.label.localeCompare(b.label, 'en', { sensitivity: 'base', numeric: true });
}

/** A folder's `pages` list entry of each kind (Fumadocs' syntax), as `placeByList` reads it. */
const SEPARATOR_ENTRY = /^---(?:\[[^\]]+\])?(.*)---$|^---$/;
const LINK_ENTRY = /^(external:)?(?:\[[^\]]+\])?\[([^\]]+)\]\(([^)\s]+)\)$/;

/**
 * The children of `group` (sorted) as its folder's `pages` list `entries` places them (see the
 * module's comment): named ones where the list names them, the rest where it says `...`, or left
 * out when it does not say it. A folder's page it does not name stays first, except the root's
 * (the home page), which Fumadocs leaves out too.
 */
function placeByList(
  group: NavGroup,
  entries: readonly string[],
  isRoot: boolean,
  pageUrls: ReadonlyMap<string, string>,
  linkAt: (path: string) => NavLink | undefined,
  notice: (message: string) => void,
): NavNode[] {
  const file = group.folder ? `${group.folder}/meta.json` : 'meta.json';
  const children = group.children.filter((node): node is NavLink | NavGroup => node.type === 'link' || node.type === 'group');
  const byName = new Map<string, NavLink | NavGroup>();
  for (const child of children) if (!byName.has(entryName(child))) byName.set(entryName(child), child);
  const nameOf = (entry: string) => entry.replace(/^\.\//, '').replace(/\/+$/, '').replace(/\.mdx?$/i, '');
  const named = new Set<string>(); // named, excluded (`!name`) or extracted (`...name`): not in the rest
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === '...' || entry === 'z...a' || SEPARATOR_ENTRY.test(entry) || LINK_ENTRY.test(entry)) continue;
    named.add(nameOf(entry.replace(/^(?:!|\.\.\.)/, '')));
  }
  const folderPage = isRoot ? undefined : byName.get('index');
  const placed: NavNode[] = [];
  const used = new Set<NavNode>();
  const place = (node: NavNode) => {
    if (used.has(node)) return;
    used.add(node);
    placed.push(node);
  };
  let restSeen = false;
  for (const raw of entries) {
    const entry = raw.trim();
    const separator = SEPARATOR_ENTRY.exec(entry);
    const link = LINK_ENTRY.exec(entry);
    if (entry === '...' || entry === 'z...a') {
      if (restSeen) continue;
      restSeen = true;
      const rest = children.filter((child) => !named.has(entryName(child)) && child !== folderPage);
      for (const child of entry === 'z...a' ? rest.reverse() : rest) place(child);
    } else if (separator) {
      placed.push({ type: 'separator', label: (separator[1] ?? '').trim() });
    } else if (link) {
      const [, external, label, url] = link as unknown as [string, string | undefined, string, string];
      if (external || /^[a-z][a-z0-9+.-]*:/i.test(url)) {
        placed.push({ type: 'external', label: label.trim(), url });
        continue;
      }
      const hash = url.indexOf('#');
      const target = (hash === -1 ? url : url.slice(0, hash)).replace(/\/*$/, '/');
      const path = pageUrls.get(target.startsWith('/') ? target : `/${target}`);
      if (path) placed.push({ type: 'link', label: label.trim(), url: hash === -1 ? documentUrl(path) : `${documentUrl(path)}${url.slice(hash)}`, path, order: undefined });
      else notice(`[docent] ${file}: pages links "${label}" to ${url}, which is no page of this site: left out of the sidebar`);
    } else if (entry.startsWith('!')) {
      continue;
    } else if (entry.startsWith('...')) {
      const sub = byName.get(nameOf(entry.slice(3)));
      if (sub?.type === 'group') {
        used.add(sub);
        // Its folder's page, "Overview" inside its group, is named by its group out of it.
        for (const child of sub.children) place(child.type === 'link' && child.url === sub.url && isFolderPage(child.path) ? { ...child, label: sub.label } : child);
      } else notice(`[docent] ${file}: pages entry "${entry}" names no sub-folder with pages: ignored`);
    } else if (nameOf(entry).includes('/')) {
      // A path to a page in another folder (`../reference/cli`, `guides/setup`), as Fumadocs reads it: the page is listed here.
      const link = linkAt(posix.join(group.folder, nameOf(entry)));
      if (link) place(link);
      else notice(`[docent] ${file}: pages entry "${entry}" names no page (a path in pages may name a page, not a folder): ignored`);
    } else {
      const child = byName.get(nameOf(entry));
      if (child) place(child);
      else notice(`[docent] ${file}: pages entry "${entry}" names no page or folder here: ignored`);
    }
  }
  return folderPage && !used.has(folderPage) ? [folderPage, ...placed] : placed;
}

/** The name a folder's `pages` list gives a sidebar entry: its folder's or file's name without extension, `index` for a folder page. */
function entryName(node: NavLink | NavGroup): string {
  if (node.type === 'group') return node.folder.slice(node.folder.lastIndexOf('/') + 1);
  return isFolderPage(node.path) ? 'index' : node.path.slice(node.path.lastIndexOf('/') + 1).replace(/\.mdx?$/i, '');
}

/** Options of {@link buildNav}. */
export interface BuildNavOptions {
  /**
   * Called with each notice about a folder's `pages` list (`[docent] guides/meta.json: …`): an
   * entry that names no page or folder, a link to no page of the site. Default: none is reported.
   */
  onNotice?: (message: string) => void;
}

/**
 * Builds the sidebar tree from every page of the site, and what the folders' own files say of
 * their groups (`folders`, by folder relative to the content folder; `''` is the root).
 */
export function buildNav(pages: readonly NavPage[], folders: ReadonlyMap<string, NavFolder> = new Map(), options: BuildNavOptions = {}): NavNode[] {
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
      order: prefixOf(folder),
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
      group.order = page.order ?? prefixOf(folder);
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
      order: isFolderPage(path) ? Number.NEGATIVE_INFINITY : (page.order ?? prefixOf(path)),
    });
  }

  // What the folders' own files say: over their folder pages' title and order.
  for (const [folder, group] of groups) {
    const settings = folders.get(folder);
    if (settings?.label !== undefined && folder !== '') group.label = settings.label;
    if (settings?.order !== undefined) group.order = settings.order;
    if (settings?.open !== undefined) group.open = settings.open;
  }

  const pageUrls = new Map(pages.map((page) => [documentUrl(page.path.replace(/\\/g, '/')), page.path.replace(/\\/g, '/')]));
  // The sidebar links of pages by path without extension, for paths in `pages` lists; a page listed elsewhere by its path leaves its own folder, as in Fumadocs.
  const links = new Map<string, NavLink>();
  for (const g of groups.values()) {
    for (const child of g.children) {
      if (child.type !== 'link') continue;
      const folder = folderOfPage(child.path);
      links.set(folder === undefined ? child.path.replace(/\.mdx?$/i, '') : posix.join(folder, 'index'), child);
    }
  }
  const moved = new Set<NavNode>();
  const linkAt = (path: string): NavLink | undefined => {
    const link = links.get(path);
    if (!link) return undefined;
    moved.add(link);
    // A folder's page, "Overview" inside its group, is named by its group out of it.
    return { ...link, label: isFolderPage(link.path) ? (groups.get(posix.dirname(path))?.label ?? link.label) : link.label };
  };
  // Each group's sub-groups first: a `...folder` entry takes a sub-folder's entries as they are placed.
  const sortGroup = (group: NavGroup) => {
    for (const child of group.children) if (child.type === 'group') sortGroup(child);
    group.children.sort((a, b) => {
      // One order for pages and groups (Docusaurus' positions); at the root, of those without one, pages first.
      if (group === root && a.type !== b.type && (a as NavLink | NavGroup).order === undefined && (b as NavLink | NavGroup).order === undefined) return a.type === 'link' ? -1 : 1;
      return compare(a as NavLink | NavGroup, b as NavLink | NavGroup);
    });
    const entries = folders.get(group.folder)?.pages;
    if (entries) group.children = placeByList(group, entries, group === root, pageUrls, linkAt, options.onNotice ?? (() => {}));
  };
  sortGroup(root);
  if (moved.size > 0) for (const g of groups.values()) g.children = g.children.filter((child) => !moved.has(child));
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
 * The sidebar's pages in reading order, each once (where the sidebar first lists it: a folder's
 * `pages` list may link to a page listed elsewhere too), labelled to be read on their own
 * ({@link labelledLinks}): the cards of the generated home page.
 */
export function readingLinks(nodes: readonly NavNode[]): readonly NavLink[] {
  return readingOrder(nodes).links;
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
