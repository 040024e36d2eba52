import { describe, expect, it } from 'vitest';
import { buildNav, flattenNav, labelFromName, labelledLinks, neighbours, type NavFolder, type NavGroup, type NavLink, type NavNode, type NavPage } from '../site/src/lib/nav';
import { titleFromPath } from '../ingest/parse';

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

  it('lists the root index first, then root pages and folders together in frontmatter order, then unordered pages, then unordered folders', () => {
    expect(nav.map((n) => n.label)).toEqual(['Introduction', 'Guide', 'API reference', 'Concepts', 'The book', 'FAQ', 'Getting started']);
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

describe('buildNav with folder files (Fumadocs meta.json, Docusaurus _category_.json)', () => {
  const site: NavPage[] = [
    { path: 'index.mdx', title: 'Introduction' },
    { path: 'support.mdx', title: 'Support policy' },
    { path: 'telemetry.mdx', title: 'Telemetry' },
    { path: 'core-concepts/index.mdx', title: 'Core concepts' },
    { path: 'core-concepts/remote-caching.mdx', title: 'Remote Caching' },
    { path: 'core-concepts/package-types.mdx', title: 'Package types' },
    { path: 'core-concepts/internal.mdx', title: 'Internal Packages' },
    { path: 'getting-started/index.mdx', title: 'Getting started' },
    { path: 'getting-started/installation.mdx', title: 'Installation' },
    { path: 'getting-started/examples.mdx', title: 'Start with an example' },
    { path: 'getting-started/editors.mdx', title: 'Editor integration' },
    { path: 'getting-started/a-later.mdx', title: 'A later page' },
    { path: 'reference/index.mdx', title: 'Reference' },
    { path: 'reference/run.mdx', title: 'run' },
    { path: 'reference/configuration.mdx', title: 'Configuring turbo.json' },
    { path: 'reference/globs.mdx', title: 'File globs' },
    { path: 'reference/zz-unlisted.mdx', title: 'Unlisted' },
    { path: 'plugins/a.md', title: 'Plugin A', order: 2 },
    { path: 'plugins/b.md', title: 'Plugin B', order: 1 },
    { path: 'guides/index.md', title: 'Guides', order: 1 },
    { path: 'guides/a.md', title: 'Guide A' },
    { path: 'guides/b.md', title: 'Guide B' },
    { path: 'guides/c.md', title: 'Guide C' },
  ];
  const folders = new Map<string, NavFolder>([
    ['', { pages: ['index', 'getting-started', 'reference', 'core-concepts', 'support', '[Changelog](https://github.com/vercel/turborepo/releases)', '...'] }],
    ['getting-started', { pages: ['installation', 'examples.mdx', './editors', '...'], open: true }],
    ['core-concepts', { pages: ['remote-caching', 'package-types', 'internal'] }],
    ['reference', { label: 'API reference', pages: ['---Configuration---', 'configuration', 'globs', '---Commands---', 'run'] }],
    ['plugins', { label: 'Plugins', order: 0, open: false }],
    ['guides', { pages: ['c', 'z...a', '---Empty---'] }],
  ]);
  const nav = buildNav(site, folders);
  const labels = (nodes: readonly NavNode[]) => nodes.map((n) => (n.type === 'separator' ? `--${n.label}--` : n.label));
  const group = (label: string) => nav.find((n) => n.label === label) as NavGroup;

  it("orders the root as its pages list says, groups and pages mixed; the rest where `...` is, in their order", () => {
    expect(labels(nav)).toEqual(['Introduction', 'Getting started', 'API reference', 'Core concepts', 'Support policy', 'Changelog', 'Plugins', 'Guides', 'Telemetry']);
    expect(nav[5]).toEqual({ type: 'external', label: 'Changelog', url: 'https://github.com/vercel/turborepo/releases' });
  });

  it('orders a folder as its pages list says (names with or without extension), the folder page first and the rest where `...` is', () => {
    expect(labels(group('Getting started').children)).toEqual(['Overview', 'Installation', 'Start with an example', 'Editor integration', 'A later page']);
    expect(labels(group('Core concepts').children)).toEqual(['Overview', 'Remote Caching', 'Package types', 'Internal Packages']);
    // `z...a`: the rest in reverse; a separator with nothing after it is left out.
    expect(labels(group('Guides').children)).toEqual(['Overview', 'Guide C', 'Guide B', 'Guide A']);
  });

  it('takes the label, position and open state from the folder file, over the folder page', () => {
    expect(group('API reference')).toMatchObject({ folder: 'reference', url: '/reference/' });
    expect(group('Plugins')).toMatchObject({ order: 0, open: false, url: undefined });
    expect(labels(group('Plugins').children)).toEqual(['Plugin B', 'Plugin A']);
    expect(group('Getting started').open).toBe(true);
    expect(group('Core concepts').open).toBeUndefined();
  });

  it('shows separators where the list puts them, and leaves out the pages it does not list when it has no `...`', () => {
    expect(labels(group('API reference').children)).toEqual(['Overview', '--Configuration--', 'Configuring turbo.json', 'File globs', '--Commands--', 'run']);
    // Left out of the reading order too, as a page with `sidebar: false` is.
    expect(flattenNav(nav).map((l) => l.url)).not.toContain('/reference/zz-unlisted/');
    expect(neighbours(nav, '/reference/zz-unlisted/')).toEqual({});
  });

  it("leaves out the root's unlisted pages and groups, the home page too, when the root's list has no `...`", () => {
    const root = buildNav(site, new Map([['', { pages: ['getting-started', 'support'] }]]));
    expect(labels(root)).toEqual(['Getting started', 'Support policy']);
  });

  it('takes a sub-folder\'s entries into the list where it says `...name`, its folder page named by its group', () => {
    const nested: NavPage[] = [
      { path: 'guides/index.md', title: 'Guides' },
      { path: 'guides/a.md', title: 'Guide A' },
      { path: 'guides/tools/index.md', title: 'Tools' },
      { path: 'guides/tools/docker.md', title: 'Docker' },
      { path: 'guides/tools/biome.md', title: 'Biome' },
      { path: 'guides/more/x.md', title: 'X' },
    ];
    const nav = buildNav(nested, new Map([['guides', { pages: ['a', '...tools', '---', '...'] }], ['guides/tools', { pages: ['docker', 'biome'] }]]));
    const guides = nav[0] as NavGroup;
    expect(labels(guides.children)).toEqual(['Overview', 'Guide A', 'Tools', 'Docker', 'Biome', '----', 'More']);
    expect(guides.children[2]).toMatchObject({ type: 'link', label: 'Tools', url: '/guides/tools/' });
    expect(flattenNav(nav).map((l) => l.label)).toEqual(['Overview', 'Guide A', 'Tools', 'Docker', 'Biome', 'X']);
  });

  it('keeps the pages a list names `!name` out of its `...`', () => {
    const nav = buildNav(site.filter((p) => p.path.startsWith('guides/')), new Map([['guides', { pages: ['...', '!b'] }]]));
    expect(labels((nav[0] as NavGroup).children)).toEqual(['Overview', 'Guide A', 'Guide C']);
  });

  it('makes `[Label](/path/)` a link to that page of the site, in the reading order; one to no page is a notice', () => {
    const notices: string[] = [];
    const nav = buildNav(
      site.filter((p) => p.path.startsWith('guides/') || p.path === 'support.mdx'),
      new Map([['guides', { pages: ['a', '[Our support](/support)', '[Home](/docs/)', 'external:[Status](/status)', 'b', 'missing'] }]]),
      { onNotice: (notice) => notices.push(notice) },
    );
    const guides = nav.find((n) => n.type === 'group') as NavGroup;
    expect(labels(guides.children)).toEqual(['Overview', 'Guide A', 'Our support', 'Status', 'Guide B']);
    expect(guides.children[2]).toEqual({ type: 'link', label: 'Our support', url: '/support/', path: 'support.mdx', order: undefined });
    expect(guides.children[3]).toEqual({ type: 'external', label: 'Status', url: '/status' });
    expect(notices).toEqual([
      '[docent] guides/meta.json: pages links "Home" to /docs/, which is no page of this site: left out of the sidebar',
      '[docent] guides/meta.json: pages entry "missing" names no page or folder here: ignored',
    ]);
  });

  it('leaves separators and links to other sites out of the reading order', () => {
    const urls = flattenNav(nav).map((l) => l.url);
    expect(urls).not.toContain('https://github.com/vercel/turborepo/releases');
    expect(neighbours(nav, '/support/')).toMatchObject({ prev: { url: '/core-concepts/internal/' }, next: { url: '/plugins/b/' } });
  });

  it('lists a page named by a path in another folder there and not in its own folder, as Fumadocs does; a path to no page is a notice', () => {
    const notices: string[] = [];
    const other = buildNav(
      site.filter((p) => p.path.startsWith('guides/') || p.path.startsWith('plugins/') || p.path.startsWith('reference/')),
      new Map([['guides', { pages: ['a', '../plugins/b', './../reference/index', '../reference', 'sub/missing', '...'] }]]),
      { onNotice: (n) => notices.push(n) },
    );
    const byLabel = (label: string) => other.find((n) => n.label === label) as NavGroup;
    // A folder's page is named by its folder out of its group.
    expect(labels(byLabel('Guides').children)).toEqual(['Overview', 'Guide A', 'Plugin B', 'Reference', 'Guide B', 'Guide C']);
    expect(byLabel('Guides').children[2]).toMatchObject({ type: 'link', url: '/plugins/b/', path: 'plugins/b.md' });
    expect(labels(byLabel('Plugins').children)).toEqual(['Plugin A']);
    expect(labels(byLabel('Reference').children)).toEqual(['Configuring turbo.json', 'File globs', 'run', 'Unlisted']);
    expect(byLabel('Reference').url).toBe('/reference/');
    expect(flattenNav(other).filter((l) => l.url === '/plugins/b/')).toHaveLength(1);
    expect(notices).toEqual([
      '[docent] guides/meta.json: pages entry "../reference" names no page (a path in pages may name a page, not a folder): ignored',
      '[docent] guides/meta.json: pages entry "sub/missing" names no page (a path in pages may name a page, not a folder): ignored',
    ]);
  });

  it('ignores `...name` of no sub-folder and names of no page, with a notice', () => {
    const notices: string[] = [];
    const other = buildNav(site.filter((p) => p.path.startsWith('guides/')), new Map([['guides', { pages: ['...a', 'missing', 'b'] }]]), { onNotice: (n) => notices.push(n) });
    expect(labels((other[0] as NavGroup).children)).toEqual(['Overview', 'Guide B']);
    expect(notices).toEqual([
      '[docent] guides/meta.json: pages entry "...a" names no sub-folder with pages: ignored',
      '[docent] guides/meta.json: pages entry "missing" names no page or folder here: ignored',
    ]);
  });
});

describe('buildNav with Docusaurus positions and number prefixes', () => {
  it('orders root pages and folders together by position (sidebar_position, _category_ position), as Docusaurus does', () => {
    const nav = buildNav(
      [
        { path: 'intro.md', title: 'Intro', order: 1 },
        { path: 'tutorial-basics/create-a-page.md', title: 'Create a page', order: 1 },
        { path: 'tutorial-extras/manage-versions.md', title: 'Manage versions' },
        { path: 'faq.md', title: 'FAQ', order: 4 },
        { path: 'changelog.md', title: 'Changelog' },
        { path: 'extras/more.md', title: 'More' },
      ],
      new Map([['tutorial-basics', { label: 'Tutorial - Basics', order: 2 }], ['tutorial-extras', { label: 'Tutorial - Extras', order: 3 }]]),
    );
    expect(nav.map((n) => n.label)).toEqual(['Intro', 'Tutorial - Basics', 'Tutorial - Extras', 'FAQ', 'Changelog', 'Extras']);
    expect(flattenNav(nav).map((l) => l.label)).toEqual(['Intro', 'Create a page', 'Manage versions', 'FAQ', 'Changelog', 'More']);
  });

  it("orders by a file or folder name's number prefix and leaves it out of labels made from the name; URLs keep it", () => {
    // Pages without a title or heading are titled from their file name (`titleFromPath`), without its prefix.
    const untitled = (path: string) => ({ path, title: titleFromPath(path) });
    const nav = buildNav([
      untitled('10-advanced/index.md'),
      { path: '10-advanced/b.md', title: 'B' },
      { path: '02-guides/10-deploy.md', title: 'Deploying' },
      untitled('02-guides/2-setup.md'),
      untitled('02-guides/1_first steps.md'),
      untitled('01-intro.md'),
      { path: '3 - FAQ.md', title: 'Frequently asked', order: 30 },
      untitled('2021-01-31-notes.md'),
    ]);
    expect(nav.map((n) => n.label)).toEqual(['Intro', 'Guides', 'Advanced', 'Frequently asked', '2021 01 31 notes']);
    const guides = nav[1] as NavGroup;
    expect(guides).toMatchObject({ folder: '02-guides', order: 2, url: undefined });
    expect(guides.children.map((c) => [c.label, (c as NavLink).url])).toEqual([
      ['First steps', '/02-guides/1_first%20steps/'],
      ['Setup', '/02-guides/2-setup/'],
      ['Deploying', '/02-guides/10-deploy/'],
    ]);
    expect(nav[2]).toMatchObject({ label: 'Advanced', order: 10, url: '/10-advanced/' });
    expect(nav[0]).toMatchObject({ url: '/01-intro/', order: 1 });
  });
});

describe('labelledLinks', () => {
  it("labels a folder's page by its group, not as the \"Overview\" it is inside the group", () => {
    const nav = buildNav([
      { path: 'guide/index.md', title: 'Guide' },
      { path: 'guide/setup.md', title: 'Setup' },
      { path: 'api/README.md', title: 'API' },
      { path: 'faq.md', title: 'FAQ' },
    ]);
    expect(labelledLinks(nav).map((l) => [l.label, l.url])).toEqual([
      ['FAQ', '/faq/'],
      ['API', '/api/'],
      ['Guide', '/guide/'],
      ['Setup', '/guide/setup/'],
    ]);
    expect(neighbours(nav, '/faq/').next).toMatchObject({ label: 'API', url: '/api/' });
  });
});

describe('labelFromName', () => {
  it('turns file names into labels', () => {
    expect(labelFromName('hello_world-again.mdx')).toBe('Hello world again');
    expect(labelFromName('02-getting-started')).toBe('Getting started');
    expect(labelFromName('7.0-release')).toBe('7.0 release');
    // A Fumadocs folder group, (name), is labelled by its name.
    expect(labelFromName('(getting-started)')).toBe('Getting started');
    expect(labelFromName('(01-guides)')).toBe('Guides');
  });

  it('groups the pages of a Fumadocs folder group, (name), under its name; their URLs leave the group out, as on Fumadocs', () => {
    const nav = buildNav([
      { path: 'index.mdx', title: 'Home' },
      { path: '(guides)/setup.mdx', title: 'Setup' },
      { path: '(guides)/deploy.mdx', title: 'Deploy' },
    ]);
    expect(nav.map((n) => n.label)).toEqual(['Home', 'Guides']);
    expect((nav[1] as NavGroup).children.map((c) => [c.label, (c as NavLink).url])).toEqual([
      ['Deploy', '/deploy/'],
      ['Setup', '/setup/'],
    ]);
  });
});
