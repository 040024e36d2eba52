/**
 * Links to pages written as HTML or JSX (`<a href="./other.md">`, Docusaurus' `<Link to="./other.md">`):
 * pointed at the page's URL, as markdown links are (site/src/lib/remark-page-links.ts,
 * site/src/lib/link-elements.ts), and Docusaurus' `<Link>` rendered as a link
 * (site/src/components/DocusaurusLink.astro). One site build, below.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Root } from 'mdast';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { runSiteBuild } from '../site/build';
import { docusaurusLinkNames, standInUnresolvedImports } from '../site/src/lib/mdx-imports';
import { linksOfPage, remarkFileLinks } from '../site/src/lib/remark-file-links';
import { remarkPageLinks } from '../site/src/lib/remark-page-links';
import { useContentFixture } from './helpers/content-fixture';
import { siteBuildRoot } from './helpers/site-build-root';

const site = mkdtempSync(join(tmpdir(), 'docent-html-page-links-'));
const docs = join(site, 'docs');
const files: Record<string, string> = {
  'docs/guide/page.md': '# Page\n',
  'docs/guide/other.md': '# Other\n\n## Usage\n',
  'docs/guide/setup.mdx': '# Setup\n',
  'docs/reference/api.md': '# API\n',
  'docs/guide/spec.pdf': '%PDF-1.4 spec\n',
};
useContentFixture({
  site,
  files,
  contentRoot: docs,
});
const page = join(docs, 'guide/page.md');

/** The `html` nodes' text, and the JSX elements' name and link attribute, after the site's link plugins. */
async function linked(text: string, mdx: boolean): Promise<{ html: string[]; jsx: [string | null, string, unknown][] }> {
  const processor = mdx ? unified().use(remarkParse).use(remarkMdx).use(remarkPageLinks).use(remarkFileLinks) : unified().use(remarkParse).use(remarkPageLinks).use(remarkFileLinks);
  const tree: Root = processor.parse(text);
  await processor.run(tree, { path: mdx ? page.replace(/\.md$/, '.mdx') : page } as never);
  const html: string[] = [];
  const jsx: [string | null, string, unknown][] = [];
  const walk = (node: Root | Root['children'][number]): void => {
    if (node.type === 'html') html.push(node.value);
    if ((node.type as string) === 'mdxJsxTextElement' || (node.type as string) === 'mdxJsxFlowElement') {
      const element = node as unknown as { name: string | null; attributes: { name: string; value: unknown }[] };
      for (const attribute of element.attributes) if (attribute.name === 'href' || attribute.name === 'to') jsx.push([element.name, attribute.name, attribute.value]);
    }
    if ('children' in node) for (const child of node.children) walk(child as Root['children'][number]);
  };
  walk(tree);
  return { html, jsx };
}

describe('remarkPageLinks() with HTML and JSX links', () => {
  it("points an HTML <a href> to a page's file at the page's URL, anchor and other attributes kept; leaves the others", async () => {
    const text = [
      'Read <a href="./other.md#usage" target="_blank">the usage</a>.',
      '',
      '<p align="center"><a href="../reference/api.md">API</a> <a href="./nowhere.md">none</a> <a href="https://example.com/a.md">web</a> <a href="/docs/guide/other">root</a></p>',
      '',
      '<!-- <a href="./other.md">old</a> -->',
      '',
    ].join('\n');
    expect((await linked(text, false)).html).toEqual([
      '<a href="/guide/other/#usage" target="_blank">',
      '</a>',
      '<p align="center"><a href="/reference/api/">API</a> <a href="./nowhere.md">none</a> <a href="https://example.com/a.md">web</a> <a href="/guide/other/">root</a></p>',
      '<!-- <a href="./other.md">old</a> -->',
    ]);
  });

  it("points a JSX <a href> and Docusaurus' <Link to> / <Link href> at the page, or the file, they name", async () => {
    const text = [
      "import Link from '@docusaurus/Link';",
      "import Other from '@site/src/components/Other';",
      '',
      '<a href="./other.md">A</a> <Link to="./setup.mdx#install">B</Link> <Link href={useBaseUrl("/docs/reference/api")}>C</Link>',
      '',
      '<Link to="./spec.pdf#page=2">D</Link> <Link to="https://example.com">E</Link> <Other to="./other.md">F</Other> <Link to={someUrl}>G</Link>',
      '',
    ].join('\n');
    expect((await linked(text, true)).jsx).toEqual([
      ['a', 'href', '/guide/other/'],
      ['Link', 'to', '/guide/setup/#install'],
      ['Link', 'href', '/reference/api/'],
      ['Link', 'to', '/_docent/files/content/guide/spec.pdf#page=2'],
      ['Link', 'to', 'https://example.com'],
      // Not Docusaurus' Link: its own props, left alone.
      ['Other', 'to', './other.md'],
      ['Link', 'to', expect.objectContaining({ type: 'mdxJsxAttributeValueExpression', value: 'someUrl' })],
    ]);
  });
});

