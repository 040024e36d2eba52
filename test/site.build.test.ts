/**
 * The built docs site (fixture docs in test/fixtures/site-docs, built once by the global setup):
 * pages at ingest's URLs, heading ids equal to ingest's anchors, sidebar, table of contents,
 * highlighted code, and the extra pages and the standalone widget.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { folderOfPage } from '../ingest/folder-page';
import { listContentFiles } from '../ingest/scan';
import { documentUrl } from '../ingest/urls';
import { buildSite, outFolderProblem, runSiteBuild, siteInputsHash } from '../site/build';
import { idsIn } from '../site/src/lib/html-ids';
import { removeTempDirs, tempDir } from './helpers/content';
import { FIXTURE_DOCS } from './setup/site-build';
import { readFixtureDocs } from './helpers/fixture-docs';

const siteDir = inject('siteDir');
const docs = await readFixtureDocs(FIXTURE_DOCS);
const page = (url: string) => readFileSync(join(siteDir, decodeURIComponent(url), 'index.html'), 'utf8');
const article = (html: string) => html.slice(html.indexOf('<article'), html.indexOf('</article>'));
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const headingIds = (html: string) => [...article(html).matchAll(/<h[1-6][^>]*\sid="([^"]*)"/g)].map((m) => m[1]);
const tocLinks = (html: string) => {
  const toc = html.includes('class="toc"') ? html.slice(html.indexOf('class="toc"'), html.indexOf('</aside>', html.indexOf('class="toc"'))) : '';
  return [...toc.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
};
/** Pages that failed while rendering and show a notice instead of their content (lib/mdx-render-guard.ts). */
const shownWithNotice = (url: string) => page(url).includes('class="docent-render-error"');
const rendered = docs.filter((d) => !shownWithNotice(d.url));

describe('site build: pages', () => {
  it.each(docs.map((d) => [d.path, d.url] as const))('renders %s at %s', (_path, url) => {
    expect(existsSync(join(siteDir, url, 'index.html'))).toBe(true);
  });

  it('builds /chat/, /review/, the 404 page and widget.js', () => {
    for (const file of ['chat/index.html', 'review/index.html', '404.html', 'widget.js', 'favicon.svg']) {
      expect(existsSync(join(siteDir, file)), file).toBe(true);
    }
  });

  it('renders MDX pages (expressions evaluated, JSX kept)', () => {
    const html = page('/api/components/');
    expect(html).toContain('The answer is 42');
    expect(html).toContain('<div class="note">A JSX block.</div>');
  });

  it('builds a page written for Docusaurus: mdx-code-block imports, require(), toc, raw-loader text, a partial it includes, magic comments, a link to its slug', () => {
    const html = article(page('/api/from-docusaurus/'));
    expect(html).not.toContain('import Tabs'); // the mdx-code-block is MDX, not code
    expect(html).toContain('Install with npm.');
    // <img src={require('./diagram.png').default} />: the file, copied into the site.
    const diagram = /<img src="(\/_astro\/diagram\.[^"]+\.png)" alt="A diagram"/.exec(html)?.[1];
    expect(diagram).toBeDefined();
    expect(existsSync(join(siteDir, diagram!))).toBe(true);
    expect(html).toContain('The source has a length.');
    expect(html).toMatch(/<h2 id="shared-options">Shared options<\/h2>[\s\S]*Every plugin accepts <code>id<\/code>/);
    expect(html).toContain('My site');
    expect(html).not.toContain('highlight-next-line'); // Docusaurus' magic comment, left out as its site does
    expect(html).toContain('<a href="/api/from-docusaurus/#shared-options">the shared options</a>'); // its slug's URL
  });

  it('shows a notice on a page that fails while it renders (a variable only its own generator defines), instead of failing the build', () => {
    const html = article(page('/api/needs-docusaurus/'));
    expect(html).toContain('This page could not be shown here');
    expect(page('/api/from-docusaurus/')).not.toContain('This page could not be shown here');
    expect(rendered.map((d) => d.path)).toEqual(docs.map((d) => d.path).filter((path) => path !== 'api/needs-docusaurus.mdx'));
  });

  it('lists in the table of contents of such a page none of the headings it does not show, and shows its title (its own # heading is not shown either)', () => {
    const html = page('/api/needs-docusaurus/');
    expect(docs.find((d) => d.path === 'api/needs-docusaurus.mdx')!.anchors.map((a) => a.anchor)).toEqual(['needs-its-own-generator-at-render-time', 'generated-headings']);
    expect(headingIds(html)).toEqual([]);
    expect(tocLinks(html)).toEqual([]);
    expect(html).not.toContain('On this page');
    expect(article(html)).toContain('<h1>Needs its own generator at render time</h1>');
  });

  it.each(docs.map((d) => [d.path, d.url] as const))('links in the table of contents of %s only headings on the page', (_path, url) => {
    const ids = headingIds(page(url));
    for (const link of tocLinks(page(url))) expect(ids).toContain(link);
  });
});

