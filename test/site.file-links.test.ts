/**
 * Links from a page to a file that is not a page (`[the spec](./spec.pdf)`, `<a href="./spec.pdf">`
 * in HTML or JSX): pointed at the file, published with the site, and a notice for one to a file that
 * does not exist (site/src/lib/remark-file-links.ts, site/src/lib/published-images.ts). The site
 * build test of published files is in test/site.srcset-images.test.ts; the one of links in HTML and
 * JSX, and of their notices, is below.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Link, Root } from 'mdast';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runSiteBuild } from '../site/build';
import { useContentFixture } from './helpers/content-fixture';
import { siteBuildRoot } from './helpers/site-build-root';
import { copyPublishedFiles, publishedFileOf, publishedFileUrl } from '../site/src/lib/published-images';
import { checkFileLink, fileLinkNotice, linkedFileUrl, linksOfPage, pageLinkTest, remarkFileLinks } from '../site/src/lib/remark-file-links';

const site = mkdtempSync(join(tmpdir(), 'docent-file-links-'));
const docs = join(site, 'docs');
const files: Record<string, string> = {
  'docs/guide/page.md': '# Page\n',
  'docs/guide/other.md': '# Other\n',
  'docs/guide/spec.pdf': '%PDF-1.4 spec\n',
  'docs/guide/my examples.zip': 'PK zip\n',
  'docs/files/data.csv': 'a,b\n',
  'docs/.env': 'SECRET=1\n',
  'docs/guide/draft.md': '---\ndraft: true\n---\n# Draft\n',
  'docs/_partial.md': 'Shared text.\n',
  'docs/.git/config': '[core]\n',
  'static/files/beside.zip': 'PK beside\n',
  'secret.txt': 'outside\n',
};
useContentFixture({
  site,
  files,
  contentRoot: docs,
  setup: () => {
    symlinkSync(join(site, 'secret.txt'), join(docs, 'guide/link.txt'));
  },
});
const page = join(docs, 'guide/page.md');

describe('linkedFileUrl()', () => {
  it('points a link to a file of the content folder at its published URL, relative or from the site root, its fragment kept', () => {
    expect(linkedFileUrl('./spec.pdf', page, docs)).toBe('/_docent/files/content/guide/spec.pdf');
    expect(linkedFileUrl('spec.pdf#page=3', page, docs)).toBe('/_docent/files/content/guide/spec.pdf#page=3');
    expect(linkedFileUrl('./my%20examples.zip', page, docs)).toBe('/_docent/files/content/guide/my%20examples.zip');
    expect(linkedFileUrl('../files/data.csv', page, docs)).toBe('/_docent/files/content/files/data.csv');
    expect(linkedFileUrl('/files/data.csv', page, docs)).toBe('/_docent/files/content/files/data.csv');
    expect(linkedFileUrl('/files/beside.zip', page, docs)).toBe('/_docent/files/static/files/beside.zip');
  });

  it('leaves as written a link to the web, to no file, to a page source, to a hidden file or to one outside the folders', () => {
    for (const url of ['https://example.com/a.pdf', '#usage', '//cdn.example.com/a.zip', 'mailto:a@b.c', './none.pdf', './other.md', '../.env', '/.git/config', '../../secret.txt', './link.txt', '../', '/../../secret.txt']) {
      expect(linkedFileUrl(url, page, docs), url).toBeUndefined();
    }
  });
});

describe('published files', () => {
  it('serves only files inside the folders, not hidden ones, page sources or ones linked out of them', () => {
    expect(publishedFileOf('/_docent/files/content/guide/my%20examples.zip', docs)).toBe(join(docs, 'guide/my examples.zip'));
    for (const url of ['/_docent/files/content/.env', '/_docent/files/content/.git/config', '/_docent/files/content/guide/page.md', '/_docent/files/content/guide/link.txt', '/_docent/files/content/..%2F..%2Fsecret.txt', '/_docent/files/other/a.zip', '/_docent/files/content/guide/none.pdf']) {
      expect(publishedFileOf(url, docs), url).toBeUndefined();
    }
    expect(publishedFileUrl(join(docs, '.env'), docs)).toBeUndefined();
  });

  it('copies into the built site the files its pages link to', () => {
    const out = join(site, 'out');
    mkdirSync(join(out, 'guide/page'), { recursive: true });
    writeFileSync(join(out, 'guide/page/index.html'), '<a href="/_docent/files/content/guide/spec.pdf#page=3">Spec</a><a href="/_docent/files/content/.env">x</a><a href="/_docent/files/content/guide/link.txt">y</a>');
    expect(copyPublishedFiles(out, docs)).toBe(1);
    expect(readFileSync(join(out, '_docent/files/content/guide/spec.pdf'), 'utf8')).toBe('%PDF-1.4 spec\n');
    expect(existsSync(join(out, '_docent/files/content/.env'))).toBe(false);
    expect(existsSync(join(out, '_docent/files/content/guide/link.txt'))).toBe(false);
  });
});

describe('remarkFileLinks()', () => {
  it('points the links and link definitions of a page at the files they name, and leaves the others', async () => {
    const processor = unified().use(remarkParse).use(remarkFileLinks);
    const tree: Root = processor.parse('[Spec](./spec.pdf#page=2), [data][d], [other](./other.md) and [web](https://example.com/x.pdf).\n\n[d]: ../files/data.csv\n');
    await processor.run(tree, { path: page } as never);
    const urls: string[] = [];
    const walk = (node: Root | Root['children'][number]): void => {
      if (node.type === 'link' || node.type === 'definition') urls.push((node as Link).url);
      if ('children' in node) for (const child of node.children) walk(child as Root['children'][number]);
    };
    walk(tree);
    expect(urls).toEqual(['/_docent/files/content/guide/spec.pdf#page=2', './other.md', 'https://example.com/x.pdf', '/_docent/files/content/files/data.csv']);
  });
});

describe('checkFileLink()', () => {
  it('says a link naming a file that is neither a file nor a page is missing', async () => {
    const isPage = await pageLinkTest(docs, 'guide/page.md');
    for (const url of ['./none.pdf', 'none.pdf#page=2', '../files/gone.zip', '/files/gone.csv', './gone.md', '/docs/guide/gone.md', './my%20gone.zip?download']) {
      expect(checkFileLink(url, page, docs, isPage), url).toEqual({ kind: 'missing' });
    }
    expect(checkFileLink('./spec.pdf', page, docs, isPage)).toEqual({ kind: 'file', url: '/_docent/files/content/guide/spec.pdf' });
  });

  it('leaves the others as written: pages, the web, anchors, site URLs', async () => {
    const isPage = await pageLinkTest(docs, 'guide/page.md');
    // A page by its file, its extensionless path, its path from the folder's name, or `.html`; a URL
    // of the site (`/chat`, `../api/`); a file of site/public.
    const urls = ['./other.md', './other.md#usage', './other', '/docs/guide/other.md', './routing.html', '/chat', '../api/', '/favicon.svg', 'https://example.com/gone.pdf', '#gone.pdf', 'mailto:a@b.c', ''];
    for (const url of urls) expect(checkFileLink(url, page, docs, isPage), url).toEqual({ kind: 'as-written' });
  });

  it('says why a link to a file that exists but is not published leads nowhere: outside the folder, hidden, linked out, a draft, no page', async () => {
    const isPage = await pageLinkTest(docs, 'guide/page.md');
    const unpublished = (url: string) => {
      const check = checkFileLink(url, page, docs, isPage);
      return check.kind === 'unpublished' ? check.reason : check.kind;
    };
    expect(unpublished('../../secret.txt')).toBe('is outside the content folder, which the site does not serve');
    expect(unpublished('../../secret.txt#L2')).toBe('is outside the content folder, which the site does not serve');
    expect(unpublished('../.env')).toBe('is a hidden file (a name starting with a dot), which the site does not serve');
    expect(unpublished('/.git/config')).toBe('is a hidden file (a name starting with a dot), which the site does not serve');
    expect(unpublished('./link.txt')).toBe('is a link to a file outside the content folder, which the site does not serve');
    expect(unpublished('./draft.md#intro')).toBe('is a draft, which the site does not build');
    expect(unpublished('../_partial.md')).toBe('is not one of the pages the site builds (a partial, a README beside an index page, or a file .docentignore leaves out)');
    expect(fileLinkNotice('guide/page.md', 4, '../../LICENSE', 'is outside the content folder, which the site does not serve')).toBe(
      '[docent] guide/page.md:4: linked file ../../LICENSE is outside the content folder, which the site does not serve: the link leads nowhere',
    );
  });

  it('words the notice as the images’ notices are worded', () => {
    expect(fileLinkNotice('guide/page.md', 7, './gone.pdf')).toBe('[docent] guide/page.md:7: linked file ./gone.pdf not found, so the link leads nowhere');
    expect(fileLinkNotice('guide/page.md', undefined, './gone.pdf')).toBe('[docent] guide/page.md: linked file ./gone.pdf not found, so the link leads nowhere');
  });
});

describe('linksOfPage()', () => {
  it('lists markdown links, references, HTML <a href> and their lines, not those in comments or code', () => {
    const source = ['# Page', '', 'See [a](./a.pdf) and [b][b].', '', '<p align="center">', '  <a href="./c.zip">C</a>', '  <!-- <a href="./hidden.zip">x</a> -->', '</p>', '', 'Inline <a class="x" href=\'./d.pdf\'>d</a>.', '', '```html', '<a href="./code.pdf">x</a>', '```', '', '[b]: ./b.pdf', ''].join('\n');
    expect(linksOfPage(source, 'guide/page.md')).toEqual([
      { url: './a.pdf', line: 3 },
      { url: './b.pdf', line: 3 },
      { url: './c.zip', line: 6 },
      { url: './d.pdf', line: 10 },
    ]);
  });

  it('lists the JSX <a href> of an MDX page: a string, require(…).default, useBaseUrl(…)', () => {
    const source = ['# Page', '', '<a href="./a.pdf">A</a> and <a href={require(\'./b.pdf\').default}>B</a>', '', '<a href={useBaseUrl("/files/c.zip")} target="_blank">C</a>', '', '<a href={someUrl}>D</a>', ''].join('\n');
    expect(linksOfPage(source, 'guide/page.mdx')).toEqual([
      { url: './a.pdf', line: 3 },
      { url: './b.pdf', line: 3 },
      { url: '/files/c.zip', line: 5 },
    ]);
  });
});

describe('remarkFileLinks() with HTML and JSX links', () => {
  const notices: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    notices.length = 0;
  });
  const spyNotices = () => vi.spyOn(console, 'warn').mockImplementation((line: string) => void notices.push(line));

  it('points an HTML <a href> at the file, its other attributes kept, and notes one to no file', async () => {
    spyNotices();
    const processor = unified().use(remarkParse).use(remarkFileLinks);
    const text = ['Read <a href="./spec.pdf#page=2" target="_blank">the spec</a>.', '', '<p align="center"><a href="../files/data.csv" download>Data</a> <a href="https://example.com/a.pdf">web</a></p>', '', '<!-- <a href="./spec.pdf">old</a> -->', '', 'And <a href="./html-gone.pdf">gone</a>.', ''].join('\n');
    const tree: Root = processor.parse(text);
    await processor.run(tree, { path: page } as never);
    const html: string[] = [];
    const walk = (node: Root | Root['children'][number]): void => {
      if (node.type === 'html') html.push(node.value);
      if ('children' in node) for (const child of node.children) walk(child as Root['children'][number]);
    };
    walk(tree);
    expect(html).toEqual([
      '<a href="/_docent/files/content/guide/spec.pdf#page=2" target="_blank">',
      '</a>',
      '<p align="center"><a href="/_docent/files/content/files/data.csv" download>Data</a> <a href="https://example.com/a.pdf">web</a></p>',
      '<!-- <a href="./spec.pdf">old</a> -->',
      '<a href="./html-gone.pdf">',
      '</a>',
    ]);
    expect(notices).toEqual(['[docent] guide/page.md:7: linked file ./html-gone.pdf not found, so the link leads nowhere']);
  });

  it('points a JSX <a href> of an MDX page at the file, whether a string, require(…).default or useBaseUrl(…)', async () => {
    spyNotices();
    const processor = unified().use(remarkParse).use(remarkMdx).use(remarkFileLinks);
    const tree: Root = processor.parse(['<a href="./spec.pdf">A</a> <a href={require("./spec.pdf").default}>B</a> <a href={useBaseUrl("/files/data.csv")}>C</a>', '', '<a href="./jsx-gone.zip">D</a>', ''].join('\n'));
    await processor.run(tree, { path: page } as never);
    const hrefs: unknown[] = [];
    const walk = (node: Root | Root['children'][number]): void => {
      if ((node.type as string) === 'mdxJsxTextElement' || (node.type as string) === 'mdxJsxFlowElement') {
        hrefs.push((node as unknown as { attributes: { name: string; value: unknown }[] }).attributes.find((a) => a.name === 'href')?.value);
      }
      if ('children' in node) for (const child of node.children) walk(child as Root['children'][number]);
    };
    walk(tree);
    expect(hrefs.slice(0, 3)).toEqual(['/_docent/files/content/guide/spec.pdf', '/_docent/files/content/guide/spec.pdf', '/_docent/files/content/files/data.csv']);
    expect(hrefs[3]).toBe('./jsx-gone.zip');
    expect(notices).toEqual(['[docent] guide/page.md:3: linked file ./jsx-gone.zip not found, so the link leads nowhere']);
  });

  it('notes a markdown link and a reference link to no file, at the link', async () => {
    spyNotices();
    const processor = unified().use(remarkParse).use(remarkFileLinks);
    const tree: Root = processor.parse('Read [a](./md-gone.pdf).\n\nThen [b][ref].\n\n[ref]: ./ref-gone.zip\n');
    await processor.run(tree, { path: page } as never);
    expect(notices).toEqual([
      '[docent] guide/page.md:1: linked file ./md-gone.pdf not found, so the link leads nowhere',
      '[docent] guide/page.md:3: linked file ./ref-gone.zip not found, so the link leads nowhere',
    ]);
  });
});

describe('a site build with links to files in HTML and JSX', () => {
  const root = siteBuildRoot('docent-site-file-links-');

  it('points them at the published files, names each link to no file, and points a cached page at a file added since', async () => {
    const content = join(root, 'docs');
    const pages: Record<string, string> = {
      'index.md': '# Home\n\nWelcome.\n',
      'guide/page.md': ['# Page', '', 'Read <a href="./spec.pdf#page=2" target="_blank">the spec</a>.', '', '<p align="center"><a href="../files/data.csv">Data</a></p>', '', 'And [the archive](./later.zip), [a page](./other.md), <a href="./other.md">HTML page</a>.', ''].join('\n'),
      'guide/other.md': '# Other\n',
      'guide/jsx.mdx': ['# JSX', '', '<a href="./spec.pdf">A</a> and <a href={require(\'./spec.pdf\').default}>B</a>.', '', '<a href="./missing.pdf">C</a>', ''].join('\n'),
      'guide/spec.pdf': '%PDF-1.4 spec\n',
      'files/data.csv': 'a,b\n',
    };
    for (const [path, data] of Object.entries(pages)) {
      mkdirSync(join(content, path, '..'), { recursive: true });
      writeFileSync(join(content, path), data);
    }
    const build = async () => {
      const warnings: string[] = [];
      const out = join(root, 'out');
      const result = await runSiteBuild({ ifStale: true, contentDir: content, outDir: out, cacheDir: join(root, 'cache'), log: () => {}, warn: (l) => warnings.push(l) });
      return { result, warnings: warnings.filter((l) => l.includes('linked file')), out };
    };
    const first = await build();
    // A link to no file does not fail the build: it is named, page and line.
    expect(first.result).toBe('built');
    expect(first.warnings.sort()).toEqual([
      '[docent] guide/jsx.mdx:5: linked file ./missing.pdf not found, so the link leads nowhere',
      '[docent] guide/page.md:7: linked file ./later.zip not found, so the link leads nowhere',
    ]);
    const html = readFileSync(join(first.out, 'guide/page/index.html'), 'utf8');
    expect(html).toContain('<a href="/_docent/files/content/guide/spec.pdf#page=2" target="_blank">');
    expect(html).toContain('<a href="/_docent/files/content/files/data.csv">');
    expect(html).toContain('href="./later.zip"');
    const mdx = readFileSync(join(first.out, 'guide/jsx/index.html'), 'utf8');
    expect(mdx.match(/href="\/_docent\/files\/content\/guide\/spec\.pdf"/g)).toHaveLength(2);
    expect(readFileSync(join(first.out, '_docent/files/content/guide/spec.pdf'), 'utf8')).toBe('%PDF-1.4 spec\n');
    expect(readFileSync(join(first.out, '_docent/files/content/files/data.csv'), 'utf8')).toBe('a,b\n');
    // The missing file is added: the page, unchanged, is rendered again (not taken from Astro's
    // cache with the link as it was), points at it, and no notice is left.
    writeFileSync(join(content, 'guide/later.zip'), 'PK later\n');
    const second = await build();
    expect(second.result).toBe('built');
    expect(second.warnings).toEqual(['[docent] guide/jsx.mdx:5: linked file ./missing.pdf not found, so the link leads nowhere']);
    expect(readFileSync(join(second.out, 'guide/page/index.html'), 'utf8')).toContain('href="/_docent/files/content/guide/later.zip"');
    expect(readFileSync(join(second.out, '_docent/files/content/guide/later.zip'), 'utf8')).toBe('PK later\n');
  }, 600_000);
});
