import { describe, expect, it } from 'vitest';
import { buildNav, flattenNav, labelFromName, neighbours, type NavGroup, type NavLink, type NavNode, type NavPage } from '../site/src/lib/nav';

const pages: NavPage[] = [
  { path: 'index.md', title: 'Introduction' },
  { path: 'guide/quick-start.md', title: 'Quick start', order: 1 },
  { path: 'guide/configuration.md', title: 'Configuration', order: 2 },
  { path: 'guide/index.md', title: 'Guide', order: 1 },
  { path: 'guide/zeta.md', title: 'Zeta' },
  { path: 'guide/alpha.md', title: 'Alpha' },
  { path: 'api/index.md', title: 'API reference', order: 2 },
  { path: 'api/routing.md', title: 'Routing', order: 1 },
  { path: 'api/helpers/cookie.md', title: 'Cookie helper' },
  { path: 'getting-started/node.md', title: 'Node.js' },
  { path: 'faq.md', title: 'FAQ', order: 5 },
  { path: 'hidden.md', title: 'Hidden', sidebar: false },
  { path: 'concepts/_index.md', title: 'Concepts', order: 3 },
  { path: 'concepts/pods.md', title: 'Pods' },
  { path: 'concepts/services.md', title: 'Services and how to expose them', label: 'Services', order: 1 },
  { path: 'book/README.md', title: 'The book', order: 4 },
  { path: 'book/chapter-1.md', title: 'Chapter 1' },
];

describe('buildNav', () => {
  const nav = buildNav(pages);

  it('lists root pages first (index first), then folders as groups in frontmatter order', () => {
    expect(nav.map((n) => n.label)).toEqual(['Introduction', 'FAQ', 'Guide', 'API reference', 'Concepts', 'The book', 'Getting started']);
    expect(nav[0]).toMatchObject({ type: 'link', url: '/' });
  });

  it('labels a group from its index page, else from the folder name', () => {
    const guide = nav.find((n) => n.label === 'Guide') as NavGroup;
    expect(guide).toMatchObject({ type: 'group', folder: 'guide', url: '/guide/', order: 1 });
    const gs = nav.find((n) => n.label === 'Getting started') as NavGroup;
    expect(gs.url).toBeUndefined();
    // Hugo's section page, `_index.md`, is its folder's page.
    const concepts = nav.find((n) => n.label === 'Concepts') as NavGroup;
    expect(concepts).toMatchObject({ type: 'group', url: '/concepts/', order: 3 });
    expect(concepts.children.map((c) => c.label)).toEqual(['Overview', 'Services', 'Pods']);
    // So is a README (MkDocs, Docusaurus, GitBook).
    const book = nav.find((n) => n.label === 'The book') as NavGroup;
    expect(book).toMatchObject({ type: 'group', url: '/book/', order: 4 });
    expect(book.children.map((c) => c.label)).toEqual(['Overview', 'Chapter 1']);
  });

  it('sorts pages by order, then by title, with the folder overview first', () => {
    const guide = nav.find((n) => n.label === 'Guide') as NavGroup;
    expect(guide.children.map((c) => c.label)).toEqual(['Overview', 'Quick start', 'Configuration', 'Alpha', 'Zeta']);
  });

  it('nests sub-folders and uses documentUrl for links', () => {
    const api = nav.find((n) => n.label === 'API reference') as NavGroup;
    const helpers = api.children.find((c) => c.label === 'Helpers') as NavGroup;
    expect(helpers.children).toEqual([expect.objectContaining({ label: 'Cookie helper', url: '/api/helpers/cookie/' })]);
  });

  it('lists a page by its sidebar label when it has one (Starlight\'s sidebar.label, Docusaurus\' sidebar_label)', () => {
    const concepts = nav.find((n) => n.label === 'Concepts') as NavGroup;
    expect(concepts.children[1]).toMatchObject({ type: 'link', label: 'Services', url: '/concepts/services/' });
  });

  it('hides pages with sidebar: false', () => {
    expect(flattenNav(nav).some((l) => l.label === 'Hidden')).toBe(false);
  });

  it('gives previous and next pages in reading order', () => {
    expect(neighbours(nav, '/guide/quick-start/')).toMatchObject({ prev: { url: '/guide/' }, next: { url: '/guide/configuration/' } });
    expect(neighbours(nav, '/').prev).toBeUndefined();
    expect(neighbours(nav, '/nope/')).toEqual({});
  });

  it('lists a page listed twice once in the reading order (its first place)', () => {
    const link = (url: string): NavLink => ({ type: 'link', label: url, url, path: `${url}.md`, order: undefined });
    const tree: NavNode[] = [link('/a/'), link('/b/'), link('/a/'), link('/c/')];
    expect(neighbours(tree, '/b/')).toMatchObject({ prev: { url: '/a/' }, next: { url: '/c/' } });
    expect(neighbours(tree, '/a/')).toMatchObject({ next: { url: '/b/' } });
  });

  it('reads each page of the tree a bounded number of times when asked about every page', () => {
    let reads = 0;
    const link = (url: string): NavLink => {
      const node = { type: 'link', label: url, path: `${url}.md`, order: undefined } as NavLink;
      Object.defineProperty(node, 'url', { get: () => (reads++, url), enumerable: true });
      return node;
    };
    const urls = Array.from({ length: 400 }, (_, i) => `/p${i}/`);
    const tree: NavNode[] = urls.map(link);
    for (const url of urls) expect(neighbours(tree, url).next?.url).toBe(url === '/p399/' ? undefined : `/p${Number(url.slice(2, -1)) + 1}/`);
    // Each page's own answer reads at most its two neighbours' URLs; working out the order reads each URL a few times.
    expect(reads).toBeLessThan(10 * urls.length);
  });
});

describe('labelFromName', () => {
  it('turns file names into labels', () => {
    expect(labelFromName('hello_world-again.mdx')).toBe('Hello world again');
  });
});