describe('site build: components the site does not have', () => {
  const html = article(page('/api/from-docusaurus/'));
  /** The tabs of the page: label, then the text under it. */
  const tabs = [...html.matchAll(/class="mdx-unknown callout callout-tab"><p class="callout-title"><strong>([^<]*)<\/strong><\/p>(?:<p>)?([^<]*)/g)].map((m) => [m[1], m[2]]);

  it("shows each tab under the label its button shows, by ingest's rules: label, else value, else its <Tabs items={…}> entry", () => {
    expect(tabs).toEqual([
      ['npm', 'Install with npm.'],
      ['yarn', 'Add it with Yarn.'],
      ['macOS', 'Open the macOS app.'],
      ['linux', 'Run the Linux script.'],
      ['React', 'Use the React hook.'],
      ['Vue', 'Use the Vue composable.'],
    ]);
    expect(html).not.toContain('items=');
  });

  it('renders a component inside a heading or a sentence inline, as its content; one on its own line as a block with its title', () => {
    expect(html).toContain('<h2 id="platforms-new-and-tabs">Platforms <span class="mdx-unknown">new</span> and tabs</h2>');
    expect(html).toContain('<p>A <span class="mdx-unknown">highlighted</span> word stays in its sentence.</p>');
    expect(html).not.toContain('not shown');
    expect(html).toContain('<div class="mdx-unknown"><p class="mdx-unknown-title"><strong>Card on one line</strong></p>');
    // No block inside a heading or a paragraph, anywhere on the page.
    expect(html).not.toMatch(/<(h[1-6]|p)\b[^>]*>(?:(?!<\/\1>)[\s\S])*<(?:div|p)\b/);
  });
});

describe('site build: code block titles, highlighted lines and line numbers', () => {
  /** Each code block of a page: its title (or none), its highlighted lines, whether its lines are numbered. */
  const blocks = (url: string) =>
    [...article(page(url)).matchAll(/(?:<figcaption class="code-title">([^<]*)<\/figcaption>)?<pre class="([^"]*)"[\s\S]*?<\/pre>/g)].map((m) => ({
      title: m[1],
      highlighted: m[0].split('\n').flatMap((line, i) => (line.includes('class="line highlighted"') ? [i + 1] : [])),
      numbered: m[2]!.split(' ').includes('line-numbers'),
    }));

  it('shows the title above the block and highlights its lines, in .md (Docusaurus, VitePress) and .mdx pages', () => {
    expect(blocks('/guide/configuration/')).toEqual([
      { title: 'acme.config.ts', highlighted: [2], numbered: false }, // ```ts title="acme.config.ts" {2}
      { title: 'vitepress.config.ts', highlighted: [1, 3], numbered: false }, // ```ts [vitepress.config.ts]{1,3}
      { title: undefined, highlighted: [2], numbered: false }, // ```js{2}
    ]);
    expect(article(page('/guide/configuration/'))).toMatch(/<figure class="code-block"><figcaption class="code-title">acme\.config\.ts<\/figcaption><pre class="astro-code[^"]* has-highlighted"/);
    expect(blocks('/api/from-docusaurus/')).toEqual([
      { title: 'docusaurus.config.js', highlighted: [2], numbered: false }, // the line // highlight-next-line marks
      // {1,3-4} counts the magic comment line, which is not shown: the three lines left.
      { title: 'src/App.tsx', highlighted: [1, 2, 3], numbered: true },
    ]);
  });

  it('leaves the language of a VitePress js{2} fence as js, so it is highlighted as JavaScript', () => {
    expect(article(page('/guide/configuration/'))).toContain('data-language="js"');
  });
});

