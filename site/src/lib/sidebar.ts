/**
 * What one page's sidebar shows.
 *
 * A site of up to {@link FULL_SIDEBAR_MAX_LINKS} links shows its whole tree on every page. A
 * larger one shows the root level, and opens only the groups that lead to the current page (with
 * their pages and sub-groups); every other group is one link to its folder page, or to its first
 * page when the folder has none. So a page's sidebar grows with the depth and breadth of its own
 * part of the site, not with the number of pages: 3,000 pages each listing 3,000 links would make
 * the site hundreds of megabytes, and every page slow to load.
 */
import { containsUrl, flattenNav, type NavExternalLink, type NavGroup, type NavLink, type NavNode, type NavSeparator } from './nav';

/** Above this many links, a page's sidebar shows only the groups that lead to it. */
export const FULL_SIDEBAR_MAX_LINKS = 300;

/** A group shown closed, as one link (its pages are not in this page's sidebar). */
export interface SidebarGroupLink {
  type: 'group-link';
  label: string;
  folder: string;
  /** The folder's page, else its first page in reading order. */
  url: string;
}

/** A group shown with its contents. */
export interface SidebarGroup extends Omit<NavGroup, 'children'> {
  children: SidebarNode[];
}

export type SidebarNode = NavLink | SidebarGroup | SidebarGroupLink | NavSeparator | NavExternalLink;

export interface SidebarOptions {
  /** The most links a site may have for every page to show the whole tree. Default {@link FULL_SIDEBAR_MAX_LINKS}. */
  maxFullLinks?: number;
}

const linkCounts = new WeakMap<readonly NavNode[], number>();

function linkCount(nav: readonly NavNode[]): number {
  let count = linkCounts.get(nav);
  if (count === undefined) {
    count = flattenNav(nav).length;
    linkCounts.set(nav, count);
  }
  return count;
}

/** The sidebar of the page at `current` (a URL as `documentUrl()` gives it), from the site's whole tree `nav`. */
export function sidebarFor(nav: readonly NavNode[], current: string, options: SidebarOptions = {}): SidebarNode[] {
  if (linkCount(nav) <= (options.maxFullLinks ?? FULL_SIDEBAR_MAX_LINKS)) return nav as SidebarNode[];
  const shown = (nodes: readonly NavNode[]): SidebarNode[] =>
    nodes.map((node): SidebarNode => {
      if (node.type !== 'group') return node;
      if (containsUrl(node, current)) return { ...node, children: shown(node.children) };
      return { type: 'group-link', label: node.label, folder: node.folder, url: node.url ?? groupEntry(node) };
    });
  return shown(nav);
}

/** True when `url` is `node`'s page or inside its open group (a group shown as one link never holds the current page). */
export function sidebarContains(node: SidebarNode, url: string): boolean {
  if (node.type === 'link') return node.url === url;
  if (node.type !== 'group') return false;
  return node.url === url || node.children.some((child) => sidebarContains(child, url));
}

/** The first page of a group in reading order (a group left in the tree always has one: `buildNav` drops empty ones). */
function groupEntry(group: NavGroup): string {
  return flattenNav(group.children)[0]?.url ?? '/';
}
