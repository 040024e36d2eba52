/**
 * Links from a page to a file that is not a page (`[the spec](./spec.pdf)`, `<a href="./spec.pdf">`
 * in HTML or JSX): pointed at the file, published with the site (site/src/lib/remark-file-links.ts,
 * site/src/lib/published-images.ts). The site build test of published files is in
 * test/site.srcset-images.test.ts.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Link, Root } from 'mdast';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyPublishedFiles, publishedFileOf, publishedFileUrl } from '../site/src/lib/published-images';
import { linkedFileUrl, remarkFileLinks } from '../site/src/lib/remark-file-links';

const site = mkdtempSync(join(tmpdir(), 'docent-file-links-'));
const docs = join(site, 'docs');
const files: Record<string, string> = {
  'docs/guide/page.md': '# Page\n',
  'docs/guide/other.md': '# Other\n',
  'docs/guide/spec.pdf': '%PDF-1.4 spec\n',
  'docs/guide/my examples.zip': 'PK zip\n',
  'docs/files/data.csv': 'a,b\n',
  'docs/.env': 'SECRET=1\n',
  'docs/.git/config': '[core]\n',
  'static/files/beside.zip': 'PK beside\n',
  'secret.txt': 'outside\n',
};
const saved = process.env.DOCENT_CONTENT_ROOT;
beforeAll(() => {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(site, path, '..'), { recursive: true });
    writeFileSync(join(site, path), content);
  }
  symlinkSync(join(site, 'secret.txt'), join(docs, 'guide/link.txt'));
  process.env.DOCENT_CONTENT_ROOT = docs;
});
afterAll(() => {
  if (saved === undefined) delete process.env.DOCENT_CONTENT_ROOT;
  else process.env.DOCENT_CONTENT_ROOT = saved;
  rmSync(site, { recursive: true, force: true });
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

describe('remarkFileLinks() with HTML and JSX links', () => {
  it('points an HTML <a href> at the file, its other attributes kept', async () => {
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
  });

  it('points a JSX <a href> of an MDX page at the file, whether a string, require(…).default or useBaseUrl(…)', async () => {
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
  });
});