describe('site build: MkDocs snippets', () => {
  it('shows the part of a file a snippet names, and no abbreviation definitions', () => {
    const html = article(page('/guide/snippets/'));
    expect(html).toMatch(/client[\s\S]*=[\s\S]*acme[\s\S]*Client[\s\S]*retries/);
    expect(html).not.toContain('8&#x3C;');
    expect(html).not.toContain('8&lt;');
    expect(html).not.toContain('ping'); // the lines after the section
    expect(html).not.toContain('Command-line interface');
    expect(html).toContain('The CLI prints');
  });

  it('shows MkDocs keys as keys and cross-references as their text', () => {
    const html = article(page('/guide/snippets/'));
    expect(html).toContain('<kbd>Ctrl</kbd>+<kbd>C</kbd>');
    expect(html).toContain('or read about the client first.');
  });
});

describe('site build: VitePress includes and MyST directives', () => {
  it('shows the lines, region and section an include names, a code import as code, a script constant\'s value, and a MyST note as a callout', () => {
    const html = article(page('/guide/includes/'));
    expect(html).toContain('Install the package first.');
    expect(html).toContain('name the package <code>acme-docs</code>'); // {{ packageName }} from its <script setup>
    expect(html).not.toContain('Not shown'); // the part file's frontmatter
    expect(html).toMatch(/Upgrade with <code>acme upgrade --all<\/code>/);
    expect(html).toContain('Copy the wheel to the machine.');
    expect(html).not.toContain('Not included by section.');
    expect(html).not.toContain('@include');
    expect(html).toMatch(/serve[\s\S]*8787/);
    expect(html).not.toContain('import { serve }'); // outside the region
    expect(html).toMatch(/<aside class="callout callout-note">[\s\S]*Written for MyST, shown as a note with <code>acme --help<\/code>/);
  });
});

describe("site build: a folder's README", () => {
  it("serves a README at its folder's URL, with links to it and to the folder leading there", () => {
    expect(article(page('/book/'))).toContain('<h1 id="the-book">The book</h1>');
    const hrefs = [...article(page('/book/chapter-1/')).matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs).toEqual(['/book/#chapters', '/book/']);
  });

  it("builds no README beside its folder's index page", () => {
    expect(existsSync(join(siteDir, 'guide/readme'))).toBe(false);
    expect(existsSync(join(siteDir, 'guide/README'))).toBe(false);
    expect(page('/guide/')).not.toContain('Notes for whoever edits this folder');
  });
});

describe('site build: links between pages', () => {
  it('points links to another page\'s file, or its path without extension, at that page\'s URL (anchors kept); leaves the rest as written', () => {
    const hrefs = [...article(page('/guide/links/')).matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].map((m) => [m[2], m[1]]);
    expect(hrefs).toEqual([
      ['the env section', '/guide/configuration/#env'],
      ['routing', '/api/routing/'],
      ["routing's parameters", '/api/routing/#path-parameter'],
      ['the API overview', '/api/'],
      ['home', '/'],
      ['a reference-style link', '/api/components/'],
      ['the web', 'https://example.com/page.md'],
      ["this page's own heading", '#links-between-pages'],
      ['not a page', './missing.md'],
      ['a draft', './upcoming-feature.md'],
    ]);
    for (const [, href] of hrefs.slice(0, 6)) {
      const [path, anchor] = href!.split('#');
      expect(existsSync(join(siteDir, path!, 'index.html')), href).toBe(true);
      if (anchor) expect(headingIds(page(path!)), href).toContain(anchor);
    }
  });
});