describe("Docusaurus' <Link>", () => {
  it('is imported from the link stand-in, not the one that shows a component as its content', async () => {
    const options = { resolves: async () => false, standIn: '/site/UnknownComponent.astro', linkStandIn: '/site/DocusaurusLink.astro' };
    const { code } = await standInUnresolvedImports("import Link from '@docusaurus/Link';\nimport Tabs from '@theme/Tabs';\n", options);
    expect(code).toBe('import __DocentLink from "/site/DocusaurusLink.astro"; export const Link = __DocentLink;\nimport __DocentStandIn from "/site/UnknownComponent.astro"; export const Tabs = __DocentStandIn;\n');
    expect([...docusaurusLinkNames(code)]).toEqual(['Link']);
    expect([...docusaurusLinkNames("import DocLink from '@docusaurus/Link';")]).toEqual(['DocLink']);
  });

  it('is one of the links of a page the build checks, at its line', () => {
    const source = ["import Link from '@docusaurus/Link';", '', '# Page', '', 'See <Link to="./gone.pdf">the spec</Link>.', ''].join('\n');
    expect(linksOfPage(source, 'guide/page.mdx')).toEqual([{ url: './gone.pdf', line: 5 }]);
  });
});

describe('a site build with links to pages in HTML and JSX', () => {
  const root = siteBuildRoot('docent-site-html-page-links-');

  it("points them at the pages' URLs, renders Docusaurus' <Link> as a link to the page or file, and points a cached page at a page added since", async () => {
    const content = join(root, 'docs');
    const pages: Record<string, string> = {
      'index.md': '# Home\n\nWelcome.\n',
      'guide/page.md': ['# Page', '', 'Read <a href="./other.md#usage" target="_blank">the usage</a>.', '', '<p align="center"><a href="../reference/api.md">API</a> <a href="https://example.com/a.md">web</a></p>', '', 'Then <a href="./later">HTML later</a> and [later](./later#next).', ''].join('\n'),
      'guide/other.md': '# Other\n\n## Usage\n',
      'guide/setup.mdx': '# Setup\n\n## Install\n',
      'reference/api.md': '# API\n',
      'guide/jsx.mdx': [
        "import Link from '@docusaurus/Link';",
        '',
        '# JSX',
        '',
        '<a href="./other.md">A</a> and <Link to="./setup.mdx#install">the setup</Link>, <Link href="../reference/api" isNavLink>the API</Link>, <Link to="./spec.pdf">the spec</Link>, <Link to="https://example.com" className="button">the web</Link>.',
        '',
        '<Link to="./gone.pdf">gone</Link>',
        '',
      ].join('\n'),
      'guide/spec.pdf': '%PDF-1.4 spec\n',
    };
    for (const [path, data] of Object.entries(pages)) {
      mkdirSync(join(content, path, '..'), { recursive: true });
      writeFileSync(join(content, path), data);
    }
    const warnings: string[] = [];
    const out = join(root, 'out');
    const build = () => runSiteBuild({ ifStale: true, contentDir: content, outDir: out, cacheDir: join(root, 'cache'), log: () => {}, warn: (l) => warnings.push(l) });
    expect(await build()).toBe('built');
    expect(warnings.filter((l) => l.includes('linked file'))).toEqual(['[docent] guide/jsx.mdx:7: linked file ./gone.pdf not found, so the link leads nowhere']);
    const html = readFileSync(join(out, 'guide/page/index.html'), 'utf8');
    expect(html).toContain('<a href="/guide/other/#usage" target="_blank">the usage</a>');
    expect(html).toContain('<a href="/reference/api/">API</a> <a href="https://example.com/a.md">web</a>');
    const mdx = readFileSync(join(out, 'guide/jsx/index.html'), 'utf8');
    const links = [...mdx.slice(mdx.indexOf('<article')).matchAll(/<a ([^>]*)>([^<]*)<\/a>/g)].map((m) => [m[2], m[1]]);
    expect(links).toEqual([
      ['A', 'href="/guide/other/"'],
      ['the setup', 'href="/guide/setup/#install"'],
      ['the API', 'href="/reference/api/"'],
      ['the spec', 'href="/_docent/files/content/guide/spec.pdf"'],
      ['the web', 'href="https://example.com" class="button" target="_blank" rel="noopener noreferrer"'],
      ['gone', 'href="./gone.pdf"'],
    ]);
    expect(mdx).not.toContain('mdx-unknown');
    expect(readFileSync(join(out, '_docent/files/content/guide/spec.pdf'), 'utf8')).toBe('%PDF-1.4 spec\n');
    expect(html).toContain('<a href="./later">HTML later</a> and <a href="./later#next">later</a>');
    // The page its links name (without extension) is added: the linking page, unchanged, is
    // rendered again rather than taken from Astro's cache with its links as they were.
    writeFileSync(join(content, 'guide/later.md'), '# Later\n\n## Next\n');
    expect(await build()).toBe('built');
    expect(readFileSync(join(out, 'guide/page/index.html'), 'utf8')).toContain('<a href="/guide/later/">HTML later</a> and <a href="/guide/later/#next">later</a>');
  }, 600_000);
});
