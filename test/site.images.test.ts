/**
 * The docs site's images (site/src/lib/page-images.ts): which file an image of a page shows,
 * whether the site can show it, and the images of a page with their lines. The site build tests
 * (test/site.start.test.ts) check the built pages and the build's notices.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkImage, checkPublishedImage, htmlImages, imageNotice, imagesOfPage, srcsetCandidates, srcsetValue } from '../site/src/lib/page-images';

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

describe('checkImage()', () => {
  const site = mkdtempSync(join(tmpdir(), 'docent-images-'));
  afterAll(() => rmSync(site, { recursive: true, force: true }));
  const docs = join(site, 'docs');
  const files: Record<string, string | Buffer> = {
    'docs/guide/page.md': '# Page\n',
    'docs/guide/good.png': PNG,
    'docs/guide/lfs.png': 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n',
    'docs/guide/truncated.png': PNG.subarray(0, 20),
    'docs/guide/spec.pdf': '%PDF-1.4\n',
    'docs/guide/notes.txt': 'Not an image.\n',
    'docs/img/in-content.png': PNG,
    'docs/static/img/inside.png': PNG,
    'static/img/beside.png': PNG,
    'secret.png': PNG,
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(site, path, '..'), { recursive: true });
    writeFileSync(join(site, path), content);
  }
  symlinkSync('notes.txt', join(docs, 'guide/link.png'));
  mkdirSync(join(docs, 'guide/folder.png'));
  const page = join(docs, 'guide/page.md');
  const check = (url: string) => checkImage(url, page, docs);

  it('leaves web images, data URLs and anchors as written', async () => {
    for (const url of ['https://example.com/a.png', '//cdn.example.com/a.png', 'data:image/png;base64,AAAA', '#top']) expect(await check(url)).toEqual({ kind: 'as-written' });
  });

  it('finds an image relative to the page, its name decoded, query and hash left out', async () => {
    expect(await check('./good.png')).toEqual({ kind: 'ok', file: join(docs, 'guide/good.png') });
    expect(await check('good.png?raw#x')).toEqual({ kind: 'ok', file: join(docs, 'guide/good.png') });
    expect(await check('../img/in%2Dcontent.png')).toEqual({ kind: 'ok', file: join(docs, 'img/in-content.png') });
  });

  it('says an image is missing when there is no such file (or a folder of that name)', async () => {
    expect(await check('./nothing.png')).toEqual({ kind: 'missing' });
    expect(await check('./folder.png')).toEqual({ kind: 'missing' });
  });

  it('says why the site cannot show a file that is there: a Git LFS pointer, a damaged PNG, a link to a text file, a PDF', async () => {
    expect(await check('./lfs.png')).toEqual({ kind: 'unreadable', file: join(docs, 'guide/lfs.png'), reason: 'is a Git LFS pointer, not the image (fetch it with git lfs pull)' });
    expect(await check('./truncated.png')).toEqual({ kind: 'unreadable', file: join(docs, 'guide/truncated.png'), reason: 'cannot be read as an image (damaged, or not an image)' });
    expect(await check('./link.png')).toEqual({ kind: 'unreadable', file: join(docs, 'guide/link.png'), reason: 'cannot be read as an image (damaged, or not an image)' });
    expect(await check('./spec.pdf')).toMatchObject({ kind: 'unreadable', reason: expect.stringMatching(/^is not an image the site can show \(\.pdf; /) });
  });

  it('finds a path from the site root in the content folder, then in a static/ folder inside or beside it, and points the page at it', async () => {
    expect(await check('/img/in-content.png')).toEqual({ kind: 'ok', file: join(docs, 'img/in-content.png'), url: '../img/in-content.png' });
    expect(await check('/img/inside.png')).toEqual({ kind: 'ok', file: join(docs, 'static/img/inside.png'), url: '../static/img/inside.png' });
    expect(await check('/img/beside.png')).toEqual({ kind: 'ok', file: join(site, 'static/img/beside.png'), url: '../../static/img/beside.png' });
    expect(await check('/img/nothing.png')).toEqual({ kind: 'missing' });
    expect(await check('/favicon.svg')).toEqual({ kind: 'as-written' }); // site/public
  });

  it('never looks outside those folders for a path from the site root', async () => {
    expect(await check('/../secret.png')).toEqual({ kind: 'missing' });
    expect(await check('/../../secret.png')).toEqual({ kind: 'missing' });
  });

  it('publishes an image of a srcset only from the content folder or a static/ folder beside it, and says why it cannot otherwise', async () => {
    const published = (url: string) => checkPublishedImage(url, page, docs);
    expect(await published('./good.png')).toEqual({ kind: 'ok', file: join(docs, 'guide/good.png'), url: '/_docent/images/content/guide/good.png' });
    expect(await published('/img/beside.png')).toEqual({ kind: 'ok', file: join(site, 'static/img/beside.png'), url: '/_docent/images/static/img/beside.png' });
    expect(await published('https://example.com/a.png')).toEqual({ kind: 'as-written' });
    expect(await published('./gone.png')).toEqual({ kind: 'missing' });
    const outside = await published('../../secret.png');
    expect(outside).toEqual({ kind: 'unreadable', file: join(site, 'secret.png'), reason: 'is outside the content folder, so the site does not serve it' });
    expect(imageNotice('guide/page.md', 4, '../../secret.png', outside, { inSrcset: true })).toBe(
      '[docent] guide/page.md:4: image ../../secret.png is outside the content folder, so the site does not serve it: left out of its srcset',
    );
    // Astro imports a markdown image from anywhere: only a published one must be inside.
    expect((await check('../../secret.png')).kind).toBe('ok');
  });

  it('words the notice with the page and line', () => {
    expect(imageNotice('guide/page.md', 7, './nothing.png', { kind: 'missing' })).toBe('[docent] guide/page.md:7: image ./nothing.png not found, shown as its alt text');
    expect(imageNotice('guide/page.md', undefined, './lfs.png', { kind: 'unreadable', file: '', reason: 'is a Git LFS pointer, not the image (fetch it with git lfs pull)' })).toBe(
      '[docent] guide/page.md: image ./lfs.png is a Git LFS pointer, not the image (fetch it with git lfs pull): shown as its alt text',
    );
    expect(imageNotice('guide/page.md', 3, './good.png', { kind: 'ok', file: '' })).toBeUndefined();
  });
});

describe('srcsetCandidates()', () => {
  it('splits a srcset as browsers do: URLs to the next space, descriptors to the next comma', () => {
    expect(srcsetCandidates('a.png 1x, b.png 2x')).toEqual([
      { url: 'a.png', descriptor: '1x' },
      { url: 'b.png', descriptor: '2x' },
    ]);
    expect(srcsetCandidates(' small.png  480w ,large.png 1080w ')).toEqual([
      { url: 'small.png', descriptor: '480w' },
      { url: 'large.png', descriptor: '1080w' },
    ]);
    // A URL with no descriptor, a comma closing it; a data URL keeps its comma.
    expect(srcsetCandidates('only.png, data:image/png;base64,AAAA 2x')).toEqual([
      { url: 'only.png', descriptor: '' },
      { url: 'data:image/png;base64,AAAA', descriptor: '2x' },
    ]);
    expect(srcsetValue(srcsetCandidates('a.png 1x,b.png'))).toBe('a.png 1x, b.png');
    expect(srcsetCandidates('  ,  ')).toEqual([]);
  });
});

describe('imagesOfPage()', () => {
  it('lists the images of a markdown page and of its references, with their lines in the file, not those in code', () => {
    const source = ['---', 'title: Page', '---', '', '![A](./a.png) and ![B][b]', '', '```md', '![Not](./code.png)', '```', '', '!!! note', '    ![In a note](./note.png)', '', '[b]: ./b.png'].join('\n');
    expect(imagesOfPage(source, 'page.md')).toEqual([
      { url: './a.png', line: 5 },
      { url: './b.png', line: 5 },
      { url: './note.png', line: 12 },
    ]);
  });

  it('reads an MDX page as MDX (indented lines in a component are not code), and one MDX cannot read as markdown', () => {
    expect(imagesOfPage('---\ntitle: Page\n---\n\n<Tabs>\n    ![In a tab](./tab.png)\n</Tabs>\n', 'page.mdx')).toEqual([{ url: './tab.png', line: 6 }]);
    expect(imagesOfPage('# Page\n\n<Tabs>\n\n![Unclosed](./u.png)\n', 'page.mdx')).toEqual([{ url: './u.png', line: 5 }]);
  });

  it("lists an MDX page's JSX <img> whose src names a file (a string, useBaseUrl, require), not one it cannot tell", () => {
    const source = [
      '# Page', // 1
      '',
      '<img src="/img/logo.png" alt="Logo" width="200" />', // 3
      '',
      "<img src={useBaseUrl('/img/base.png')} alt=\"Base\" />", // 5
      '',
      "Text with <img src={require('!file-loader!./inline.png').default} /> inline.", // 7
      '',
      '<img src={logo} alt="A variable" />',
      '<img alt="No src" />',
      '<Figure src="/img/not-an-img.png" />',
      '',
      '```mdx',
      '<img src="/img/in-code.png" />',
      '```',
    ].join('\n');
    expect(imagesOfPage(source, 'page.mdx')).toEqual([
      { url: '/img/logo.png', line: 3 },
      { url: '/img/base.png', line: 5 },
      { url: './inline.png', line: 7 },
    ]);
  });

  it("lists a markdown page's HTML <img> with a src, alone, in other HTML or in text, not one in a comment or in code", () => {
    const source = [
      '# Page', // 1
      '',
      '<img src="/img/logo.png" width="200">', // 3
      '',
      '<p align="center">', // 5
      "  <img alt='Centred' src='./centred.png' />", // 6
      '</p>',
      '',
      'Text with <img src=inline.png> inline.', // 9
      '',
      '<!-- <img src="/img/commented.png"> -->',
      '<img alt="No src">',
      '',
      '```html',
      '<img src="/img/in-code.png">',
      '```',
    ].join('\n');
    expect(imagesOfPage(source, 'page.md')).toEqual([
      { url: '/img/logo.png', line: 3 },
      { url: './centred.png', line: 6 },
      { url: 'inline.png', line: 9 },
    ]);
  });

  it('reads the attributes of HTML <img> tags, quoted or not, character references decoded', () => {
    expect(htmlImages('<p><IMG SRC="a&amp;b.png" alt=\'It&#39;s\' hidden width=20></p><!-- <img src=c.png> -->')).toEqual([
      { name: 'img', start: 3, end: 57, attributes: [['src', 'a&b.png'], ['alt', "It's"], ['hidden', null], ['width', '20']] },
    ]);
    expect(htmlImages('<image src="x.png"><imgx src="y.png">')).toEqual([]);
  });

  it("lists every image of an HTML <img>'s srcset and of a <picture>'s <source srcset>, with their lines", () => {
    const source = [
      '# Page', // 1
      '',
      '<img src="./a.png" srcset="./a.png 1x, ./a@2x.png 2x" alt="Retina">', // 3
      '',
      '<picture>', // 5
      '  <source media="(prefers-color-scheme: dark)" srcset="/img/dark.png">', // 6
      '  <source type="image/webp" srcset="./small.webp 480w,./large.webp 1080w">', // 7
      '  <img src="./light.png" alt="Light">', // 8
      '</picture>',
    ].join('\n');
    expect(imagesOfPage(source, 'page.md')).toEqual([
      { url: './a.png', line: 3, published: true },
      { url: './a.png', line: 3, inSrcset: true, published: true },
      { url: './a@2x.png', inSrcset: true, published: true, line: 3 },
      { url: '/img/dark.png', inSrcset: true, published: true, line: 6 },
      { url: './small.webp', inSrcset: true, published: true, line: 7 },
      { url: './large.webp', inSrcset: true, published: true, line: 7 },
      { url: './light.png', line: 8 },
    ]);
    // <source> tags are listed only when asked for: the others want the <img> tags.
    expect(htmlImages('<picture><source srcset="a.png"><img src="b.png"></picture>').map((i) => i.name)).toEqual(['img']);
  });

  it("lists every image of an MDX page's JSX srcSet or srcset, of an <img> and of a <picture>'s <source>, with their lines", () => {
    const source = [
      '# Page', // 1
      '',
      '<img src="./a.png" srcSet="./a.png 1x, ./a@2x.png 2x" alt="Retina" />', // 3
      '',
      '<picture>', // 5
      '  <source media="(prefers-color-scheme: dark)" srcSet={"/img/dark.png"} />', // 6
      '  <source type="image/webp" srcset="./small.webp 480w, ./large.webp 1080w" />', // 7
      '  <img src="./light.png" alt="Light" />', // 8
      '</picture>',
      '',
      '<img srcSet={images} alt="A variable" />',
      '<Figure srcSet="./not-an-img.png" />',
    ].join('\n');
    expect(imagesOfPage(source, 'page.mdx')).toEqual([
      { url: './a.png', line: 3 },
      { url: './a.png', line: 3, inSrcset: true, published: true },
      { url: './a@2x.png', line: 3, inSrcset: true, published: true },
      { url: '/img/dark.png', line: 6, inSrcset: true, published: true },
      { url: './small.webp', line: 7, inSrcset: true, published: true },
      { url: './large.webp', line: 7, inSrcset: true, published: true },
      { url: './light.png', line: 8 },
    ]);
  });

  it('finds nothing on a page without images, CRLF line endings read', () => {
    expect(imagesOfPage('# Page\r\n\r\nText.\r\n', 'page.md')).toEqual([]);
    expect(imagesOfPage('# Page\r\n\r\n![A](./a.png)\r\n', 'page.md')).toEqual([{ url: './a.png', line: 3 }]);
  });
});