describe('site build: images', () => {
  it('shows an image whose file is missing as its alt text (else its file name) instead of failing the build; keeps the others', () => {
    const html = article(page('/guide/links/'));
    expect(html).toContain('<em>[Architecture diagram]</em>');
    expect(html).toContain('<em>[missing-without-alt.png]</em>');
    expect(html).not.toContain('missing-diagram.png');
    expect(html).toMatch(/<img [^>]*alt="The request flow"/);
  });
});

describe('site build: the pages are exactly the files ingest indexes', () => {
  afterAll(removeTempDirs);

  /** The URL of every docs page built (every `index.html` but the chat and review pages). */
  const builtUrls = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((file) => file === 'index.html' || file.endsWith(`${sep}index.html`))
      .map((file) => `/${relative(dir, join(dir, file, '..')).split(sep).join('/')}/`.replace(/^\/\/$/, '/'))
      .filter((url) => url !== '/chat/' && url !== '/review/')
      .sort();

  it('builds a page for every file ingest lists, and no other (citations never lead to a 404)', async () => {
    const indexed = (await listContentFiles(FIXTURE_DOCS)).map((path) => decodeURIComponent(documentUrl(path))).sort();
    expect(builtUrls(siteDir)).toEqual(indexed);
  });

  it('does not build draft pages (`draft: true`), which ingest does not index', async () => {
    expect(existsSync(join(FIXTURE_DOCS, 'guide/upcoming-feature.md'))).toBe(true);
    expect(await listContentFiles(FIXTURE_DOCS)).not.toContain('guide/upcoming-feature.md');
    expect(existsSync(join(siteDir, 'guide/upcoming-feature'))).toBe(false);
  });

  it('does not build the pages of a symbolically linked folder, which ingest does not follow', () => {
    expect(existsSync(join(FIXTURE_DOCS, 'linked/elsewhere.md'))).toBe(true);
    expect(existsSync(join(siteDir, 'linked'))).toBe(false);
  });

  it('leaves linked folders out of the site inputs hash too (what they hold is not built; link loops end)', () => {
    const dir = tempDir('docent-site-inputs-');
    const elsewhere = tempDir('docent-site-elsewhere-');
    writeFileSync(join(dir, 'a.md'), '# A\n');
    writeFileSync(join(elsewhere, 'b.md'), '# B\n');
    symlinkSync(elsewhere, join(dir, 'linked'), 'dir');
    mkdirSync(join(dir, 'guide'));
    symlinkSync('..', join(dir, 'guide/up'), 'dir');
    const before = siteInputsHash(dir);
    writeFileSync(join(elsewhere, 'b.md'), '# B, changed\n');
    expect(siteInputsHash(dir)).toBe(before);
    writeFileSync(join(dir, 'a.md'), '# A, changed\n');
    expect(siteInputsHash(dir)).not.toBe(before);
  });
});

