import { describe, expect, it } from 'vitest';
import { buildNav, flattenNav, type NavPage } from '../site/src/lib/nav';
import { FULL_SIDEBAR_MAX_LINKS, sidebarFor, type SidebarNode } from '../site/src/lib/sidebar';

/** A site of `products` product folders, each with `perProduct` pages in two sub-folders. */
function site(products: number, perProduct: number, pagesOf = (_product: number) => perProduct): NavPage[] {
  const pages: NavPage[] = [{ path: 'index.md', title: 'Home' }];
  for (let p = 0; p < products; p++) {
    pages.push({ path: `products/p${p}/index.md`, title: `Product ${p}` });
    for (let i = 0; i < pagesOf(p); i++) pages.push({ path: `products/p${p}/${i % 2 ? 'guides' : 'api'}/page-${i}.md`, title: `Page ${p}.${i}` });
  }
  return pages;
}

const links = (nodes: readonly SidebarNode[]): number =>
  nodes.reduce((n, node) => n + (node.type === 'group' ? links(node.children) : 1), 0);

describe('sidebarFor', () => {
  it('shows the whole tree on every page of a small site', () => {
    const nav = buildNav(site(3, 10));
    expect(flattenNav(nav).length).toBeLessThanOrEqual(FULL_SIDEBAR_MAX_LINKS);
    expect(sidebarFor(nav, '/products/p0/api/page-0/')).toEqual(nav);
  });

  it('on a large site, opens the groups leading to the page and lists their pages', () => {
    const nav = buildNav(site(40, 50));
    const sidebar = sidebarFor(nav, '/products/p7/guides/page-3/');
    const products = sidebar.find((n) => n.label === 'Products');
    expect(products?.type).toBe('group');
    if (products?.type !== 'group') return;
    const p7 = products.children.find((n) => n.label === 'Product 7');
    expect(p7?.type).toBe('group');
    if (p7?.type !== 'group') return;
    const guides = p7.children.find((n) => n.label === 'Guides');
    expect(guides?.type).toBe('group');
    if (guides?.type !== 'group') return;
    expect(guides.children.map((n) => n.type === 'link' && n.url)).toContain('/products/p7/guides/page-3/');
    expect(guides.children).toHaveLength(25);
  });

  it('on a large site, shows every other group as one link to its folder page, else its first page', () => {
    const nav = buildNav(site(40, 50));
    const sidebar = sidebarFor(nav, '/products/p7/guides/page-3/');
    const products = sidebar.find((n) => n.label === 'Products');
    if (products?.type !== 'group') throw new Error('Products should be open');
    expect(products.children.find((n) => n.label === 'Product 8')).toEqual({ type: 'group-link', label: 'Product 8', folder: 'products/p8', url: '/products/p8/' });
    const p7 = products.children.find((n) => n.label === 'Product 7');
    if (p7?.type !== 'group') throw new Error('Product 7 should be open');
    // `api` has no folder page: its link leads to its first page.
    expect(p7.children.find((n) => n.label === 'Api')).toEqual({ type: 'group-link', label: 'Api', folder: 'products/p7/api', url: '/products/p7/api/page-0/' });
  });

  it("keeps a page's sidebar the same size however many pages other groups hold", () => {
    const small = sidebarFor(buildNav(site(40, 50)), '/products/p7/guides/page-3/');
    const large = sidebarFor(buildNav(site(40, 50, (p) => (p === 7 ? 50 : 200))), '/products/p7/guides/page-3/');
    expect(links(large)).toBe(links(small));
    expect(links(small)).toBeLessThan(100);
  });

  it('opens nothing but the root level on a page outside every group', () => {
    const nav = buildNav(site(40, 50));
    const sidebar = sidebarFor(nav, '/');
    expect(sidebar.map((n) => n.type)).toEqual(['link', 'group-link']);
  });
});
