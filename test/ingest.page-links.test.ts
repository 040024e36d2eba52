/**
 * `pageLinkUrl()`: links from one page to another, written to the page's file or its path without
 * an extension, lead to that page's URL on the docs site; anything else is left as written. The
 * site build test checks the rendered links (test/fixtures/site-docs/guide/links.md), the parse
 * and sync tests the links in stored chunks.
 */
import { describe, expect, it } from 'vitest';
import { mystLabels } from '../ingest/myst-labels';
import { docusaurusPaths, pageAtPath, pageLinkUrl } from '../ingest/page-links';

const pages = new Set(['index.md', 'docs/api.md', 'docs/Reference/Server.md', 'docs/Reference/Hooks.mdx', 'docs/Guides/index.md', 'docs/hugo/_index.md', 'docs/with space.md']);

describe('pageLinkUrl', () => {
  it('finds a file named in decomposed form (NFD, as on macOS) from a link written in composed form, and the other way round', () => {
    const accented = new Set(['guides/re\u0301sume\u0301.md', 'guides/caf\u00e9.md']);
    expect(pageLinkUrl('./résumé.md#top', 'guides/caf\u00e9.md', accented)).toBe('/guides/r%C3%A9sum%C3%A9/#top');
    expect(pageLinkUrl('./cafe\u0301.md', 'guides/re\u0301sume\u0301.md', accented)).toBe('/guides/caf%C3%A9/');
  });

  it('resolves links to a page file relative to the linking page, keeping the anchor and query', () => {
    expect(pageLinkUrl('./Server.md', 'docs/Reference/Hooks.mdx', pages)).toBe('/docs/Reference/Server/');
    expect(pageLinkUrl('Server.md#listen', 'docs/Reference/Hooks.mdx', pages)).toBe('/docs/Reference/Server/#listen');
    expect(pageLinkUrl('../api.md?x=1#a', 'docs/Reference/Hooks.mdx', pages)).toBe('/docs/api/?x=1#a');
    expect(pageLinkUrl('../Guides/index.md', 'docs/Reference/Server.md', pages)).toBe('/docs/Guides/');
    expect(pageLinkUrl('./with%20space.md', 'docs/api.md', pages)).toBe('/docs/with%20space/');
  });

  it('resolves links starting with / against the content folder, also without the folder\'s own name', () => {
    expect(pageLinkUrl('/docs/api.md#options', 'index.md', pages)).toBe('/docs/api/#options');
    expect(pageLinkUrl('/index.md', 'docs/api.md', pages)).toBe('/');
    const inDocs = new Set(['api.md', 'Reference/Server.md']);
    expect(pageLinkUrl('/docs/api.md', 'Reference/Server.md', inDocs, { rootName: 'docs' })).toBe('/api/');
    expect(pageLinkUrl('/docs/api.md', 'Reference/Server.md', inDocs)).toBe('/api/');
  });

  it("reads a link from the site root as its generator serves the docs when the content folder is not that site's root", () => {
    // The site's `docs/` under another name (`handbook/`): `/docs/…` is read without its first segment.
    const handbook = new Set(['index.md', 'intro.md', 'guides/setup.md', 'docs/api/Client.md', 'sidebar/items.mdx']);
    const from = 'guides/setup.md';
    expect(pageLinkUrl('/docs/guides/setup#install', from, handbook, { rootName: 'handbook' })).toBe('/guides/setup/#install');
    expect(pageLinkUrl('/docs/intro.md', from, handbook, { rootName: 'handbook' })).toBe('/intro/');
    expect(pageLinkUrl('/docs/docs/api/Client.md#options', from, handbook)).toBe('/docs/api/Client/#options');
    // A Docusaurus slug, from the docs' root under the URL's base.
    const slugs = docusaurusPaths([['sidebar/items.mdx', '---\nslug: /sidebar/collapsible\n---\n']]);
    expect(pageLinkUrl('/docs/sidebar/collapsible#x', from, handbook, { slugs })).toBe('/sidebar/items/#x');
    // The path as written wins; a link to one segment (`/docs`) or to no page is left as written.
    expect(pageLinkUrl('/docs/api/Client.md', from, handbook)).toBe('/docs/api/Client/');
    for (const href of ['/docs', '/docs/', '/blog/2021/none', '/docs/../../intro.md', '/chat']) expect(pageLinkUrl(href, from, handbook), href).toBeUndefined();

    // The site's root folder inside the content folder (a repository's `docs/`, Starlight's
    // `src/content/docs/`): read inside the folder that holds every page.
    const starlight = new Set(['src/content/docs/index.mdx', 'src/content/docs/reference/icons.mdx', 'src/content/docs/guides/i18n.md']);
    expect(pageLinkUrl('/reference/icons/#all-icons', 'src/content/docs/guides/i18n.md', starlight)).toBe('/src/content/docs/reference/icons/#all-icons');
    expect(pageLinkUrl('/', 'src/content/docs/guides/i18n.md', starlight)).toBe('/src/content/docs/');
    expect(pageLinkUrl('/src/content/docs/guides/i18n.md', 'src/content/docs/index.mdx', starlight)).toBe('/src/content/docs/guides/i18n/');
    expect(pageLinkUrl('/resources/themes/', 'src/content/docs/index.mdx', starlight)).toBeUndefined();
  });

  it('finds the page of a path without extension (VitePress, Hugo relref), a folder or an .html path', () => {
    expect(pageLinkUrl('./Server', 'docs/Reference/Hooks.mdx', pages)).toBe('/docs/Reference/Server/');
    expect(pageLinkUrl('Hooks#onRequest', 'docs/Reference/Server.md', pages)).toBe('/docs/Reference/Hooks/#onRequest');
    expect(pageLinkUrl('../Guides/', 'docs/Reference/Server.md', pages)).toBe('/docs/Guides/');
    expect(pageLinkUrl('../hugo', 'docs/Reference/Server.md', pages)).toBe('/docs/hugo/');
    expect(pageLinkUrl('./Server.html#x', 'docs/Reference/Hooks.mdx', pages)).toBe('/docs/Reference/Server/#x');
    expect(pageLinkUrl('/', 'docs/api.md', pages)).toBe('/');
  });

  it("finds a folder's README as its page, from a link to the folder or to the file", () => {
    const book = new Set(['README.md', 'guides/README.md', 'guides/auth.md', 'both/index.md', 'both/README.md']);
    expect(pageLinkUrl('../guides/', 'both/index.md', book)).toBe('/guides/');
    expect(pageLinkUrl('README.md#setup', 'guides/auth.md', book)).toBe('/guides/#setup');
    expect(pageLinkUrl('../README.md', 'guides/auth.md', book)).toBe('/');
    expect(pageLinkUrl('/', 'guides/auth.md', book)).toBe('/');
    // A folder with both: the index page is the folder's.
    expect(pageLinkUrl('../both', 'guides/auth.md', book)).toBe('/both/');
  });

  it('reads a bare path that names no page next to the linking page from the content folder, as Hugo\'s relref does', () => {
    expect(pageLinkUrl('docs#installation', 'docs/api.md', new Set(['docs/_index.md', 'docs/api.md']))).toBe('/docs/#installation');
    expect(pageLinkUrl('docs/api', 'docs/Reference/Server.md', pages)).toBe('/docs/api/');
    expect(pageLinkUrl('./docs/api', 'docs/Reference/Server.md', pages)).toBeUndefined();
    // Alike when the content folder wraps the docs' own folder, which holds every page.
    const wrapped = new Set(['docs/index.md', 'docs/quickstart.md', 'docs/advanced/clients.md']);
    expect(pageLinkUrl('quickstart.md#streaming', 'docs/advanced/clients.md', wrapped)).toBe('/docs/quickstart/#streaming');
    expect(pageLinkUrl('./quickstart.md', 'docs/advanced/clients.md', wrapped)).toBeUndefined();
  });

  it('finds a page by its path without number prefixes (Docusaurus URLs), unless two pages share it', () => {
    const numbered = new Set(['docs/02-foundations/index.mdx', 'docs/02-foundations/01-overview.mdx', 'docs/03-core/05-generating-text.mdx', 'docs/04-ui/01-a.md', 'docs/04-ui/02-a.md']);
    const from = 'docs/03-core/05-generating-text.mdx';
    expect(pageLinkUrl('/docs/foundations/overview#why', from, numbered, { rootName: 'docs' })).toBe('/docs/02-foundations/01-overview/#why');
    expect(pageLinkUrl('../foundations', from, numbered)).toBe('/docs/02-foundations/');
    expect(pageLinkUrl('/docs/ui/a', from, numbered)).toBeUndefined();
    expect(pageLinkUrl('./overview.md', 'docs/02-foundations/index.mdx', numbered)).toBeUndefined();
  });

  it('keeps the digits of a date or a version in a path, as Docusaurus and the sidebar do: no number prefix there', () => {
    const dated = new Set(['docs/2021-01-31-release.md', 'docs/7.0-upgrade.md', 'docs/10.intro.md', 'docs/2021-02/01_notes.md']);
    const from = 'docs/10.intro.md';
    // Served by Docusaurus as /docs/2021-01-31-release, /docs/7.0-upgrade: found by their own path.
    expect(pageLinkUrl('/docs/2021-01-31-release', from, dated, { rootName: 'docs' })).toBe('/docs/2021-01-31-release/');
    expect(pageLinkUrl('/docs/7.0-upgrade', from, dated, { rootName: 'docs' })).toBe('/docs/7.0-upgrade/');
    // Never by the date or version cut after its first digits.
    expect(pageLinkUrl('/docs/01-31-release', from, dated, { rootName: 'docs' })).toBeUndefined();
    expect(pageLinkUrl('/docs/0-upgrade', from, dated, { rootName: 'docs' })).toBeUndefined();
    expect(pageLinkUrl('/docs/02/notes', from, dated, { rootName: 'docs' })).toBeUndefined();
    // A number prefix is still left out, in a dated folder too.
    expect(pageLinkUrl('/docs/intro', 'docs/7.0-upgrade.md', dated, { rootName: 'docs' })).toBe('/docs/10.intro/');
    expect(pageLinkUrl('/docs/2021-02/notes', from, dated, { rootName: 'docs' })).toBe('/docs/2021-02/01_notes/');
  });

  it('finds a page by its path without Fumadocs folder groups, (name), as Fumadocs serves it, unless two pages share it', () => {
    const grouped = new Set(['docs/(guides)/setup.mdx', 'docs/(guides)/deploy/index.mdx', 'docs/(guides)/intro.mdx', 'docs/intro.mdx', 'docs/api/(methods)/get.mdx']);
    const from = 'docs/api/(methods)/get.mdx';
    expect(pageLinkUrl('/docs/setup#env', from, grouped, { rootName: 'docs' })).toBe('/docs/setup/#env');
    expect(pageLinkUrl('/docs/deploy', from, grouped, { rootName: 'docs' })).toBe('/docs/deploy/');
    expect(pageLinkUrl('/docs/api/get', 'docs/intro.mdx', grouped, { rootName: 'docs' })).toBe('/docs/api/get/');
    // Written to its file, it is found as ever, at the URL without the group; `intro` names the page outside the group.
    expect(pageLinkUrl('../../(guides)/setup.mdx', from, grouped)).toBe('/docs/setup/');
    expect(pageLinkUrl('/docs/intro', from, grouped, { rootName: 'docs' })).toBe('/docs/intro/');
    // A group's folder page is at the URL of the folder holding the group: the docs' root here.
    expect(pageAtPath('', new Set(['(guides)/index.mdx', '(guides)/setup.mdx']))).toBe('(guides)/index.mdx');
  });

  it("finds a page by the URL its Docusaurus frontmatter gives it (slug from the docs' root or its folder, id), unless two pages claim it", () => {
    const sources: [string, string][] = [
      ['guides/sidebar/autogenerated.mdx', '---\nslug: /sidebar/autogenerated\n---\n# Autogenerated\n'],
      ['02-i18n/i18n-tutorial.mdx', '---\nid: tutorial\ntitle: Tutorial\n---\n'],
      ['guides/intro.md', '---\nslug: welcome\n---\n'],
      ['home.md', "+++\nslug = '/'\n+++\n"],
      ['a.md', '---\nslug: /same\n---\n'],
      ['b.md', '---\nslug: /same\n---\n'],
      ['plain.md', '# No frontmatter\n\n```yaml\nslug: /not-frontmatter\n```\n'],
    ];
    const slugs = docusaurusPaths(sources);
    expect(Object.fromEntries(slugs)).toEqual({
      'sidebar/autogenerated': 'guides/sidebar/autogenerated.mdx',
      'i18n/tutorial': '02-i18n/i18n-tutorial.mdx',
      'guides/welcome': 'guides/intro.md',
      '': 'home.md',
    });
    const pages = new Set(sources.map(([page]) => page));
    const from = 'guides/intro.md';
    expect(pageLinkUrl('/docs/sidebar/autogenerated#using-number-prefixes', from, pages, { rootName: 'docs', slugs })).toBe('/guides/sidebar/autogenerated/#using-number-prefixes');
    expect(pageLinkUrl('/i18n/tutorial', from, pages, { slugs })).toBe('/02-i18n/i18n-tutorial/');
    expect(pageLinkUrl('/docs/', from, pages, { rootName: 'docs', slugs })).toBe('/home/');
    expect(pageLinkUrl('/same', from, pages, { slugs })).toBeUndefined();
    // A file's own path still wins, and without the slugs nothing is found by them.
    expect(pageLinkUrl('/a', from, pages, { slugs })).toBe('/a/');
    expect(pageLinkUrl('/sidebar/autogenerated', from, pages)).toBeUndefined();
  });

  it('finds the heading a MyST label (name)= is set on, from a link written to the name (as MyST reads a link that names no file)', () => {
    const sources: [string, string][] = [
      ['admin/security.md', '(security)=\n\n# Security\n\n## Setup\n\n(NetPol)=\n(netpol-alias)=\n\n## Setup\n\nText.\n\n(note)=\nA paragraph.\n\n```md\n(in-code)=\n## Not a heading\n```\n'],
      ['admin/twice.md', '(twice)=\n## A\n'],
      ['admin/again.md', '(twice)=\n## B\n'],
      ['guide/upgrade.md', '---\ntitle: Upgrade\n---\n# Upgrade\n'],
    ];
    const labels = mystLabels(sources);
    expect(Object.fromEntries(labels)).toEqual({
      security: { page: 'admin/security.md', anchor: '', title: 'Security' },
      netpol: { page: 'admin/security.md', anchor: 'setup-1', title: 'Setup' },
      'netpol-alias': { page: 'admin/security.md', anchor: 'setup-1', title: 'Setup' },
      note: { page: 'admin/security.md', anchor: '' },
    });
    const pages = new Set(sources.map(([page]) => page));
    const from = 'guide/upgrade.md';
    expect(pageLinkUrl('netpol', from, pages, { labels })).toBe('/admin/security/#setup-1');
    expect(pageLinkUrl('NetPol', from, pages, { labels })).toBe('/admin/security/#setup-1');
    expect(pageLinkUrl('netpol#other', from, pages, { labels })).toBe('/admin/security/#other');
    expect(pageLinkUrl('security', from, pages, { labels, baseUrl: '/v2/' })).toBe('/v2/admin/security/');
    // A page by that name wins; a path, a label of two pages, one in code, or none leads nowhere.
    expect(pageLinkUrl('upgrade', from, new Set([...pages]), { labels: new Map([['upgrade', { page: 'admin/security.md', anchor: '' }]]) })).toBe('/guide/upgrade/');
    for (const href of ['./netpol', '/netpol', 'twice', 'in-code', 'schema_hub.config']) expect(pageLinkUrl(href, from, pages, { labels }), href).toBeUndefined();
    expect(pageLinkUrl('netpol', from, pages)).toBeUndefined();
  });

  it("reads MyST's link to #label as a link to that label, on another page or this one, and any other anchor as written", () => {
    const sources: [string, string][] = [
      ['admin/security.md', '# Security\n\n(netpol)=\n## Network policies\n\n(top)=\nA paragraph.\n'],
      ['guide/upgrade.md', '# Upgrade\n\n(steps)=\n## The steps\n\n## Network policies\n'],
    ];
    const labels = mystLabels(sources);
    const pages = new Set(sources.map(([page]) => page));
    const from = 'guide/upgrade.md';
    expect(pageLinkUrl('#netpol', from, pages, { labels })).toBe('/admin/security/#network-policies');
    expect(pageLinkUrl('#NetPol', from, pages, { labels, baseUrl: '/v2/' })).toBe('/v2/admin/security/#network-policies');
    expect(pageLinkUrl('#top', from, pages, { labels })).toBe('/admin/security/');
    // A label of this page leads to its heading's anchor; an anchor that is no label stays as written.
    expect(pageLinkUrl('#steps', from, pages, { labels })).toBe('#the-steps');
    for (const href of ['#the-steps', '#network-policies', '#', '#%E0%A4%A']) expect(pageLinkUrl(href, from, pages, { labels }), href).toBeUndefined();
    expect(pageLinkUrl('#netpol', from, pages)).toBeUndefined();
  });

  it('gives URLs under the base URL', () => {
    expect(pageLinkUrl('./Server.md#listen', 'docs/Reference/Hooks.mdx', pages, { baseUrl: 'https://docs.example.com/v2' })).toBe(
      'https://docs.example.com/v2/docs/Reference/Server/#listen',
    );
  });

  it('leaves web links, same-page anchors, other files and links to no page as written', () => {
    for (const href of ['https://example.com/a.md', 'mailto:a@b.c', '//cdn.example.com/x.md', '#options', '', './logo.png', './Missing.md', '../../../outside.md', './server.md', '%E0%A4%A']) {
      expect(pageLinkUrl(href, 'docs/Reference/Hooks.mdx', pages), href).toBeUndefined();
    }
  });
});