describe('site build: page titles are the titles ingest stores (the ones citations show)', () => {
  const sidebar = page('/');
  it.each(docs.map((d) => [d.path, d] as const))('%s', (_path, doc) => {
    const html = page(doc.url);
    expect(html).toContain(`<title>${escape(doc.title)} · Docent</title>`);
    // Folder pages are listed as "Overview"; pages with a sidebar label of their own
    // (guide/links.md) are checked in "navigation".
    if (folderOfPage(doc.path) === undefined && doc.path !== 'guide/links.md') expect(sidebar).toContain(`href="${doc.url}">${escape(doc.title)}</a>`);
    // The page shows the title: as its own leading h1, or in the h1 the layout prints.
    expect(article(html)).toMatch(new RegExp(`<h1[^>]*>${escape(doc.title).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</h1>`));
  });

  it('takes the first real h1 (not a "# comment" in a code block), a setext h1, a number, and skips an empty title', () => {
    const titles = Object.fromEntries(docs.filter((d) => d.path.startsWith('titles/')).map((d) => [d.path, d.title]));
    expect(titles).toEqual({
      'titles/code-fence-first.md': 'Fenced comment is not the title',
      'titles/empty-title.md': 'Heading after an empty title',
      'titles/index.md': 'Titles',
      'titles/setext.md': 'Underlined heading title',
      'titles/year-title.md': '2024',
    });
    // `title:` and `description:` left empty are no title and no description, not "null".
    expect(page('/titles/empty-title/')).not.toMatch(/>null<|="null"/);
  });
});

describe('site build: heading anchors equal the anchors ingest stores', () => {
  // But on a page shown with a notice instead of its content (above).
  it.each(rendered.map((d) => [d.path, d] as const))('%s', (_path, doc) => {
    expect(headingIds(page(doc.url))).toEqual(doc.anchors.map((a) => a.anchor));
  });

  it.each(rendered.map((d) => [d.path, d] as const))('every section ingest stores for %s links to a heading on its page', (_path, doc) => {
    const ids = headingIds(page(doc.url));
    for (const section of doc.sections.filter((s) => s.anchor)) expect(ids).toContain(section.anchor);
  });

  it('keeps typography and duplicates as ingest slugs them', () => {
    expect(headingIds(page('/guide/quick-start/'))).toEqual(
      expect.arrayContaining(['example', 'example-1', 'start----and-stop']),
    );
    expect(headingIds(page('/guide/configuration/'))).toEqual(expect.arrayContaining(['port-and-host', 'set--get', 'dont-repeat-yourself']));
    expect(headingIds(page('/api/routing/'))).toContain('realm--string');
    expect(page('/guide/quick-start/')).toContain('Start -- and stop...');
  });

  it('uses an explicit heading id ({#id}, in markdown and MDX) as the anchor and does not show it', () => {
    for (const [url, id, text] of [['/guide/configuration/', 'env', 'Environment variables'], ['/api/components/', 'pinned-id', 'Explicit ids']] as const) {
      const html = article(page(url));
      expect(html).toMatch(new RegExp(`<h2[^>]*id="${id}"[^>]*>${text}</h2>`));
      expect(html).not.toContain(`{#${id}}`);
    }
    // Inside a code block it is code, left as written.
    expect(article(page('/api/components/'))).toContain('{#inside-code}');
    // HTML comments and <br> in MDX, as MDX 1 read them.
    expect(article(page('/api/components/'))).not.toContain('An HTML comment');
    expect(article(page('/api/components/'))).toMatch(/pin its anchor,<br\s*\/?>as Docusaurus/);
  });
});

