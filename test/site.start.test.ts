/**
 * `npm start`'s site step (`site/build-for-server.ts`, as `tsx site/build.ts --if-stale` → runSiteBuild({ ifStale: true })):
 * MDX pages written for another site generator build (one MDX cannot read at all, as text), a page
 * ingest cannot parse or an image the site cannot show does not stop the build (and is reported on
 * every build), and a page the site cannot build does not stop Docent from starting, nor take away
 * the site built before.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeContent, type ParseError, parseDocument } from '../ingest/parse';
import { listContentFiles } from '../ingest/scan';
import { documentUrl } from '../ingest/urls';
import { replaceFolder, runSiteBuild } from '../site/build';
import { siteBuildRoot } from './helpers/site-build-root';
import { undefinedComponents } from '../site/src/lib/mdx-components';

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** A page of images the site can and cannot show (lines as the notices name them), and their files. */
const IMAGES = {
  'pictures.md': [
    '---', //  1
    'title: Pictures',
    '---',
    '',
    '![Good](./img/good.png)', // 5
    '',
    '![Missing](./img/missing.png)', // 7
    '',
    '![LFS](./img/lfs.png)', // 9: a Git LFS pointer, as a checkout without `git lfs pull` leaves it
    '',
    '![Truncated](./img/truncated.png)', // 11
    '',
    '![Link to a text file](./img/link.png)', // 13
    '',
    '![Not an image](./notes.txt)', // 15
    '',
    '![Reference][gone]', // 17
    '',
    '[gone]: ./img/gone.png',
    '',
    '![In the content folder](/assets/in-content.png)', // 21
    '',
    '![In static](/img/logo.png)', // 23: Docusaurus' static/ beside the docs
    '',
    '![Nowhere](/img/nothing.png)', // 25
    '',
    '![Favicon](/favicon.svg)', // 27: site/public
    '',
  ].join('\n'),
  // In MDX, JSX <img> (Docusaurus docs write them for a width or a class) is found as markdown images are.
  'pictures-jsx.mdx': [
    '# JSX pictures', // 1
    '',
    '<img src="/img/logo.png" alt="JSX in static" width="120" />', // 3
    '',
    "<img src={require('./img/jsx.png').default} alt=\"JSX required\" />", // 5
    '',
    '<img src="/img/nothing.png" alt="JSX nowhere" />', // 7
    '',
    'Inline <img src="./img/jsx.png" alt="JSX inline" className="icon" /> in text.', // 9
    '',
    '<img src="https://example.com/web.png" alt="JSX web" />', // 11
    '',
  ].join('\n'),
  // In markdown, HTML <img> (READMEs and Docusaurus docs write them for a width or centring) too.
  'pictures-html.md': [
    '# HTML pictures', // 1
    '',
    '<img src="/img/logo.png" alt="HTML in static" width="120" class="hero">', // 3
    '',
    '<p align="center">', // 5
    '  <img src="./img/html.png" alt="HTML centred" />', // 6
    '</p>',
    '',
    'Inline <img src="/assets/in-content.png" alt="HTML inline"> in text.', // 9
    '',
    '<img src="/img/nothing.png" alt="HTML nowhere">', // 11
    '',
    '<img src="https://example.com/web.png" alt="HTML web">', // 13
    '',
  ].join('\n'),
  'img/html.png': Buffer.concat([PNG, Buffer.from('html')]),
  'img/jsx.png': Buffer.concat([PNG, Buffer.from('jsx')]),
  'img/good.png': PNG,
  'img/lfs.png': 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n',
  'img/truncated.png': PNG.subarray(0, 20),
  'notes.txt': 'Not an image.\n',
  'img/link.png': { link: '../notes.txt' },
  // Bytes after the end of a PNG change its content, not its picture: Astro copies each file once by content.
  'assets/in-content.png': Buffer.concat([PNG, Buffer.from('in the content folder')]),
  '../static/img/logo.png': Buffer.concat([PNG, Buffer.from('in static/')]),
};

