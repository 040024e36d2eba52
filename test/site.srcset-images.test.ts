/**
 * The images of a `srcset` in a markdown page's HTML (`<img srcset>`, a `<picture>`'s `<source
 * srcset>`): looked up as the page's other images are, published where the site serves them
 * (site/src/lib/published-images.ts), and left out with a notice when the site cannot show them
 * (site/src/lib/remark-missing-images.ts).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Html, Root } from 'mdast';
import type { MdxJsxFlowElement } from 'mdast-util-mdx-jsx';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runSiteBuild } from '../site/build';
import { useContentFixture } from './helpers/content-fixture';
import { siteBuildRoot } from './helpers/site-build-root';
import { copyPublishedFiles, publishedImageFile, publishedImageUrl } from '../site/src/lib/published-images';
import { remarkMissingImages } from '../site/src/lib/remark-missing-images';

/** A 1×1 PNG, bytes after its end making each copy a file of its own. */
const png = (tag: string) => Buffer.concat([Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'), Buffer.from(tag)]);

const site = mkdtempSync(join(tmpdir(), 'docent-srcset-'));
const docs = join(site, 'docs');
const files: Record<string, string | Buffer> = {
  'docs/guide/page.md': '# Page\n',
  'docs/guide/a.png': png('a'),
  'docs/guide/a@2x.png': png('a2'),
  'docs/guide/my shot.png': png('space'),
  'docs/guide/lfs.png': 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a\nsize 1\n',
  'docs/img/dark.png': png('dark'),
  'static/img/beside.png': png('beside'),
  'docs/notes.txt': 'not an image\n',
  'secret.png': png('secret'),
  'outside.png': png('outside'),
};
useContentFixture({
  site,
  files,
  contentRoot: docs,
});
afterEach(() => vi.restoreAllMocks());

/** The page `markdown` (at docs/guide/page.md) through the remark plugin: its raw HTML, joined, and the notices printed. */
async function render(markdown: string): Promise<{ html: string; notices: string[] }> {
  const notices: string[] = [];
  vi.spyOn(console, 'warn').mockImplementation((line: string) => void notices.push(line));
  const processor = unified().use(remarkParse).use(remarkMissingImages);
  const tree: Root = processor.parse(markdown);
  await processor.run(tree, { path: join(docs, 'guide/page.md') } as never); // the plugin changes the tree in place
  const html: string[] = [];
  const walk = (node: Root | Root['children'][number]): void => {
    if (node.type === 'html') html.push((node as Html).value);
    if ('children' in node) for (const child of node.children) walk(child as Root['children'][number]);
  };
  walk(tree);
  return { html: html.join(''), notices };
}

describe('srcset images of a markdown page', () => {
  it('publishes every image of an <img> srcset, and its src, looked up as markdown images are', async () => {
    const { html, notices } = await render('<img src="./a.png" srcset="./a.png 1x, a@2x.png 2x, /img/dark.png 3x" alt="Retina" width="100">\n');
    expect(html).toBe(
      '<img src="/_docent/images/content/guide/a.png" srcset="/_docent/images/content/guide/a.png 1x, /_docent/images/content/guide/a%402x.png 2x, /_docent/images/content/img/dark.png 3x" alt="Retina" width="100">',
    );
    expect(notices).toEqual([]);
  });

  it('leaves a missing or unreadable srcset image out, with the notice a missing src gets, and web images as written', async () => {
    const { html, notices } = await render('Text.\n\n<img src="https://example.com/x.png" srcset="./nowhere.png 1x, ./lfs.png 2x, https://example.com/x@3x.png 3x">\n');
    expect(html).toBe('<img src="https://example.com/x.png" srcset="https://example.com/x@3x.png 3x">');
    expect(notices).toEqual([
      '[docent] guide/page.md:3: image ./nowhere.png not found, left out of its srcset',
      '[docent] guide/page.md:3: image ./lfs.png is a Git LFS pointer, not the image (fetch it with git lfs pull): left out of its srcset',
    ]);
  });

  it("publishes a <picture>'s <source srcset> images, removes a <source> left with none, and keeps the HTML around them", async () => {
    const { html, notices } = await render(
      ['<picture>', '  <source media="(prefers-color-scheme: dark)" srcset="/img/beside.png">', '  <source srcset="./gone.png">', '  <img src="./a.png" alt="Light">', '</picture>', ''].join('\n'),
    );
    expect(html).toContain('<source media="(prefers-color-scheme: dark)" srcset="/_docent/images/static/img/beside.png">');
    expect(html).not.toContain('gone.png');
    expect(html.startsWith('<picture>\n  ')).toBe(true);
    expect(html.endsWith('\n</picture>')).toBe(true);
    expect(notices).toEqual(['[docent] guide/page.md:3: image ./gone.png not found, left out of its srcset']);
  });
});

/**
 * The MDX page `mdx` (at docs/guide/page.mdx) through the remark plugin: its imports, its JSX
 * elements written as tags (`<img src={…} srcSet="…">`), and the notices printed.
 */
async function renderMdx(mdx: string): Promise<{ imports: string[]; tags: string[]; notices: string[] }> {
  const notices: string[] = [];
  vi.spyOn(console, 'warn').mockImplementation((line: string) => void notices.push(line));
  const processor = unified().use(remarkParse).use(remarkMdx).use(remarkMissingImages);
  const tree: Root = processor.parse(mdx);
  await processor.run(tree, { path: join(docs, 'guide/page.mdx') } as never);
  const imports: string[] = [];
  const tags: string[] = [];
  const walk = (node: Root | Root['children'][number]): void => {
    if (node.type === 'mdxjsEsm') imports.push(node.value);
    if (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') {
      const attributes = (node as MdxJsxFlowElement).attributes.map((a) => (a.type !== 'mdxJsxAttribute' ? '' : typeof a.value === 'string' ? ` ${a.name}="${a.value}"` : ` ${a.name}={${a.value?.value}}`));
      tags.push(`<${node.name}${attributes.join('')}>`);
    }
    if ('children' in node) for (const child of node.children) walk(child as Root['children'][number]);
  };
  walk(tree);
  return { imports, tags, notices };
}

describe('srcset images of an MDX page', () => {
  it('publishes every image of a JSX <img> srcSet or srcset, looked up as markdown images are', async () => {
    const { imports, tags, notices } = await renderMdx('<img src="./a.png" srcSet="./a.png 1x, a@2x.png 2x, /img/dark.png 3x" alt="Retina" />\n\n<img srcset={"./a.png 1x"} />\n');
    expect(tags).toEqual([
      '<img src={__docentImage0.src} srcSet="/_docent/images/content/guide/a.png 1x, /_docent/images/content/guide/a%402x.png 2x, /_docent/images/content/img/dark.png 3x" alt="Retina">',
      '<img srcset="/_docent/images/content/guide/a.png 1x">',
    ]);
    expect(imports).toEqual(['import __docentImage0 from "./a.png";']); // its src is imported, as a JSX <img>'s src is
    expect(notices).toEqual([]);
  });

  it("leaves a missing or unreadable image out of a JSX srcSet with the notice, and removes a <picture>'s <source> left with none", async () => {
    const { tags, notices } = await renderMdx(
      ['Text.', '', '<picture>', '  <source media="(prefers-color-scheme: dark)" srcSet="/img/beside.png" />', '  <source srcSet="./gone.png" />', '  <img src="https://example.com/x.png" srcSet="./lfs.png 2x, https://example.com/x@3x.png 3x" alt="Light" />', '</picture>', ''].join('\n'),
    );
    expect(tags).toEqual([
      '<picture>',
      '<source media="(prefers-color-scheme: dark)" srcSet="/_docent/images/static/img/beside.png">',
      '<img src="https://example.com/x.png" srcSet="https://example.com/x@3x.png 3x" alt="Light">',
    ]);
    expect(notices).toEqual([
      '[docent] guide/page.mdx:5: image ./gone.png not found, left out of its srcset',
      '[docent] guide/page.mdx:6: image ./lfs.png is a Git LFS pointer, not the image (fetch it with git lfs pull): left out of its srcset',
    ]);
  });
});

describe('srcset images outside the content folder', () => {
  it('leaves them out with a notice naming the page and path, in markdown and in MDX', async () => {
    const markdown = await render('<img src="./a.png" srcset="../../secret.png 1x, ./a@2x.png 2x">\n');
    expect(markdown.html).toBe('<img src="/_docent/images/content/guide/a.png" srcset="/_docent/images/content/guide/a%402x.png 2x">');
    expect(markdown.notices).toEqual(['[docent] guide/page.md:1: image ../../secret.png is outside the content folder, so the site does not serve it: left out of its srcset']);
    const mdx = await renderMdx('<img srcSet="../../secret.png 1x" alt="Secret" />\n');
    expect(mdx.tags).toEqual(['<img alt="Secret">']);
    expect(mdx.notices).toEqual(['[docent] guide/page.mdx:1: image ../../secret.png is outside the content folder, so the site does not serve it: left out of its srcset']);
  });

  it("shows an HTML <img> with a srcset whose src is outside as its alt text, with the notice", async () => {
    const { html, notices } = await render('Text.\n\n<img src="../../outside.png" srcset="./a.png 1x" alt="Outside">\n');
    expect(html).toBe('');
    expect(notices).toEqual(['[docent] guide/page.md:3: image ../../outside.png is outside the content folder, so the site does not serve it: shown as its alt text']);
  });
});

describe('published images', () => {
  it('names a file of the content folder or of a static/ folder beside it, its name encoded, and nothing else', () => {
    expect(publishedImageUrl(join(docs, 'guide/my shot.png'), docs)).toBe('/_docent/images/content/guide/my%20shot.png');
    expect(publishedImageUrl(join(site, 'static/img/beside.png'), docs)).toBe('/_docent/images/static/img/beside.png');
    expect(publishedImageUrl(join(site, 'secret.png'), docs)).toBeUndefined();
    expect(publishedImageFile('/_docent/images/content/guide/my%20shot.png', docs)).toBe(join(docs, 'guide/my shot.png'));
  });

  it('serves only image files inside those folders', () => {
    for (const url of ['/_docent/images/content/../secret.png', '/_docent/images/content/..%2F..%2Fsecret.png', '/_docent/images/content/notes.txt', '/_docent/images/other/a.png', '/_docent/images/__proto__/a.png', '/_docent/images/content/guide/none.png']) {
      expect(publishedImageFile(url, docs)).toBeUndefined();
    }
  });

  it('copies into the built site the images its pages name', () => {
    const out = join(site, 'out');
    mkdirSync(join(out, 'guide/page'), { recursive: true });
    writeFileSync(join(out, 'guide/page/index.html'), '<img srcset="/_docent/images/content/guide/my%20shot.png 1x, /_docent/images/static/img/beside.png 2x"><img src="/_docent/images/content/../secret.png">');
    expect(copyPublishedFiles(out, docs)).toBe(2);
    expect(readFileSync(join(out, '_docent/images/content/guide/my shot.png'))).toEqual(png('space'));
    expect(readFileSync(join(out, '_docent/images/static/img/beside.png'))).toEqual(png('beside'));
    expect(existsSync(join(out, 'secret.png'))).toBe(false);
  });
});

describe('a site build with srcset images', () => {
  const root = siteBuildRoot('docent-site-srcset-');

  it('puts every srcset image, and every file a page links to, on the site, also when the page comes from Astro’s cache', async () => {
    const content = join(root, 'docs');
    const pages: Record<string, string | Buffer> = {
      'index.md': '# Home\n\nWelcome.\n',
      'guide/page.md': ['# Page', '', '<img src="./a.png" srcset="./a.png 1x, ./a@2x.png 2x, ./missing.png 3x, ../../outside.png 4x" alt="Retina">', '', '<picture>', '  <source srcset="/img/dark.png">', '  <img src="./a.png" alt="Light">', '</picture>', '', 'Read [the spec](./spec.pdf#page=2).', ''].join('\n'),
      'guide/spec.pdf': '%PDF-1.4 spec\n',
      'guide/retina.mdx': ['# Retina', '', '<img src="./a.png" srcSet="./a.png 1x, ./a@2x.png 2x, ../../outside.png 3x" alt="Retina" />', '', '<picture>', '  <source srcset="./wide.png" media="(min-width: 800px)" />', '  <source srcSet="./gone.png" />', '  <img src="./a.png" alt="Light" />', '</picture>', ''].join('\n'),
      'guide/a.png': png('a'),
      'guide/a@2x.png': png('a2'),
      'guide/wide.png': png('wide'),
      '../static/img/dark.png': png('dark'),
      '../outside.png': png('outside'),
    };
    for (const [path, data] of Object.entries(pages)) {
      mkdirSync(join(content, path, '..'), { recursive: true });
      writeFileSync(join(content, path), data);
    }
    const build = async () => {
      const warnings: string[] = [];
      const out = join(root, 'out');
      const result = await runSiteBuild({ ifStale: true, contentDir: content, outDir: out, cacheDir: join(root, 'cache'), log: () => {}, warn: (l) => warnings.push(l) });
      return { result, warnings, out };
    };
    const first = await build();
    expect(first.result).toBe('built');
    expect(first.warnings).toContain('[docent] guide/page.md:3: image ./missing.png not found, left out of its srcset');
    expect(first.warnings).toContain('[docent] guide/page.md:3: image ../../outside.png is outside the content folder, so the site does not serve it: left out of its srcset');
    const html = readFileSync(join(first.out, 'guide/page/index.html'), 'utf8');
    expect(html).toContain('srcset="/_docent/images/content/guide/a.png 1x, /_docent/images/content/guide/a%402x.png 2x"');
    expect(html).toContain('<source srcset="/_docent/images/static/img/dark.png">');
    // A link to a file that is not a page: pointed at the file, published with the site.
    expect(html).toContain('href="/_docent/files/content/guide/spec.pdf#page=2"');
    const published = ['_docent/files/content/guide/spec.pdf', '_docent/images/content/guide/a.png', '_docent/images/content/guide/a@2x.png', '_docent/images/static/img/dark.png', '_docent/images/content/guide/wide.png'];
    for (const file of published) expect(existsSync(join(first.out, file))).toBe(true);
    expect(readFileSync(join(first.out, '_docent/images/content/guide/a@2x.png'))).toEqual(png('a2'));
    // An MDX page's JSX srcSet and <source srcset>: published as the HTML ones are, with the same notices.
    expect(first.warnings).toContain('[docent] guide/retina.mdx:3: image ../../outside.png is outside the content folder, so the site does not serve it: left out of its srcset');
    expect(first.warnings).toContain('[docent] guide/retina.mdx:7: image ./gone.png not found, left out of its srcset');
    const mdx = readFileSync(join(first.out, 'guide/retina/index.html'), 'utf8');
    expect(mdx).toMatch(/srcset="\/_docent\/images\/content\/guide\/a\.png 1x, \/_docent\/images\/content\/guide\/a%402x\.png 2x"/i);
    expect(mdx).toMatch(/<source srcset="\/_docent\/images\/content\/guide\/wide\.png" media="\(min-width: 800px\)"\/?>/i);
    expect(mdx).not.toContain('gone.png');
    expect(mdx).not.toContain('outside.png');
    expect(readFileSync(join(first.out, '_docent/images/content/guide/wide.png'))).toEqual(png('wide'));
    // Another page changes: this one is rendered from Astro's cache, its images copied all the same.
    writeFileSync(join(content, 'index.md'), '# Home\n\nWelcome back.\n');
    const second = await build();
    expect(second.result).toBe('built');
    for (const file of published) expect(existsSync(join(second.out, file))).toBe(true);
  }, 600_000);
});