describe('site build: navigation', () => {
  const html = page('/guide/quick-start/');

  it('marks the current page in the sidebar, with groups from folders and frontmatter order', () => {
    expect(html).toMatch(/<a class="nav-link" href="\/guide\/quick-start\/" aria-current="page">Quick start<\/a>/);
    const sidebar = html.slice(html.indexOf('id="sidebar"'), html.indexOf('</nav>', html.indexOf('id="sidebar"')));
    const order = ['Introduction', 'Guide', 'Quick start', 'Configuration', 'Page links', 'API reference', 'Routing', 'Components (MDX)'].map((t) => sidebar.indexOf(`>${t}<`));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('reads Starlight\'s sidebar object (label, order) instead of failing the build on it', () => {
    expect(html).toContain('href="/guide/links/">Page links</a>');
    expect(page('/guide/links/')).toContain('<title>Links between pages · Docent</title>');
  });

  it('lists h2 and h3 in the table of contents, linked to their anchors', () => {
    expect(tocLinks(html)).toEqual(['install', 'hello-world', 'example', 'example-1', 'options-at-a-glance', 'start----and-stop']);
  });

  it('links previous and next pages', () => {
    expect(html).toMatch(/<a class="prev" href="\/guide\/" rel="prev">/);
    expect(html).toMatch(/<a class="next" href="\/guide\/configuration\/" rel="next">/);
  });

  it('shows the page title once, with its description under it', () => {
    expect(article(html).match(/<h1/g)).toHaveLength(1);
    expect(html).toContain('<p class="doc-description">Install Acme and answer your first request.</p>');
    expect(html).toContain('<title>Quick start · Docent</title>');
  });
});

describe('site build: code and widget', () => {
  it('highlights code with Shiki in light and dark themes', () => {
    const html = page('/guide/quick-start/');
    expect(html).toMatch(/<pre class="astro-code astro-code-themes github-light-high-contrast github-dark-default"/);
    expect(html).toContain('--shiki-dark:');
  });

  it('puts the chat launcher on docs pages but not on /chat/ and /review/', () => {
    expect(page('/guide/quick-start/')).toContain('dc-launcher');
    expect(page('/chat/')).not.toContain('dc-launcher');
    expect(page('/review/')).not.toContain('dc-launcher');
  });

  it("gives each page its language (frontmatter `lang`, else its text's), which the chat widget sends; pages in no one language get none", () => {
    const htmlTag = (url: string) => /<html[^>]*>/.exec(page(url))![0];
    expect(htmlTag('/guide/quick-start/')).toMatch(/lang="en" data-docent-language="en"/);
    expect(htmlTag('/book/chapitre-2/')).toMatch(/lang="fr" data-docent-language="fr"/);
    expect(htmlTag('/book/chapter-3/')).toMatch(/lang="en-GB" data-docent-language="en-GB"/);
    // Too few words to tell ("A title YAML reads as a number, shown as its text."), and /chat/:
    // the site's default, and an empty data-docent-language (the widget sends no language).
    expect(htmlTag('/titles/year-title/')).toMatch(/lang="en" data-docent-language(="")? /);
    expect(htmlTag('/chat/')).toMatch(/lang="en" data-docent-language(="")? /);
  });

  it('bundles the standalone widget as a small classic script that names its chat script, hashed, beside it', () => {
    const js = readFileSync(join(siteDir, 'widget.js'), 'utf8');
    expect(js).not.toMatch(/^\s*import\s/m);
    expect(js).toContain('attachShadow');
    expect(js).toContain('docent-root');
    // The launcher and its styles only: React and the chat are in the chat script.
    expect(js.length).toBeLessThan(40_000);
    expect(js).not.toContain('react.element');
    const chatFile = /_astro\/docent-chat\.[\w-]+\.js/.exec(js)?.[0];
    expect(chatFile).toBeDefined();
    const chat = readFileSync(join(siteDir, chatFile!), 'utf8');
    expect(chat).toContain('react.element');
    // A classic script whose one global is the chat it hands to widget.js: no helper of the
    // bundler's at its top level, which would overwrite the host page's globals of that name.
    expect(chat).toMatch(/^var DocentWidgetChat=\(function\(/);
    expect(chat).not.toMatch(/^\s*import\s/m);
  });

  it('writes the chat manifest beside widget.js, naming the chat script widget.js names (for pages opened before a redeploy)', () => {
    const chatFile = /_astro\/docent-chat\.[\w-]+\.js/.exec(readFileSync(join(siteDir, 'widget.js'), 'utf8'))?.[0];
    expect(readFileSync(join(siteDir, 'widget-chat.js'), 'utf8')).toBe(`window.DocentWidgetChatFile = ${JSON.stringify(chatFile)};\n`);
  });
});

describe('idsIn()', () => {
  it('lists the ids of the elements of an HTML fragment, decoded, not text that looks like one', () => {
    const html = '<h2 id="install">Install</h2><p>Use <code>id="fake"</code></p><h3 id=\'a&amp;b\'>A</h3><h3 id="caf&#xE9;">B</h3>';
    expect([...idsIn(html)]).toEqual(['install', 'a&b', 'café']);
  });
});

describe('npm run build:site into a SITE_OUT_DIR that holds other files', () => {
  it('refuses before building and removes nothing (SITE_OUT_DIR=content would have deleted the docs); --if-stale (npm start) says so', async () => {
    const contentDir = tempDir();
    writeFileSync(join(contentDir, 'index.md'), '# Home\n');
    const docs = tempDir();
    mkdirSync(join(docs, 'guides'));
    writeFileSync(join(docs, 'index.md'), '# The docs themselves\n');
    const file = join(tempDir(), 'notes.txt');
    writeFileSync(file, 'not a folder');
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    for (const [outDir, problem] of [
      [docs, 'holds other files (guides, index.md) than a docs site built before, and a build replaces the whole folder: name a new or empty folder'],
      [file, 'is a file, not a folder'],
    ] as const) {
      await expect(runSiteBuild({ contentDir, outDir, log, warn: log })).rejects.toThrow(
        `the docs site's folder ${relative(process.cwd(), outDir) || outDir} (SITE_OUT_DIR) ${problem}: the site was not built, and nothing was removed.`,
      );
      lines.length = 0;
      expect(await runSiteBuild({ contentDir, outDir, log, warn: log, ifStale: true })).toBe('failed');
      expect(lines).toEqual([`[docent] the docs site's folder ${relative(process.cwd(), outDir) || outDir} (SITE_OUT_DIR) ${problem}: the docs site is not built, and nothing was removed.`]);
      await expect(buildSite({ contentDir, outDir })).rejects.toThrow(`${outDir} ${problem}; nothing was built or removed.`);
    }
    expect(readdirSync(docs).sort()).toEqual(['guides', 'index.md']);
    expect(readFileSync(join(docs, 'index.md'), 'utf8')).toBe('# The docs themselves\n');
    expect(readFileSync(file, 'utf8')).toBe('not a folder');
    expect(outFolderProblem(join(tempDir(), 'new'))).toBeUndefined();
    expect(outFolderProblem(tempDir())).toBeUndefined();
  });
});

describe('npm run build:site with a CONTENT_DIR that is not a folder', () => {
  it('fails before building, leaving the site built before as it was; with --if-stale (npm start) serves that site', async () => {
    const outDir = tempDir();
    writeFileSync(join(outDir, 'index.html'), 'the site built before');
    writeFileSync(join(outDir, '.docent-build'), 'an older build\n');
    const missing = join(tempDir(), 'no-such-folder');
    const file = join(tempDir(), 'page.md');
    writeFileSync(file, '# A page, not a folder\n');
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    for (const [contentDir, problem] of [[missing, 'does not exist'], [file, 'is not a folder']] as const) {
      await expect(runSiteBuild({ contentDir, outDir, log, warn: log })).rejects.toThrow(
        `CONTENT_DIR "${contentDir}" ${problem} (set CONTENT_DIR to the folder of your markdown files): the site was not built; `,
      );
      lines.length = 0;
      expect(await runSiteBuild({ contentDir, outDir, log, warn: log, ifStale: true })).toBe('failed');
      expect(lines).toEqual([`[docent] CONTENT_DIR "${contentDir}" ${problem} (set CONTENT_DIR to the folder of your markdown files): the docs site is not rebuilt; serving the one built before.`]);
    }
    expect(readFileSync(join(outDir, 'index.html'), 'utf8')).toBe('the site built before');
    expect(readdirSync(outDir).sort()).toEqual(['.docent-build', 'index.html']);
  });
});