describe('runSiteBuild({ ifStale: true })', () => {
  const root = siteBuildRoot('docent-site-start-');

  /** A file's content, or a symbolic link to `link` (relative to the file's folder). */
  type FileSpec = string | Buffer | { link: string };

  /** Writes `files` (path in the docs folder → content; `../` for beside it) into the site `name`. */
  function write(name: string, files: Record<string, FileSpec>) {
    for (const [path, spec] of Object.entries(files)) {
      const file = join(root, name, 'docs', path);
      mkdirSync(dirname(file), { recursive: true });
      rmSync(file, { force: true });
      if (typeof spec === 'object' && 'link' in spec) symlinkSync(spec.link, file);
      else writeFileSync(file, spec);
    }
  }

  /** Builds a site of `pages` (path → text); returns the result, the warnings and the output folder. */
  async function build(name: string, pages: Record<string, FileSpec>) {
    mkdirSync(join(root, name, 'docs'), { recursive: true });
    write(name, pages);
    return rebuild(name);
  }

  /** Builds the site `name` again, as the next `npm start` does (Astro's cache kept). */
  async function rebuild(name: string) {
    const dir = join(root, name);
    const warnings: string[] = [];
    const out = join(dir, 'out');
    const result = await runSiteBuild({ ifStale: true, contentDir: join(dir, 'docs'), outDir: out, cacheDir: join(dir, 'cache'), log: () => {}, warn: (l) => warnings.push(l) });
    return { result, warnings, out };
  }

  it('builds pages written for other site generators: MDX components it does not import (their content shown), containers, MkDocs blocks, Hugo shortcodes, Liquid tags, section pages, weight and TOML frontmatter', async () => {
    const { result, warnings, out } = await build('standins', {
      'index.md': '# Home\n\nWelcome.\n',
      'params.mdx': '# Params\n\n<ParamField query="limit" type="number">How many results.</ParamField>\n\n<Note title="Careful">Limits apply.</Note>\n\n![Damaged](./img/truncated.png)\n',
      // Containers (VitePress, Docusaurus) are callouts, in markdown and MDX alike.
      'tips.md': '# Tips\n\n::: warning Mind the cache\nIt is shared.\n:::\n',
      'admonitions.mdx': '# Admonitions\n\n:::tip\n\nUse **bold** here.\n\n:::\n',
      // MkDocs admonitions and content tabs (content indented by four spaces), in markdown and MDX.
      'mkdocs.md': [
        '# MkDocs',
        '',
        '!!! warning "Back up first"',
        '    The migration **rewrites** the table.',
        '',
        '    !!! tip',
        '        Nested tip.',
        '',
        '??? note',
        '    Hidden details.',
        '',
        '=== "npm"',
        '    ```sh',
        '    npm install docent',
        '    ```',
        '',
        '        indented code stays code',
        '',
      ].join('\n'),
      'mkdocs-mdx.mdx': '# MkDocs MDX\n\n!!! info "Heads up"\n    Read **this**.\n',
      // Hugo shortcodes: callouts, and an inline one as its text; in MDX, whose parser would read the braces as JavaScript.
      'hugo.md': '# Hugo\n\n{{% alert title="Back up first" color="warning" %}}\nIt rewrites {{< glossary_tooltip text="the table" term_id="t" >}}.\n{{% /alert %}}\n{{< note >}}\nAdjacent.\n{{< /note >}}\n',
      'hugo-mdx.mdx': '# Hugo MDX\n\n{{< note >}}\nIn MDX.\n{{< /note >}}\n',
      // Hugo's section page: its folder's page, not a partial.
      'concepts/_index.md': '---\ntitle: Concepts\n---\n\nThe section page.\n',
      'concepts/pods.md': '# Pods\n\nA page of the section.\n',
      // Hugo's `weight` and Docusaurus' `sidebar_position` order the sidebar when `order` is not set; a non-number is ignored.
      'ordered/alpha.md': '---\ntitle: Alpha\nweight: 2\n---\n\nA.\n',
      'ordered/bravo.md': '---\ntitle: Bravo\nsidebar_position: 1\n---\n\nB.\n',
      'ordered/charlie.md': '---\ntitle: Charlie\nweight: heavy\n---\n\nC.\n',
      // Docusaurus: imports of its theme, which this project does not have.
      // A Fumadocs page importing the docs' own component files: one imports `next/link` (it stopped
      // the whole build), one imports nothing this project lacks (used as written).
      'fumadocs.mdx': [
        "import { CreateCallout } from './components/create-callout.tsx';",
        "import { Shout } from './components/shout.jsx';",
        '',
        '# Fumadocs',
        '',
        '<CreateCallout>Assumes a create-turbo repository.</CreateCallout>',
        '',
        'Say it <Shout>loud</Shout>.',
        '',
      ].join('\n'),
      'components/create-callout.tsx': [
        'import Link from "next/link";',
        'import type { ReactNode } from "react";',
        'import { Callout } from "@/components/geistdocs/callout";',
        '',
        'export const CreateCallout = ({ children }: { children?: ReactNode }) => (',
        '  <Callout type="info"><Link href="/docs/installation">create-turbo</Link> {children}</Callout>',
        ');',
      ].join('\n'),
      'components/shout.jsx': 'export const Shout = ({ children }) => <strong className="shout">{children}</strong>;\n',
      'docusaurus.mdx': [
        "import Tabs from '@theme/Tabs';",
        "import TabItem from '@theme/TabItem';",
        "import useBaseUrl from '@docusaurus/useBaseUrl';",
        "import '@site/src/css/page.css';",
        '',
        '# Docusaurus',
        '',
        '<Tabs>',
        '<TabItem value="npm" label="npm">',
        '',
        'Install with **npm**.',
        '',
        '</TabItem>',
        '</Tabs>',
        '',
        '<img src={useBaseUrl("/img/logo.png")} alt="Logo" />',
        '',
      ].join('\n'),
      // GitBook and Jekyll: Liquid tags.
      'gitbook.md': '# GitBook\n\n{% hint style="warning" %}\nBack up first.\n{% endhint %}\n\n{% highlight ruby %}\nputs 1\n{% endhighlight %}\n',
      // TOML frontmatter (Hugo, Zola): the page's title, not shown as text.
      'zola.md': '+++\ntitle = "Install with Zola"\ndescription = "TOML frontmatter"\n+++\n\nBody text.\n',
      // Frontmatter ingest cannot parse: ingest skips the file but keeps the version it last indexed,
      // whose citations link here: built without its frontmatter, said so (it was left out: a 404).
      'broken-yaml.md': '---\ntitle: Broken: yaml: here\ntags: [a, b\n---\n\n## Section\n\nContent of broken yaml page.\n',
      // YAML ingest reads but Astro's parser rejects (a CloudFormation tag): built with the frontmatter
      // ingest reads, as ingest indexes it (citations opened a 404), said so; in MDX too.
      'custom-tag.md': '---\ntitle: Custom tag\nbucket: !Ref Bucket\norder: 3\n---\n\nText of the custom tag page.\n',
      'custom-tag-mdx.mdx': '---\ntitle: Custom tag in MDX\nbucket: !Ref Bucket\n---\n\nText of the <strong>MDX</strong> page.\n',
      // Docent's own `order` that is not a number: reported and ignored (it failed the whole build).
      'ordered/delta.md': '---\ntitle: Delta\norder: first\n---\n\nD.\n',
      // Images the site cannot show, and paths from the site root (Docusaurus' static/ beside the docs).
      ...IMAGES,
      // A page with a missing image that stays as it is: Astro's cache does not render it again.
      'unchanged.md': '# Unchanged\n\n![Gone](./gone.png)\n',
    });
    expect([...warnings].sort()).toEqual(
      [
        '[docent] fumadocs.mdx: imports ./components/create-callout.tsx → next/link, which this project does not have: built with its components shown as their content',
        '[docent] docusaurus.mdx: imports @theme/Tabs, @theme/TabItem, @docusaurus/useBaseUrl, @site/src/css/page.css, which this project does not have: built with its components shown as their content',
        '[docent] broken-yaml.md:2: invalid frontmatter: Nested mappings are not allowed in compact mappings: built without its frontmatter; ingest skips the file (the index keeps the version it last read)',
        "[docent] custom-tag.md:3: frontmatter the docs site's parser cannot read (unknown tag !<!Ref>): built with the frontmatter as ingest reads it",
        "[docent] custom-tag-mdx.mdx:3: frontmatter the docs site's parser cannot read (unknown tag !<!Ref>): built with the frontmatter as ingest reads it",
        '[docent] ordered/delta.md:3: order "first" is not a number: ignored (the sidebar places the page by its other fields)',
        '[docent] pictures.md:7: image ./img/missing.png not found, shown as its alt text',
        '[docent] pictures.md:9: image ./img/lfs.png is a Git LFS pointer, not the image (fetch it with git lfs pull): shown as its alt text',
        '[docent] pictures.md:11: image ./img/truncated.png cannot be read as an image (damaged, or not an image): shown as its alt text',
        '[docent] pictures.md:13: image ./img/link.png cannot be read as an image (damaged, or not an image): shown as its alt text',
        '[docent] pictures.md:15: image ./notes.txt is not an image the site can show (.txt; it shows .jpeg .jpg .png .tiff .webp .gif .svg .avif): shown as its alt text',
        '[docent] pictures.md:17: image ./img/gone.png not found, shown as its alt text',
        '[docent] pictures.md:25: image /img/nothing.png not found, shown as its alt text',
        '[docent] pictures-jsx.mdx:7: image /img/nothing.png not found, shown as its alt text',
        '[docent] pictures-html.md:11: image /img/nothing.png not found, shown as its alt text',
        '[docent] params.mdx:7: image ./img/truncated.png cannot be read as an image (damaged, or not an image): shown as its alt text',
        '[docent] unchanged.md:3: image ./gone.png not found, shown as its alt text',
      ].sort(),
    );
    expect(result).toBe('built');
    expect(readFileSync(join(out, 'broken-yaml/index.html'), 'utf8')).toMatch(/<h1>Broken yaml<\/h1>[\s\S]*Content of broken yaml page\./);
    expect(readFileSync(join(out, 'custom-tag/index.html'), 'utf8')).toMatch(/<h1>Custom tag<\/h1>[\s\S]*Text of the custom tag page\./);
    expect(readFileSync(join(out, 'custom-tag-mdx/index.html'), 'utf8')).toMatch(/<h1>Custom tag in MDX<\/h1>[\s\S]*Text of the <strong>MDX<\/strong> page\./);
    expect(readFileSync(join(out, 'ordered/delta/index.html'), 'utf8')).toContain('<h1>Delta</h1>');
    // Every page ingest may have in its index (so citations link to it) is a page of the site, and
    // only those: the pages it indexes, and those whose frontmatter it cannot parse (it keeps their
    // last version).
    const docs = join(root, 'standins', 'docs');
    const indexed = (await listContentFiles(docs)).filter((path) => {
      try {
        parseDocument(decodeContent(readFileSync(join(docs, path)), path), path);
        return true;
      } catch (error) {
        return (error as ParseError).reason.startsWith('invalid frontmatter');
      }
    });
    const built = (dir: string): string[] =>
      readdirSync(join(out, dir), { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() && !['_astro', 'chat', 'review'].includes(entry.name) ? built(join(dir, entry.name)) : entry.name === 'index.html' ? [`/${dir}${dir ? '/' : ''}`] : [],
      );
    expect(built('').sort()).toEqual(indexed.map((path) => documentUrl(path)).sort());
    const pictures = readFileSync(join(out, 'pictures/index.html'), 'utf8');
    for (const alt of ['Missing', 'LFS', 'Truncated', 'Link to a text file', 'Not an image', 'Nowhere', 'Reference']) expect(pictures).toContain(`<em>[${alt}]</em>`);
    expect(pictures).toMatch(/<img alt="Good"[^>]* src="\/_astro\/good\.[^"]+\.png"/);
    expect(pictures).toMatch(/<img alt="In the content folder"[^>]* src="\/_astro\/in-content\.[^"]+\.png"/);
    expect(pictures).toMatch(/<img alt="In static"[^>]* src="\/_astro\/logo\.[^"]+\.png"/);
    expect(pictures).toContain('<img src="/favicon.svg" alt="Favicon">');
    // JSX <img>: pointed at the file Astro copies into the site, their other attributes kept.
    const jsx = readFileSync(join(out, 'pictures-jsx/index.html'), 'utf8');
    expect(jsx).toMatch(/<img src="\/_astro\/logo\.[^"]+\.png" alt="JSX in static" width="120"\/>/);
    expect(jsx).toMatch(/<img src="\/_astro\/jsx\.[^"]+\.png" alt="JSX required"\/>/);
    expect(jsx).toMatch(/Inline <img src="\/_astro\/jsx\.[^"]+\.png" alt="JSX inline" class="icon"\/> in text\./);
    expect(jsx).toContain('<em>[JSX nowhere]</em>');
    expect(jsx).toContain('<img src="https://example.com/web.png" alt="JSX web"/>');
    const copied = [...jsx.matchAll(/<img src="(\/_astro\/[^"]+)"/g)].map((m) => m[1]!);
    expect(copied).toHaveLength(3);
    for (const src of copied) expect(existsSync(join(out, src))).toBe(true);
    // HTML <img> of a markdown page: the same, the HTML around them kept.
    const htmlImages = readFileSync(join(out, 'pictures-html/index.html'), 'utf8');
    expect(htmlImages).toMatch(/<img class="hero" alt="HTML in static"[^>]* width="120"[^>]* src="\/_astro\/logo\.[^"]+\.png"/);
    expect(htmlImages).toMatch(/<p align="center">\s*<img alt="HTML centred"[^>]* src="\/_astro\/html\.[^"]+\.png"[^>]*>\s*<\/p>/);
    expect(htmlImages).toMatch(/<p>Inline <img alt="HTML inline"[^>]* src="\/_astro\/in-content\.[^"]+\.png"[^>]*> in text\.<\/p>/);
    expect(htmlImages).toContain('<em>[HTML nowhere]</em>');
    expect(htmlImages).toContain('<img src="https://example.com/web.png" alt="HTML web">');
    for (const [, src] of htmlImages.matchAll(/<img [^>]*src="(\/_astro\/[^"]+)"/g)) expect(existsSync(join(out, src!))).toBe(true);
    expect(readFileSync(join(out, 'params/index.html'), 'utf8')).toContain('<em>[Damaged]</em>');
    const html = readFileSync(join(out, 'params/index.html'), 'utf8');
    expect(html).toContain('How many results.');
    expect(html).toMatch(/<strong>Careful<\/strong>[\s\S]*Limits apply\./);
    expect(readFileSync(join(out, 'tips/index.html'), 'utf8')).toMatch(
      /<aside class="callout callout-warning"><p class="callout-title"><strong>Mind the cache<\/strong><\/p>\s*<p>It is shared\.<\/p>\s*<\/aside>/,
    );
    const admonitions = readFileSync(join(out, 'admonitions/index.html'), 'utf8');
    expect(admonitions).toMatch(/<aside class="callout callout-tip">[\s\S]*<strong>Tip<\/strong>[\s\S]*Use <strong>bold<\/strong> here\.[\s\S]*<\/aside>/);
    expect(admonitions).not.toContain(':::');
    const mkdocs = readFileSync(join(out, 'mkdocs/index.html'), 'utf8');
    expect(mkdocs).toMatch(
      /<aside class="callout callout-warning"><p class="callout-title"><strong>Back up first<\/strong><\/p>\s*<p>The migration <strong>rewrites<\/strong> the table\.<\/p>\s*<aside class="callout callout-tip">[\s\S]*Nested tip\.<\/p>\s*<\/aside>\s*<\/aside>/,
    );
    expect(mkdocs).toMatch(/<details class="callout callout-details"><summary><strong>Note<\/strong><\/summary>\s*<p>Hidden details\.<\/p>\s*<\/details>/);
    expect(mkdocs).toMatch(/<aside class="callout callout-tab">[\s\S]*<strong>npm<\/strong>[\s\S]*<pre class="astro-code[^>]*data-language="sh">[\s\S]*<\/pre><pre class="astro-code[^>]*data-language="plaintext"><code>[\s\S]*indented code stays code[\s\S]*<\/pre><\/aside>/);
    expect(/<article[\s\S]*<\/article>/.exec(mkdocs)?.[0]).not.toMatch(/!!!|\?\?\?|===|:::/);
    const hugo = readFileSync(join(out, 'hugo/index.html'), 'utf8');
    expect(hugo).toMatch(/<aside class="callout callout-warning"><p class="callout-title"><strong>Back up first<\/strong><\/p>\s*<p>It rewrites the table\.<\/p>\s*<\/aside>\s*<aside class="callout callout-note">[\s\S]*Adjacent\.[\s\S]*<\/aside>/);
    expect(/<article[\s\S]*<\/article>/.exec(hugo)?.[0]).not.toMatch(/\{\{|:::/);
    expect(readFileSync(join(out, 'hugo-mdx/index.html'), 'utf8')).toMatch(/<aside class="callout callout-note">[\s\S]*In MDX\.[\s\S]*<\/aside>/);
    const section = readFileSync(join(out, 'concepts/index.html'), 'utf8');
    expect(section).toContain('<title>Concepts · Docent</title>');
    expect(section).toContain('The section page.');
    expect(existsSync(join(out, 'concepts/_index'))).toBe(false);
    const sidebar = readFileSync(join(out, 'ordered/charlie/index.html'), 'utf8');
    const at = (title: string) => sidebar.indexOf(`>${title}</a>`);
    expect(at('Bravo')).toBeGreaterThan(0);
    expect(at('Bravo')).toBeLessThan(at('Alpha'));
    expect(at('Alpha')).toBeLessThan(at('Charlie'));
    const fumadocs = readFileSync(join(out, 'fumadocs/index.html'), 'utf8');
    expect(fumadocs).toContain('Assumes a create-turbo repository.');
    expect(fumadocs).toContain('Say it <strong class="shout">loud</strong>.');
    const docusaurus = readFileSync(join(out, 'docusaurus/index.html'), 'utf8');
    expect(docusaurus).toContain('Install with <strong>npm</strong>.');
    // <img src={useBaseUrl("/img/logo.png")} />: the file in static/, copied into the site.
    expect(docusaurus).toMatch(/<img src="\/_astro\/logo\.[^"]+\.png" alt="Logo"\/>/);
    const gitbook = readFileSync(join(out, 'gitbook/index.html'), 'utf8');
    expect(gitbook).toMatch(/<aside class="callout callout-warning">[\s\S]*Back up first\.[\s\S]*<\/aside>/);
    expect(gitbook).toMatch(/<pre class="astro-code[^>]*data-language="ruby">/);
    expect(/<article[\s\S]*<\/article>/.exec(gitbook)?.[0]).not.toContain('{%');
    const zola = readFileSync(join(out, 'zola/index.html'), 'utf8');
    expect(zola).toContain('<title>Install with Zola · Docent</title>');
    expect(zola).toContain('Body text.');
    expect(zola).not.toContain('+++');
    expect(readFileSync(join(out, 'mkdocs-mdx/index.html'), 'utf8')).toMatch(/<aside class="callout callout-info">[\s\S]*<strong>Heads up<\/strong>[\s\S]*Read <strong>this<\/strong>\.[\s\S]*<\/aside>/);

    // The next start, with another page changed: Astro's cache does not render unchanged.md again,
    // yet its missing image is reported again. pictures.md did not change either, but it follows its
    // images' files (the LFS image fetched, the good one damaged since), which do not stop the build.
    write('standins', { 'index.md': '# Home\n\nWelcome back.\n', 'img/lfs.png': Buffer.concat([PNG, Buffer.from('fetched')]), 'img/good.png': 'not a PNG any more\n' });
    writeFileSync(join(out, 'left-from-before.html'), 'old');
    const again = await rebuild('standins');
    expect(again.result).toBe('built');
    const images = (lines: string[]) => lines.filter((l) => l.includes(': image ')).sort();
    expect(images(again.warnings)).toEqual(
      [
        ...images(warnings).filter((l) => !l.includes('lfs.png')),
        '[docent] pictures.md:5: image ./img/good.png cannot be read as an image (damaged, or not an image): shown as its alt text',
      ].sort(),
    );
    expect(again.warnings.filter((l) => l.includes('.md:') && !l.includes(': image ')).sort()).toEqual(warnings.filter((l) => l.includes('.md:') && !l.includes(': image ')).sort());
    const rebuilt = readFileSync(join(out, 'pictures/index.html'), 'utf8');
    expect(rebuilt).toContain('<em>[Good]</em>');
    expect(rebuilt).toMatch(/<img alt="LFS"[^>]* src="\/_astro\/lfs\.[^"]+\.png"/);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('Welcome back.');
    // The new build took the old one's place, whole.
    expect(existsSync(join(out, 'left-from-before.html'))).toBe(false);
    expect(readdirSync(dirname(out)).filter((f) => f.startsWith('out.'))).toEqual([]);
  }, 600_000);

  it('builds an MDX page with MDX 1 habits (an autolink, a stray brace, <5, a path parameter), read as ingest reads them, and a page that is still not MDX as text', async () => {
    const { result, warnings, out } = await build('mdx1', {
      'index.md': '# Home\n\nWelcome.\n',
      'limits.mdx': [
        '# Limits',
        '',
        'Requests take <5 ms. See <https://example.com/limits>.',
        '',
        'It returns {status: 200} for GET /users/{id}, and `{kept: code}`.',
        '',
        '<img src="/chart.png" alt="Chart">',
        '',
      ].join('\n'),
      'chart.png': PNG,
      // Still not MDX after the repairs: built as text, its component tags left out.
      'unclosed.mdx': '# Unclosed\n\n<Tabs>\n<TabItem value="npm">\n\nInstall with npm {version}.\n',
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^\[docent\] unclosed\.mdx:4: not valid MDX \(Expected a closing tag for `<TabItem>`\): built as text, without its components$/);
    expect(result).toBe('built');
    const unclosed = readFileSync(join(out, 'unclosed/index.html'), 'utf8');
    expect(unclosed).toContain('Install with npm {version}.');
    expect(unclosed).not.toContain('TabItem');
    const html = readFileSync(join(out, 'limits/index.html'), 'utf8');
    expect(html).toContain('Requests take &lt;5 ms. See <a href="https://example.com/limits">https://example.com/limits</a>.');
    expect(html).toContain('It returns {status: 200} for GET /users/{id}, and <code>{kept: code}</code>.');
    // The unclosed <img> read as MDX 1 did: a JSX image, its file copied into the site.
    expect(html).toMatch(/<img src="\/_astro\/chart\.[^"]+\.png" alt="Chart"/);
  }, 300_000);

  it("shows callout components (Fumadocs' Callout, Starlight's Aside, Docusaurus' Admonition, Mintlify's Warning) as callouts, the content of a stand-in's named slots, and says which imported files are not found", async () => {
    const { result, warnings, out } = await build('components', {
      'index.md': '# Home\n\nWelcome.\n',
      'callouts.mdx': [
        "import { Aside } from '@astrojs/starlight/components';",
        "import Admonition from '@theme/Admonition';",
        '',
        '# Callouts',
        '',
        '<Callout type="warn" title="Caching behavior">',
        '  Cache misses after an upgrade.',
        '</Callout>',
        '',
        '<Callout>A plain callout.</Callout>',
        '',
        '<Aside type="caution">Some cautionary content.</Aside>',
        '',
        '<Admonition type="tip" title="Did you know...">',
        '  Use plugins.',
        '</Admonition>',
        '',
        '<Warning>A Mintlify warning.</Warning>',
        '',
        'Text with an <Info>inline</Info> one.',
        '',
        '<Card title="Not a callout">A card.</Card>',
        '',
      ].join('\n'),
      // Starlight's docs pass a component's preview in a named slot (`slot="preview"`), which a stand-in has not.
      'slots.mdx': [
        "import Preview from '~/components/component-preview.astro';",
        '',
        '# Slots',
        '',
        '<Preview>',
        '',
        '<Aside slot="preview">',
        '  Include nonessential information.',
        '</Aside>',
        '',
        '```mdx',
        '<Aside>Some content.</Aside>',
        '```',
        '',
        '<Fragment slot="markdoc">',
        '',
        'The Markdoc version.',
        '',
        '</Fragment>',
        '',
        '</Preview>',
        '',
      ].join('\n'),
      // An imported image that is not there (a Fumadocs page importing from the site's public/ folder).
      'images.mdx': [
        "import Diagram from '../public/images/diagram.png';", // 1
        "import { Steps } from 'nextra/components';",
        "import { Helper } from './components/helper.tsx';",
        '',
        '# Images',
        '',
        '<Diagram />',
        '',
        '<Steps>The steps.</Steps> <Helper />',
        '',
      ].join('\n'),
      'components/helper.tsx': "import { gone } from './gone.ts';\nexport const Helper = () => <span>{gone}</span>;\n",
    });
    expect(result).toBe('built');
    expect(warnings.filter((l) => l.includes('images.mdx')).sort()).toEqual(
      [
        '[docent] images.mdx:1: imported file ../public/images/diagram.png not found, so the page is built without it',
        '[docent] images.mdx:3: imported file ./gone.ts (through ./components/helper.tsx) not found: built with its components shown as their content',
        '[docent] images.mdx: imports nextra/components, which this project does not have: built with its components shown as their content',
      ].sort(),
    );
    expect(readFileSync(join(out, 'images/index.html'), 'utf8')).toContain('The steps.');
    const callouts = /<article[\s\S]*<\/article>/.exec(readFileSync(join(out, 'callouts/index.html'), 'utf8'))![0];
    expect(callouts).toMatch(/<aside class="mdx-unknown callout callout-warning"><p class="callout-title"><strong>Caching behavior<\/strong><\/p><p>Cache misses after an upgrade\.<\/p><\/aside>/);
    expect(callouts).toMatch(/<aside class="mdx-unknown callout callout-note"><p class="callout-title"><strong>Note<\/strong><\/p>A plain callout\.<\/aside>/);
    expect(callouts).toMatch(/<aside class="mdx-unknown callout callout-caution"><p class="callout-title"><strong>Caution<\/strong><\/p>Some cautionary content\.<\/aside>/);
    expect(callouts).toMatch(/<aside class="mdx-unknown callout callout-tip"><p class="callout-title"><strong>Did you know\.\.\.<\/strong><\/p><p>Use plugins\.<\/p><\/aside>/);
    expect(callouts).toMatch(/<aside class="mdx-unknown callout callout-warning"><p class="callout-title"><strong>Warning<\/strong><\/p>A Mintlify warning\.<\/aside>/);
    // Inside text, its content only; a component that is not a callout, as before.
    expect(callouts).toContain('Text with an <span class="mdx-unknown">inline</span> one.');
    expect(callouts).toContain('<div class="mdx-unknown"><p class="mdx-unknown-title"><strong>Not a callout</strong></p>A card.</div>');
    const slots = /<article[\s\S]*<\/article>/.exec(readFileSync(join(out, 'slots/index.html'), 'utf8'))![0];
    expect(slots).toMatch(/Include nonessential information\.[\s\S]*Some content\.[\s\S]*The Markdoc version\./);
  }, 300_000);

  it('leaves out, naming each, the pages ingest refuses for their size (INGEST_MAX_PAGE_BYTES) or for a parse limit', async () => {
    const dir = join(root, 'refused');
    const pages: Record<string, string> = {
      'index.md': '# Home\n\nWelcome.\n',
      'generated.md': `# Generated\n\n${'word '.repeat(600_000)}\n`,
      'stars.md': `# Stars\n\n${'*a '.repeat(2500)}\n`,
      'braces.mdx': `# Braces\n\n${'{'.repeat(150)}${'}'.repeat(150)}\n`,
    };
    for (const [path, text] of Object.entries(pages)) {
      mkdirSync(dirname(join(dir, 'docs', path)), { recursive: true });
      writeFileSync(join(dir, 'docs', path), text);
    }
    const warnings: string[] = [];
    const out = join(dir, 'out');
    const result = await runSiteBuild({
      contentDir: join(dir, 'docs'),
      outDir: out,
      cacheDir: join(dir, 'cache'),
      env: { INGEST_MAX_PAGE_BYTES: '2500000' },
      log: () => {},
      warn: (l) => warnings.push(l),
    });
    expect(result).toBe('built');
    expect([...warnings].sort()).toEqual([
      '[docent] braces.mdx:3: MDX expression braces (`{`) nested more than 100 deep: write such text in a code block, or escape the braces (`\\{`): not built, as ingest does not index it',
      '[docent] generated.md: the file is 3.0 MB, more than the 2.5 MB a page may have (a generated or misnamed file?): not built, as ingest does not index it. Split it into smaller pages, or raise INGEST_MAX_PAGE_BYTES (now 2500000)',
      '[docent] stars.md:3: more than 2000 emphasis markers (`*`, `_`) in one paragraph: break it up, or put such text in a code block: not built, as ingest does not index it',
    ]);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    for (const page of ['generated', 'stars', 'braces']) expect(existsSync(join(out, page, 'index.html'))).toBe(false);
  }, 300_000);

  it('reports a page the site cannot build, naming it, and leaves the site built before to be served', async () => {
    // The site the running server serves, from an earlier build.
    const out = join(root, 'broken', 'out');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'index.html'), '<h1>Built before</h1>');
    writeFileSync(join(out, 'widget.js'), '/* widget */');
    writeFileSync(join(out, '.docent-build'), 'an earlier hash\n');
    const { result, warnings } = await build('broken', {
      'index.md': '# Home\n\nWelcome.\n',
      // A component that exists but does not compile (one that does not exist gets a stand-in, above).
      'broken.mdx': "import Broken from './broken-component.jsx';\n\n# Broken\n\n<Broken />\n",
      'broken-component.jsx': 'export default function Broken( {\n',
    });
    expect(result).toBe('failed');
    expect(warnings[0]).toBe('[docent] the docs site could not be built: the site built before is served, out of date (ingest, the API and answers work).');
    expect(warnings.join('\n')).toContain('broken-component');
    // The earlier site is left as it was (a failed build used to empty it), and its stamp too: the next start tries again.
    expect(readdirSync(out).sort()).toEqual(['.docent-build', 'index.html', 'widget.js']);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe('<h1>Built before</h1>');
    expect(readFileSync(join(out, '.docent-build'), 'utf8')).toBe('an earlier hash\n');
    expect(readdirSync(dirname(out)).filter((f) => f.startsWith('out.'))).toEqual([]);
  }, 300_000);
});

describe('replaceFolder()', () => {
  const root = mkdtempSync(join(tmpdir(), 'docent-replace-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('puts the new folder in the place of the old one, whole, and removes the old one', () => {
    mkdirSync(join(root, 'dist/page'), { recursive: true });
    writeFileSync(join(root, 'dist/page/index.html'), 'old');
    writeFileSync(join(root, 'dist/gone.html'), 'old');
    mkdirSync(join(root, 'next/page'), { recursive: true });
    writeFileSync(join(root, 'next/page/index.html'), 'new');
    replaceFolder(join(root, 'dist'), join(root, 'next'));
    expect(readdirSync(root)).toEqual(['dist']);
    expect(readdirSync(join(root, 'dist'))).toEqual(['page']);
    expect(readFileSync(join(root, 'dist/page/index.html'), 'utf8')).toBe('new');
  });

  it('creates the folder when there was none, and leaves the old one when the new one is not there', () => {
    mkdirSync(join(root, 'first'));
    replaceFolder(join(root, 'built'), join(root, 'first'));
    expect(existsSync(join(root, 'built'))).toBe(true);
    expect(() => replaceFolder(join(root, 'built'), join(root, 'missing'))).toThrow(/ENOENT/);
    expect(existsSync(join(root, 'built'))).toBe(true);
    expect(readdirSync(root).filter((f) => f.startsWith('built.'))).toEqual([]);
  });
});

describe('undefinedComponents()', () => {
  it('lists the components an MDX body uses but neither imports nor exports, not those in code', () => {
    const body = [
      "import Tabs, { TabItem as Item } from '@theme/Tabs';",
      'export const Local = () => null;',
      '<Tabs><Item>a</Item></Tabs> <Local /> <ParamField query="x" type="string">x</ParamField>',
      '<Note>n</Note> `<Inline />` <div>html</div>',
      '```jsx',
      '<InCode />',
      '```',
    ].join('\n');
    expect(undefinedComponents(body)).toEqual(['Note', 'ParamField']);
  });
});
