import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { ParseError, parseDocument, readPageInfo, titleFromPath } from '../ingest/parse';
import { findParseLimitProblem } from '../ingest/parse-limits';

const fixture = (path: string) => readFileSync(new URL(`./fixtures/${path}`, import.meta.url), 'utf8');
const sectionsOf = (source: string, path: string) =>
  parseDocument(source, path).sections.map((s) => ({ headings: s.headings, anchor: s.anchor }));

describe('parseDocument()', () => {
  describe('title', () => {
    it('comes from frontmatter first, and the h1 is then not repeated in breadcrumbs', () => {
      const doc = parseDocument(fixture('docs/hono/index.md'), 'index.md');
      expect(doc.title).toBe('Hono - Web framework built on Web Standards');
      expect(doc.sections[0]!.headings).toEqual(['Hono - Web framework built on Web Standards']);
      expect(doc.sections[0]!.anchor).toBe('');
      expect(doc.sections[1]!.headings).toEqual(['Hono - Web framework built on Web Standards', 'Quick Start']);
    });

    it('falls back to the first h1, then to the file name', () => {
      expect(parseDocument('# Routing\n\nText.', 'api/routing.md').title).toBe('Routing');
      expect(parseDocument('Just text.', 'guides/getting-started.md').title).toBe('Getting started');
      expect(parseDocument('Just text.', 'guides/index.md').title).toBe('Guides');
      expect(titleFromPath('index.mdx')).toBe('Home');
      expect(titleFromPath('concepts/_index.md')).toBe('Concepts');
      expect(titleFromPath('getting-started/README.md')).toBe('Getting started');
    });

    it("made from the file name leaves out its number prefix, as Docusaurus does (the URL keeps it)", () => {
      expect(parseDocument('Just text.', '01-intro.md').title).toBe('Intro');
      expect(parseDocument('Just text.', '02-guides/index.md').title).toBe('Guides');
      expect(readPageInfo('Just text.', '02-guides/10_first-steps.mdx').title).toBe('First steps');
      expect(titleFromPath('3 - FAQ.md')).toBe('FAQ');
      // A date or a version is no prefix; a name that is only a number stays one.
      expect(titleFromPath('blog/2021-01-31-notes.md')).toBe('2021 01 31 notes');
      expect(titleFromPath('7.0-release.md')).toBe('7.0 release');
      expect(titleFromPath('releases/2024.md')).toBe('2024');
      // A title or heading of its own is kept as written.
      expect(parseDocument('# 01 Intro\n\nText.', '01-intro.md').title).toBe('01 Intro');
      expect(parseDocument('---\ntitle: 1. Setup\n---\n\nText.', '01-setup.md').title).toBe('1. Setup');
    });

    it('reads a number as text, as the docs site does, and rejects a list or a map with the line', () => {
      const doc = parseDocument('---\ntitle: 2024\ndescription: true\n---\n\nText.\n', 'releases/2024.md');
      expect([doc.title, doc.description]).toEqual(['2024', 'true']);
      expect(() => parseDocument('---\norder: 1\ntitle:\n  - Install\n  - Setup\n---\n\nText.\n', 'install.md')).toThrowError(
        new ParseError('install.md', 3, 'invalid frontmatter: title must be text, not a list'),
      );
      expect(() => parseDocument('---\ntitle: Fine\ndescription: {short: x}\n---\n\nText.\n', 'd.md')).toThrowError(
        new ParseError('d.md', 3, 'invalid frontmatter: description must be text, not a map'),
      );
    });

    it('reads description and the rest of the frontmatter', () => {
      const doc = parseDocument(fixture('docs/guides/components.mdx'), 'guides/components.mdx');
      expect(doc.title).toBe('Using components');
      expect(doc.description).toBe('How MDX components show up in the index.');
      expect(doc.frontmatter).toMatchObject({ sidebar: { order: 2 } });
    });

    it('reads the first h1 as a section, not the title, when the page has several h1s and prose before the first (a README using # for its sections)', () => {
      const readme = '[![logo](logo.svg)](https://example.com)\n[![CI](ci.svg)](https://ci)\n\nA fast client for Redis.\n\n# Features\n\n- Fast.\n\n# Quick Start\n\n## Install\n\nnpm i it\n';
      const doc = parseDocument(readme, 'README.md');
      expect(doc.title).toBe('Home');
      expect(doc.sections.map((s) => s.headings)).toEqual([['Home'], ['Home', 'Features'], ['Home', 'Quick Start', 'Install']]);
      expect(readPageInfo(readme, 'README.md').title).toBe('Home');
      // Badges alone before it, or a single h1 after prose, still name the page.
      expect(parseDocument('[![CI](ci.svg)](https://ci)\n\n# my-lib\n\nText.\n\n# Usage\n\nMore.\n', 'README.md').title).toBe('my-lib');
      expect(parseDocument('A note.\n\n# Routing\n\nText.\n\n## Params\n\nMore.\n', 'api/routing.md').title).toBe('Routing');
    });

    it('names the home page by an HTML <h1> before the first heading when it has no markdown h1 (a README opening with logos)', () => {
      const readme = '<div align="center">\n  <img src="logo.svg">\n  <h1>eslint-plugin-<b>jest</b></h1>\n  <p>ESLint plugin for Jest</p>\n</div>\n\n## Installation\n\nText.\n';
      const doc = parseDocument(readme, 'README.md');
      expect(doc.title).toBe('eslint-plugin-jest');
      expect(doc.sections.map((s) => s.headings)).toEqual([['eslint-plugin-jest'], ['eslint-plugin-jest', 'Installation']]);
      expect(readPageInfo(readme, 'README.md').title).toBe('eslint-plugin-jest');
      // MDX reads the same block as JSX; a paragraph of inline HTML is the same title.
      expect(parseDocument(readme, 'README.mdx').title).toBe('eslint-plugin-jest');
      expect(parseDocument('<h1>Inline  title</h1>\n\nText.\n', 'index.md').title).toBe('Inline title');
      // Other pages keep their file's name: a banner repeated on every page is not their title.
      expect(parseDocument('<h1 align="center">Fastify</h1>\n\n## Routes\n\nText.\n', 'docs/Routes.md').title).toBe('Routes');
      expect(parseDocument('<h1>Banner</h1>\n\nText.\n', 'guide/README.md').title).toBe('Guide');
      // A markdown h1 anywhere, or frontmatter, wins; an <h1> after the first heading is not the title.
      expect(parseDocument('<h1>HTML</h1>\n\n# Markdown\n\nText.\n', 'a.md').title).toBe('Markdown');
      expect(parseDocument('---\ntitle: Front\n---\n\n<h1>HTML</h1>\n', 'a.md').title).toBe('Front');
      expect(parseDocument('Intro.\n\n## Usage\n\n<h1>Later</h1>\n', 'README.md').title).toBe('Home');
      expect(parseDocument('<h1> </h1>\n\nText.\n', 'README.md').title).toBe('Home');
    });
  });

  describe('sections', () => {
    it('puts the same-level headings after a release heading under it in a changelog written flat, and reads nested changelogs and numbered sections as written', () => {
      const flat = '# Changelog\n\n## v1.2.0 — May 2, 2026\n\nSummary.\n\n## 🐛 Bug Fixes\n\n- Fix A.\n\n### Details\n\nMore.\n\n## v1.1.0 - April 1, 2026\n\n## 🐛 Bug Fixes\n\n- Fix B.\n\n## Credits\n\nThanks.\n';
      const doc = parseDocument(flat, 'CHANGELOG.md');
      expect(doc.sections.map((s) => s.headings.slice(1).join(' > '))).toEqual([
        'v1.2.0 — May 2, 2026',
        'v1.2.0 — May 2, 2026 > 🐛 Bug Fixes',
        'v1.2.0 — May 2, 2026 > 🐛 Bug Fixes > Details',
        'v1.1.0 - April 1, 2026 > 🐛 Bug Fixes',
        'v1.1.0 - April 1, 2026 > Credits',
      ]);
      expect(doc.sections.map((s) => s.anchor)).toEqual(['v120--may-2-2026', '-bug-fixes', 'details', '-bug-fixes-1', 'credits']);
      const nested = parseDocument('# Changelog\n\n## [2.0.0] - 2024-01-05\n\n### Fixed\n\n- A.\n\n## [1.0.0] - 2023-01-05\n\n### Added\n\n- B.\n', 'CHANGELOG.md');
      expect(nested.sections.map((s) => s.headings.slice(1).join(' > '))).toEqual(['[2.0.0] - 2024-01-05 > Fixed', '[1.0.0] - 2023-01-05 > Added']);
      // One release heading is not a list of releases; "2.1 Terminology" is a numbered section.
      const one = parseDocument('# Upgrading\n\n## v2.0.0\n\nText.\n\n## Notes\n\nText.\n', 'upgrading.md');
      expect(one.sections.map((s) => s.headings.slice(1).join(' > '))).toEqual(['v2.0.0', 'Notes']);
      const spec = parseDocument('# Spec\n\n## 2.1 Terminology\n\nText.\n\n## 2.2 Syntax\n\nText.\n\n## References\n\nText.\n', 'spec.md');
      expect(spec.sections.map((s) => s.headings.slice(1).join(' > '))).toEqual(['2.1 Terminology', '2.2 Syntax', 'References']);
    });

    it('joins a heading with nothing under it to the next heading of its level, which holds what both name', () => {
      // Node.js documents a function's signatures as headings in a row; axios lists its aliases so.
      const node = '# Util\n\n## `util.inspect(object[, options])`\n\n## `util.inspect(object[, showHidden])`\n\n<!-- YAML\nadded: v0.3.0\n-->\n\nReturns a string.\n\n### Customizing colors\n\nText.\n';
      expect(sectionsOf(node, 'util.md')).toEqual([
        { headings: ['Util', 'util.inspect(object[, options]) · util.inspect(object[, showHidden])'], anchor: 'utilinspectobject-showhidden' },
        { headings: ['Util', 'util.inspect(object[, options]) · util.inspect(object[, showHidden])', 'Customizing colors'], anchor: 'customizing-colors' },
      ]);
      const aliases = '# API\n\n### Aliases\n\nFor convenience:\n\n##### axios.get(url)\n\n##### axios.delete(url)\n\n##### axios.post(url, data)\n\n###### Note\n\nNo `url` in config.\n\n## Next\n\nText.\n';
      expect(sectionsOf(aliases, 'README.md').map((s) => s.headings.slice(1).join(' > '))).toEqual([
        'Aliases',
        'Aliases > axios.get(url) · axios.delete(url) · axios.post(url, data) > Note',
        'Next',
      ]);
      // Not when something stands between them (a component ingest leaves out, as the AI SDK's
      // `## Import` holds a <Snippet />), nor a release without notes and the release after it,
      // nor a heading before one of a higher level.
      const mdx = '# generateText\n\n## Import\n\n<Snippet text={`import { generateText } from "ai"`} prompt={false} />\n\n## API Signature\n\nText.\n';
      expect(sectionsOf(mdx, 'generate-text.mdx').map((s) => s.headings.slice(1).join(' > '))).toEqual(['API Signature']);
      const releases = '# Changelog\n\n## v1.0.1\n\n## v1.0.0\n\n- First.\n';
      expect(sectionsOf(releases, 'CHANGELOG.md').map((s) => s.headings.slice(1).join(' > '))).toEqual(['v1.0.0']);
      const higher = '# Page\n\n## Intro\n\nText.\n\n### Empty\n\n## Next\n\nText.\n';
      expect(sectionsOf(higher, 'page.md').map((s) => s.headings.slice(1).join(' > '))).toEqual(['Intro', 'Next']);
    });

    it('keeps a run of empty headings that ends its section as a list in the section above', () => {
      const methods = '# API\n\n### Instance methods\n\nAvailable methods:\n\n##### axios#get(url)\n\n##### axios#post(url, data)\n\n## Request config\n\nText.\n\n### Last\n\n#### a()\n\n#### b()\n';
      const doc = parseDocument(methods, 'README.md');
      expect(doc.sections.map((s) => [s.headings.slice(1).join(' > '), s.blocks.map((b) => b.text)])).toEqual([
        ['Instance methods', ['Available methods:', '- axios#get(url)\n- axios#post(url, data)']],
        ['Request config', ['Text.']],
      ]);
      // One empty heading is not a list; nor is a run under a heading with nothing of its own.
      expect(parseDocument('# P\n\n## A\n\nText.\n\n### Only\n\n## B\n\nText.\n', 'p.md').sections[0]!.blocks.map((b) => b.text)).toEqual(['Text.']);
    });

    it('give each heading its breadcrumb and the anchor the docs site uses', () => {
      expect(sectionsOf(fixture('docs/hono/middleware/basic-auth.md'), 'middleware/basic-auth.md')).toEqual([
        { headings: ['Basic Auth Middleware'], anchor: '' },
        { headings: ['Basic Auth Middleware', 'Import'], anchor: 'import' },
        { headings: ['Basic Auth Middleware', 'Usage'], anchor: 'usage' },
        { headings: ['Basic Auth Middleware', 'Options', 'username: string'], anchor: 'username-string' },
        { headings: ['Basic Auth Middleware', 'Options', 'password: string'], anchor: 'password-string' },
        { headings: ['Basic Auth Middleware', 'Options', 'realm: string'], anchor: 'realm-string' },
        { headings: ['Basic Auth Middleware', 'Options', 'hashFunction: Function'], anchor: 'hashfunction-function' },
        {
          headings: [
            'Basic Auth Middleware',
            'Options',
            'verifyUser: (username: string, password: string, c: Context) => boolean | Promise<boolean>',
          ],
          anchor: 'verifyuser-username-string-password-string-c-context--boolean--promiseboolean',
        },
        {
          headings: ['Basic Auth Middleware', 'Options', 'invalidUserMessage: string | object | MessageFunction'],
          anchor: 'invalidusermessage-string--object--messagefunction',
        },
        {
          headings: ['Basic Auth Middleware', 'Options', 'onAuthSuccess: (c: Context, username: string) => void | Promise<void>'],
          anchor: 'onauthsuccess-c-context-username-string--void--promisevoid',
        },
        { headings: ['Basic Auth Middleware', 'Recipes', 'Defining Multiple Users'], anchor: 'defining-multiple-users' },
      ]);
    });

    it('skip empty sections and number repeated headings like the site does', () => {
      const sections = sectionsOf(fixture('docs/guides/components.mdx'), 'guides/components.mdx');
      expect(sections.map((s) => s.anchor)).toEqual(['', 'install', 'heading-inside-a-component', 'lists', 'install-1']);
    });

    it('give a heading with nothing to slug (only emoji) a non-empty anchor, numbered when repeated', () => {
      const sections = sectionsOf('# Page\n\n## 🚀\n\nA.\n\n## Section\n\nB.\n\n## 🚀\n\nC.\n\n## 🎉 Party\n\nD.\n', 'p.md');
      expect(sections.map((s) => s.anchor)).toEqual(['section', 'section-1', 'section-2', '-party']);
    });

    it("drop footnote markers (they would read as citations in answers) and keep each note where it is written", () => {
      const doc = parseDocument('# P\n\n## Cache\n\nA frobnicator[^1] caches, see `/[^1]/` and [^2].\n\n## Notes\n\n[^1]: The frobnicator is a cache layer.\n', 'p.md');
      expect(doc.sections.map((s) => s.blocks.map((b) => b.text))).toEqual([
        // `[^2]` has no note, so it is no footnote: text, as the site shows it.
        ['A frobnicator caches, see `/[^1]/` and [^2].'],
        ['Note: The frobnicator is a cache layer.'],
      ]);
    });

    it('find headings inside MDX components', () => {
      const doc = parseDocument(fixture('docs/guides/components.mdx'), 'guides/components.mdx');
      const section = doc.sections.find((s) => s.anchor === 'heading-inside-a-component')!;
      expect(section.headings).toEqual(['Using components', 'Heading inside a component']);
      expect(section.blocks.map((b) => b.text)).toEqual([
        'Text inside the section, with a [link to the guide](/guides/start/) and an ![diagram](/img/d.png).',
      ]);
    });
  });

  describe('MDX', () => {
    const doc = parseDocument(fixture('docs/guides/components.mdx'), 'guides/components.mdx');
    const text = doc.sections.flatMap((s) => s.blocks.map((b) => b.text)).join('\n\n');

    it('drops import/export lines and expressions', () => {
      expect(text).not.toMatch(/import|export|\{version\}/);
    });

    it('keeps the text inside components and prose attributes, without the tags', () => {
      const intro = doc.sections[0]!.blocks.map((b) => b.text);
      expect(intro).toEqual([
        'Docent keeps the text of components and drops their tags. The current version is .',
        'Back up first',
        'Take a backup of the **database** before you upgrade. Press Ctrl + C to stop the server.',
      ]);
      expect(text).not.toMatch(/<\/?(Callout|Kbd|Tabs|TabItem|Section)/);
    });

    it('reads the partials a page includes where it uses them, nested ones too; warns about a cycle and a missing one', () => {
      const page = "---\ntitle: Plugin\n---\nimport Tags from './_tags.mdx';\nimport Gone from './_gone.mdx';\n\n## Options\n\nText.\n\n<Tags />\n\n## Later\n\n<Gone />\n\nEnd.\n";
      const partials = new Map([
        ['api/_tags.mdx', "import Inner from '../_inner.md';\nimport Tags from './_tags.mdx';\n\n## Tags File {#tags-file}\n\nUse a **tags** file.\n\n<Inner />\n\n<Tags />\n"],
        ['_inner.md', '### Inner\n\nInner text.\n'],
      ]);
      const doc = parseDocument(page, 'api/plugin.mdx', { partials });
      expect(doc.sections.map((s) => [s.headings.join(' > '), s.anchor, s.line, s.blocks.map((b) => [b.text, b.line])])).toEqual([
        ['Plugin > Options', 'options', 7, [['Text.', 9]]],
        ['Plugin > Tags File', 'tags-file', 11, [['Use a **tags** file.', 11]]],
        ['Plugin > Tags File > Inner', 'inner', 11, [['Inner text.', 11]]],
        ['Plugin > Later', 'later', 13, [['End.', 17]]],
      ]);
      expect(doc.warnings.map((w) => [w.path, w.line, w.message])).toEqual([
        ['api/_tags.mdx', 10, '<Tags /> includes a partial whose text is not indexed: api/_tags.mdx includes itself (api/_tags.mdx → api/_tags.mdx).'],
        ['api/plugin.mdx', 15, '<Gone /> includes a partial whose text is not indexed: api/_gone.mdx is not a file in the content folder that could be read.'],
      ]);
      // Without the partials' sources, nothing of them is read.
      expect(parseDocument(page, 'api/plugin.mdx').sections.map((s) => s.anchor)).toEqual(['options', 'later']);
    });

    it('names the components a page shows, once each, in page order: not the partials it reads in place, nor HTML tags', () => {
      const page =
        "import Setup from './_setup.mdx';\nimport DocCardList from '@theme/DocCardList';\n\n<Setup />\n\n<div>\n\n<CardGrid>\n  <LinkCard href=\"/install\" />\n  <LinkCard href=\"/config\" />\n</CardGrid>\n\n</div>\n\n<Badge text=\"new\" /> <Icon name=\"star\" />\n\n<DocCardList />\n";
      const doc = parseDocument(page, 'guides/index.mdx', { partials: new Map([['guides/_setup.mdx', '<Steps>\n\nInstall it.\n\n</Steps>\n']]) });
      expect(doc.components).toEqual(['Steps', 'CardGrid', 'LinkCard', 'Badge', 'Icon', 'DocCardList']);
      expect(parseDocument('# Plain\n\n<div>Text</div>\n', 'plain.mdx').components).toEqual([]);
    });

    it("reads a Docusaurus mdx-code-block's content as MDX, not as code", () => {
      const source = [
        '# Install',
        '',
        '```mdx-code-block',
        "import Tabs from '@theme/Tabs';",
        '```',
        '',
        '````mdx-code-block',
        '<Tabs>',
        '```sh',
        'npm i docent',
        '```',
        '</Tabs>',
        '````',
        '',
        '`````md',
        '```mdx-code-block',
        'shown as written inside other code',
        '```',
        '`````',
      ].join('\n');
      const doc = parseDocument(source, 'install.mdx');
      expect(doc.warnings).toEqual([]);
      expect(doc.sections[0]!.blocks.map((b) => b.text)).toEqual(['```sh\nnpm i docent\n```', '`````md\n```mdx-code-block\nshown as written inside other code\n```\n`````']);
      // In a plain markdown page such a block stays code.
      expect(parseDocument(source, 'install.md').sections[0]!.blocks[0]!.text).toBe("```mdx-code-block\nimport Tabs from '@theme/Tabs';\n```");
    });

    it("leaves out Docusaurus' magic comment lines (// highlight-next-line …) in the block's own comment syntax only", () => {
      const source = [
        '# T',
        '',
        '```js title="a.js"',
        'const a = 1;',
        '// highlight-next-line',
        'const b = 2;',
        '  /* highlight-start */',
        'f(); // highlight-next-line stays: not a whole line',
        '  // highlight-end',
        '```',
        '',
        '```bash',
        '# highlight-next-line',
        'npm i',
        '```',
        '',
        '````md',
        '```js',
        '// highlight-next-line',
        '```',
        '<!-- highlight-next-line -->',
        '````',
        '',
        '```text',
        '// highlight-next-line',
        '```',
      ].join('\n');
      expect(parseDocument(source, 'a.md').sections[0]!.blocks.map((b) => b.text)).toEqual([
        '```js title="a.js"\nconst a = 1;\nconst b = 2;\nf(); // highlight-next-line stays: not a whole line\n```',
        '```bash\nnpm i\n```',
        '````md\n```js\n// highlight-next-line\n```\n````',
        '```text\n// highlight-next-line\n```',
      ]);
    });

    it('reads a component written on one line as the same component over several lines (its title kept)', () => {
      const oneLine = parseDocument('# T\n\n<Card title="Check this out" icon="star">Interesting **content**.</Card>\n\nSee <Link title="no">the guide</Link>.\n', 'c.mdx');
      const lines = parseDocument('# T\n\n<Card title="Check this out" icon="star">\n  Interesting **content**.\n</Card>\n\nSee <Link title="no">the guide</Link>.\n', 'c.mdx');
      const texts = (doc: typeof oneLine) => doc.sections[0]!.blocks.map((b) => b.text);
      expect(texts(oneLine)).toEqual(['Check this out', 'Interesting **content**.', 'See the guide.']);
      expect(texts(lines)).toEqual(texts(oneLine));
      const tabs = parseDocument('# T\n\n<Tabs>\n\t<TabItem label="Stars">Sirius, Vega</TabItem>\n\t<TabItem label="Moons">Io, Europa</TabItem>\n</Tabs>\n', 't.mdx');
      expect(texts(tabs)).toEqual(['Stars', 'Sirius, Vega', 'Moons', 'Io, Europa']);
    });

    it('keeps code inside components as fenced code with its language', () => {
      const install = doc.sections.find((s) => s.anchor === 'install')!;
      expect(install.blocks).toEqual([
        { kind: 'prose', text: 'npm', line: 21 },
        { kind: 'code', text: '```sh\nnpm install docent\n```', line: 22, fence: { open: '```sh', close: '```' } },
        { kind: 'prose', text: 'pnpm', line: 26 },
        { kind: 'code', text: '```sh\npnpm add docent\n```', line: 27, fence: { open: '```sh', close: '```' } },
      ]);
    });

    it('keeps nested lists as they are written', () => {
      const lists = doc.sections.find((s) => s.anchor === 'lists')!;
      expect(lists.blocks[0]!.text).toBe(
        '- First item\n  - Nested item one\n  - Nested item two\n    1. Deep ordered\n    2. Deep ordered again\n- Second item with `inline code`',
      );
    });

    it('indexes a page MDX cannot parse as plain markdown, warning with the line of the MDX error', () => {
      const doc = parseDocument(fixture('broken/invalid.mdx'), 'broken/invalid.mdx');
      expect(doc.warnings).toEqual([
        {
          path: 'broken/invalid.mdx',
          line: 5,
          message:
            'not valid MDX (Expected a closing tag for `<Callout>`), so it was indexed as plain markdown: the text inside its ' +
            'components is kept, their attributes may not be. Fix the MDX: the docs site shows this page as text, without its components.',
        },
      ]);
      expect(doc.title).toBe('Invalid MDX');
      expect(doc.sections[0]!.blocks.map((b) => b.text)).toEqual(['Some text.', 'An unclosed component.']);
      // The docs site names it as ingest does (and builds it as text).
      expect(readPageInfo(fixture('broken/invalid.mdx'), 'broken/invalid.mdx')).toEqual({ title: 'Invalid MDX', description: doc.description, frontmatter: doc.frontmatter });
    });

    it('reads frontmatter, drops import/export blocks and MDX comments, and keeps component text in the markdown fallback', () => {
      const source = [
        '---',
        'title: Fallback page',
        '---',
        "import { Note } from '@site/note';",
        'export const meta = {',
        "  a: 1,",
        '};',
        '',
        '{/* internal note */}',
        '',
        '<Note>Use X before Y.</Note>',
        '',
        '<Callout title="Careful">',
        'Back up first.',
        '</Callout>',
        '',
        '```js',
        "import { kept } from 'code';",
        '```',
        '',
        '<Tabs>',
        '',
        'Left open on purpose.',
        '',
      ].join('\n');
      const doc = parseDocument(source, 'guide.mdx');
      expect(doc.warnings).toEqual([{ path: 'guide.mdx', line: 21, message: expect.stringMatching(/^not valid MDX \(Expected a closing tag for `<Tabs>`\), so it was indexed as plain markdown/) }]);
      expect(doc.title).toBe('Fallback page');
      expect(doc.frontmatter).toEqual({ title: 'Fallback page' });
      expect(doc.sections[0]!.blocks).toEqual([
        { kind: 'prose', text: 'Use X before Y.', line: 11 },
        { kind: 'prose', text: 'Back up first.', line: 13 },
        { kind: 'code', text: "```js\nimport { kept } from 'code';\n```", line: 17, fence: { open: '```js', close: '```' } },
        { kind: 'prose', text: 'Left open on purpose.', line: 23 },
      ]);
    });

    it('reads MDX 1 and other site generators\' habits as MDX 1 did: autolinks, < and { in text, open void elements', () => {
      const source = [
        '# Limits',
        '',
        'Requests take <5 ms when the payload is <= 1 KB. See <https://example.com/limits> or write to <ops@example.com>.',
        '',
        'A call returns {status: 200, body} and `GET /users/{id}` takes the user id, as in /users/{id}.',
        '',
        '<img src="/chart.png" alt="Latency chart">',
        '',
        '<Note>',
        '  Returns Promise<void>.',
        '</Note>',
        '',
      ].join('\n');
      const doc = parseDocument(source, 'limits.mdx');
      expect(doc.warnings).toEqual([]);
      expect(doc.sections[0]!.blocks.map((b) => b.text)).toEqual([
        'Requests take \\<5 ms when the payload is \\<= 1 KB. See [https://example.com/limits](https://example.com/limits) or write to [ops@example.com](mailto:ops@example.com).',
        'A call returns \\{status: 200, body} and `GET /users/{id}` takes the user id, as in /users/\\{id}.',
        'Latency chart',
        'Returns Promise\\<void>.',
      ]);
    });
  });

  describe('containers', () => {
    it('index a details block\'s title without its {open} attribute', () => {
      const doc = parseDocument('# T\n\n::: details Click me {open}\nShown.\n:::\n', 'a.md');
      expect(doc.sections.flatMap((s) => s.blocks.map((b) => b.text))).toEqual(['Click me:\nShown.']);
    });
  });

  describe('options.linkUrl', () => {
    const linkUrl = (href: string) => (href.startsWith('./') ? `/site/${href.slice(2).replace(/\.mdx?/, '/')}` : undefined);
    const text = (source: string, path = 'a.md') =>
      parseDocument(source, path, { linkUrl }).sections.flatMap((s) => s.blocks.map((b) => b.text)).join('\n\n');

    it('replaces the target of inline links it gives a URL for, and keeps the rest of the source as written', () => {
      expect(text('See [the *server*](./server.md#listen "Listen") and [`hooks`](<./hooks.md>), [web](https://a.b/c.md), [ref][r].\n\n[r]: ./x.md\n')).toBe(
        'See [the *server*](/site/server/#listen "Listen") and [`hooks`](/site/hooks/), [web](https://a.b/c.md), [ref][r].',
      );
      expect(text('- [](./empty.md)\n- ![img](./pic.png)\n')).toBe('- [](/site/empty/)\n- ![img](./pic.png)');
      expect(text('| a |\n|---|\n| [t](./t.md) |\n')).toBe('| a |\n|---|\n| [t](/site/t/) |');
    });

    it('replaces a target with parentheses whole (a Fumadocs folder group), as CommonMark reads it', () => {
      expect(text('See [setup](./(guides)/setup.md "Setup") and [faq](<./(a)/faq.md>), (in [x](./(b)/x.md#a-(b))).\n')).toBe(
        'See [setup](/site/(guides)/setup/ "Setup") and [faq](/site/(a)/faq/), (in [x](/site/(b)/x/#a-(b))).',
      );
    });

    it('also in MDX, inside components, and never in code', () => {
      expect(text('<Note>\nRead [this](./this.mdx).\n</Note>\n\n`[no](./code.md)`\n\n```md\n[no](./fenced.md)\n```\n', 'a.mdx')).toBe(
        'Read [this](/site/this/).\n\n`[no](./code.md)`\n\n```md\n[no](./fenced.md)\n```',
      );
    });

    it('keeps a link written as HTML as a markdown link, its target pointed as a markdown link is, so answers can quote it', () => {
      expect(text('See <a href="https://hono.dev/docs" title="Docs">the *Hono* docs</a>, or <a href="./guide.md#setup">the\nguide</a>.\n')).toBe(
        'See [the *Hono* docs](https://hono.dev/docs), or [the guide](/site/guide/#setup).',
      );
      // In an HTML block, with the href's character references decoded and spaces in the URL encoded.
      expect(text('<p align="center">\n  <a href="https://a.b/?x=1&amp;y=(2)">Download <b>now</b></a> · <a href="./faq.md">FAQ</a>\n</p>\n')).toBe(
        '[Download now](https://a.b/?x=1&y=%282%29) · [FAQ](/site/faq/)',
      );
      // A link whose text is its URL is that text, quoted as it is.
      expect(text('- GitHub: <a href="https://github.com/honojs">https://github.com/honojs</a>\n')).toBe('- GitHub: https://github.com/honojs');
      // A link around an image only (a badge), without an href, to a script, in a comment, or never closed: its text as before.
      expect(text('<a href="https://npm.im/x"><img src="badge.svg" alt="npm"></a>\n\nAn <a name="top">anchor</a>, a <a href="javascript:alert(1)">script</a>, <a href="./open.md">open\n\n<!-- <a href="./c.md">c</a> -->\n')).toBe(
        'An anchor, a script, open',
      );
    });

    it("keeps an MDX page's JSX <a> and Docusaurus <Link> as markdown links, without a link's title (a tooltip)", () => {
      const source = [
        "import Link from '@docusaurus/Link';",
        "import useBaseUrl from '@docusaurus/useBaseUrl';",
        '',
        'See <a href="https://hono.dev/docs">the Hono docs</a> and <Link to="./intro.mdx">the intro</Link>.',
        '',
        '<Link to="./intro.mdx" title="Go to the intro">Read the intro</Link> <Link href={useBaseUrl(\'/api\')}>API</Link>',
        '',
        '<a href="https://example.com/long">',
        '  A link over',
        '  two lines',
        '</a>',
        '',
        '<Link title="Only a tooltip" to="./x.mdx" />',
        '',
        '<Card title="Next"><Link to="https://next.dev">Next steps</Link></Card>',
        '',
        '- <a href={url}>A link to a variable</a>',
      ].join('\n');
      expect(text(source, 'a.mdx')).toBe(
        [
          'See [the Hono docs](https://hono.dev/docs) and [the intro](/site/intro/).',
          '[Read the intro](/site/intro/) [API](/api)',
          '[A link over two lines](https://example.com/long)',
          'Next',
          '[Next steps](https://next.dev)',
          '- A link to a variable',
        ].join('\n\n'),
      );
      // A <Link> the page does not import from @docusaurus/Link is a component like any other.
      expect(text('<Link to="./intro.mdx" title="Intro">Read on</Link>\n', 'b.mdx')).toBe('Intro\n\nRead on');
    });
  });

  describe('markdown', () => {
    it('is not parsed as MDX: comments, <br>, autolinks and <details> are fine', () => {
      const doc = parseDocument(fixture('docs/notes.md'), 'notes.md');
      expect(doc.sections).toHaveLength(1);
      expect(doc.sections[0]!.blocks.map((b) => b.text)).toEqual([
        'Plain notes without any heading.  Line one.\nAutolink: <https://example.com> and html bold text.',
        'More',
        'Hidden details text.',
      ]);
    });

    it('keeps tables whole and code fences with their language and meta', () => {
      const doc = parseDocument(fixture('docs/guides/reference.mdx'), 'guides/reference.mdx');
      const [intro, settings, examples] = doc.sections;
      expect(intro!.blocks[0]!.text).toBe('Settings are read from the environment.');
      expect(settings!.blocks).toHaveLength(1);
      expect(settings!.blocks[0]!.kind).toBe('table');
      expect(settings!.blocks[0]!.text.split('\n')).toHaveLength(5);
      expect(examples!.blocks[0]!.text).toBe('```bash title="start.sh"\nPORT=8080 npm start\n```');
    });

    it('drops the marker lines of ::: containers and keeps their content, a title ending with a colon unless punctuated', () => {
      const doc = parseDocument('# T\n\n::: warning\nBe careful.\n:::\n\n::: tip Good to know\nA tip.\n:::\n\n:::note[Why?]\nBecause.\n:::\n', 't.md');
      expect(doc.sections[0]!.blocks.map((b) => b.text)).toEqual(['Be careful.', 'Good to know:\nA tip.', 'Why?\nBecause.']);
    });

    it('drops the marker line of a GitHub alert (> [!NOTE]), keeping a title, and leaves [!NOTE] elsewhere as written', () => {
      const doc = parseDocument('# T\n\n> [!NOTE]\n> **Why this page?** Because.\n\n> [!tip]- Folded title\n> Body.\n\n> Plain [!NOTE] quote.\n\n> [!NOTE] **Bold** title\n', 't.md');
      expect(doc.sections[0]!.blocks.map((b) => b.text)).toEqual(['> **Why this page?** Because.', '> Folded title:\n> Body.', '> Plain [!NOTE] quote.', '> [!NOTE] **Bold** title']);
    });

    it('indexes MkDocs admonitions and content tabs as prose with their titles, not as indented code, every line where it was', () => {
      const page = [
        '# Install', // 1
        '',
        '!!! warning "Back up first"',
        '    The migration **rewrites** the table.',
        '',
        '=== "npm"', // 6
        '    ```sh',
        '    npm install docent',
        '    ```',
        '',
        '    indented code stays code', // 11: tab content, not code
        '',
        '## Later', // 13
        '',
        '```js', // 15
        'never closed',
      ].join('\n');
      const doc = parseDocument(page, 'install.md');
      expect(doc.sections[0]!.blocks.map((b) => [b.kind, b.text, b.line])).toEqual([
        ['prose', 'Back up first:\nThe migration **rewrites** the table.', 3],
        ['prose', 'npm:', 6],
        ['code', '```sh\nnpm install docent\n```', 7],
        ['prose', 'indented code stays code', 11],
      ]);
      expect(doc.sections[1]!.line).toBe(13);
      expect(doc.warnings.map((w) => w.line)).toEqual([15]);
      // In a list item, indented as the item's content.
      expect(parseDocument('# T\n\n1. Configure:\n\n    !!! warning "Careful"\n        Back up first.\n', 't.md').sections[0]!.blocks.map((b) => b.text)).toEqual([
        '1. Configure:\n\n    Careful:\n    Back up first.',
      ]);
      // Hugo shortcodes, line for line.
      const hugo = parseDocument('# T\n\n{{% alert title="Back up first" color="warning" %}}\nIt rewrites {{< glossary_tooltip text="the table" term_id="t" >}}.\n{{% /alert %}}\n\n## Later\n\nText.\n', 't.md');
      expect(hugo.sections.map((s) => [s.line, s.blocks.map((b) => b.text)])).toEqual([
        [1, ['Back up first:\nIt rewrites the table.']],
        [7, ['Text.']],
      ]);
      // The same in MDX.
      expect(parseDocument('# T\n\n!!! tip "Hint"\n    Use **it**.\n', 't.mdx').sections[0]!.blocks.map((b) => b.text)).toEqual(['Hint:\nUse **it**.']);
    });

    it('reads TOML frontmatter (+++, as Hugo and Zola write it), and reports invalid TOML with its line', () => {
      const doc = parseDocument('+++\ntitle = "Install Zola"\ndescription = "How to"\n[extra]\norder = 2\n+++\n\nText.\n', 'install.md');
      expect([doc.title, doc.description, doc.frontmatter.extra]).toEqual(['Install Zola', 'How to', { order: 2 }]);
      expect(doc.sections.map((s) => s.blocks.map((b) => b.text))).toEqual([['Text.']]);
      expect(readPageInfo('+++\ntitle = "In MDX"\n+++\n\nText {1 + 1}.\n', 'a.mdx').title).toBe('In MDX');
      expect(() => parseDocument('+++\ntitle = "x"\nbad =\n+++\n\nText.\n', 'bad.md')).toThrowError(/^bad\.md:3: invalid frontmatter: Invalid TOML document/);
      expect(() => parseDocument('+++\norder = 1\ntitle = ["a"]\n+++\n\nText.\n', 'list.md')).toThrowError(new ParseError('list.md', 3, 'invalid frontmatter: title must be text, not a list'));
    });

    it('reads a YAML tag it does not know (!Ref) as written, with a warning naming the page and line instead of a process warning', () => {
      const emitted = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
      try {
        const doc = parseDocument('---\ntitle: Bucket\nbucket: !Ref Bucket\n---\n\nText.\n', 'bucket.md');
        expect([doc.title, doc.frontmatter.bucket]).toEqual(['Bucket', 'Bucket']);
        expect(doc.warnings).toEqual([
          { path: 'bucket.md', line: 3, message: 'the frontmatter uses the YAML tag !Ref, which Docent does not know: its value is read as written' },
        ]);
        expect(readPageInfo('---\ntitle: Bucket\nbucket: !Ref Bucket\n---\n\nText.\n', 'bucket.md').title).toBe('Bucket');
        expect(emitted).not.toHaveBeenCalled();
      } finally {
        emitted.mockRestore();
      }
    });

    it('reports invalid frontmatter with its line in the file', () => {
      expect(() => parseDocument(fixture('broken/bad-frontmatter.md'), 'broken/bad-frontmatter.md')).toThrowError(
        /^broken\/bad-frontmatter\.md:3: invalid frontmatter: /,
      );
    });

    it('reports a key given twice in one map of the frontmatter, at its second line, and reads a generated frontmatter of 100,000 keys in one pass', () => {
      expect(() => parseDocument('---\ntitle: A\nslug: a\ntitle: B\n---\n\nText.\n', 'twice.md')).toThrowError(new ParseError('twice.md', 4, 'invalid frontmatter: Map keys must be unique'));
      expect(() => parseDocument('---\nsidebar:\n  label: A\n  order: 1\n  label: B\nlabel: C\n---\n\nText.\n', 'nested.md')).toThrowError(
        new ParseError('nested.md', 5, 'invalid frontmatter: Map keys must be unique'),
      );
      expect(parseDocument('---\na: 1\nb:\n  a: 2\n"1": x\n1: y\n---\n\nText.\n', 'distinct.md').frontmatter).toEqual({ a: 1, b: { a: 2 }, 1: 'y' });
      // The yaml package compares each key with all before it: minutes here (a minute for 45,000 keys).
      const keys = Array.from({ length: 100_000 }, (_, i) => `key${i}: value ${i}`);
      const parsed = parseDocument(`---\ntitle: Generated\n${keys.join('\n')}\n---\n\nText.\n`, 'generated.md');
      expect([parsed.title, Object.keys(parsed.frontmatter).length]).toEqual(['Generated', 100_001]);
      expect(() => parseDocument(`---\n${keys.slice(0, 1000).join('\n')}\nkey7: again\n---\n`, 'late.md')).toThrowError(new ParseError('late.md', 1002, 'invalid frontmatter: Map keys must be unique'));
    });

    it('reports frontmatter whose YAML parses but cannot be built (an unresolved alias) as invalid, with its line', () => {
      expect(() => parseDocument('---\ntitle: Aliases\nlist: &a [1, 2]\ncopy: *b\n---\n\nText.\n', 'alias.md')).toThrowError(
        new ParseError('alias.md', 4, 'invalid frontmatter: Unresolved alias (the anchor must be set before the alias): b'),
      );
      const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]'];
      expect(() => parseDocument(`---\n${bomb.join('\n')}\n---\n\nText.\n`, 'bomb.md')).toThrowError(
        /^bomb\.md: invalid frontmatter: Excessive alias count/,
      );
    });

    it('rejects a NUL character (which Postgres cannot store) with its line, in the text or from a YAML escape', () => {
      expect(() => parseDocument('# Binary\n\nSome text\nand \0 a NUL.\n', 'bin.md')).toThrowError(
        new ParseError('bin.md', 4, 'contains a NUL byte (U+0000), which cannot be stored: is this a binary file?'),
      );
      expect(() => parseDocument('---\ntitle: Escaped\ndescription: "a\\0b"\n---\n\nText.\n', 'esc.md')).toThrowError(
        new ParseError('esc.md', 3, 'invalid frontmatter: a value contains a NUL character (U+0000), which cannot be stored'),
      );
      // The six characters \u0000 are text, not a NUL.
      expect(parseDocument('---\ndescription: Write \\u0000 in C\n---\n\nText.\n', 'c.md').description).toBe('Write \\u0000 in C');
    });

    it('leaves out an empty code block (MkDocs sites fill `{.textual path=…}` ones with a screenshot)', () => {
      const doc = parseDocument('Output:\n\n```{.textual path="docs/examples/app.py"}\n```\n\n```py\nprint(1)\n```\n', 'app.md');
      expect(doc.sections[0]!.blocks.map((b) => b.text)).toEqual(['Output:', '```py\nprint(1)\n```']);
    });

    it('indexes a file with an unterminated fence, closing it and warning with the line', () => {
      const doc = parseDocument(fixture('broken/unterminated.md'), 'broken/unterminated.md');
      expect(doc.warnings).toEqual([
        { path: 'broken/unterminated.md', line: 5, message: expect.stringMatching(/^unterminated code fence: ```js is never closed/) },
      ]);
      const blocks = doc.sections[0]!.blocks;
      expect(blocks.at(-1)!.text).toBe('```js\nconst a = 1\n\n## This heading is swallowed by the fence\n\nMore text.\n```');
    });

    it('take an explicit heading id ({#id}) as the anchor and leave it out of the heading, in markdown and MDX', () => {
      const source = '# Page\n\n## Options {#opts}\n\nA.\n\n### Mode {: #mode .wide }\n\nB.\n\n## Options\n\nC.\n\n```sh\n## not a heading {#kept}\n```\n';
      for (const path of ['ids.md', 'ids.mdx']) {
        const doc = parseDocument(source, path);
        expect(doc.sections.map((s) => ({ headings: s.headings, anchor: s.anchor }))).toEqual([
          { headings: ['Page', 'Options'], anchor: 'opts' },
          { headings: ['Page', 'Options', 'Mode'], anchor: 'mode' },
          // The explicit id took no slug from the text: a second "Options" is `options`.
          { headings: ['Page', 'Options'], anchor: 'options' },
        ]);
        expect(doc.sections.at(-1)!.blocks.at(-1)!.text).toBe('```sh\n## not a heading {#kept}\n```');
      }
      // Braces that are not an id stay text. An id is kept as written, even when another heading's
      // slug is the same (as Docusaurus does).
      expect(sectionsOf('# Page\n\n## Record {a}\n\nA.\n', 'a.md')[0]!.headings).toEqual(['Page', 'Record {a}']);
      expect(sectionsOf('# Page\n\n## Setup\n\nA.\n\n## Other {#setup}\n\nB.\n', 'a.md').map((s) => s.anchor)).toEqual(['setup', 'setup']);
    });

    it('take an id written as an MDX comment ({/* #id */}, Docusaurus 3) as the anchor, and leave MDX comments out of headings', () => {
      const source = '# Page\n\n## Overview {/* #pages-overview */}\n\nA.\n\n## Plain {/* prettier-ignore */}\n\nB.\n\n## Kept {"{literal}"}\n\nC.\n';
      expect(sectionsOf(source, 'a.mdx').map((s) => [s.headings.at(-1), s.anchor])).toEqual([
        ['Overview', 'pages-overview'],
        ['Plain', 'plain'],
        ['Kept "{literal}"', 'kept-literal'], // other expressions keep their source, as before
      ]);
    });

    it('read HTML comments and <br> in MDX as MDX 1 did, leaving code as written', () => {
      const source = [
        '# Page',
        '',
        '<!-- TODO: rewrite',
        'this page */ -->',
        '',
        'First line<br>second line, `<!-- not a comment -->`.',
        '',
        '```html',
        '<!-- kept --><br>',
        '```',
        '',
      ].join('\n');
      const [intro] = parseDocument(source, 'page.mdx').sections;
      expect(intro!.blocks.map((b) => b.text)).toEqual(['First line second line, `<!-- not a comment -->`.', '```html\n<!-- kept --><br>\n```']);
    });

    it('keep the data of MDX attribute expressions as a list (parameters kept in a component), not styles', () => {
      const source = [
        '# embedMany',
        '',
        '## Parameters',
        '',
        '<PropertiesTable style={{ color: "red" }} content={[',
        "  { name: 'values', type: 'Array<string>', description: 'The values to embed.' },",
        "  { name: 'maxRetries', type: 'number', isOptional: true, description: `Maximum number of retries. Default: 2.` },",
        "  { name: 'experimental_telemetry', type: 'TelemetrySettings', properties: [",
        "    { type: 'TelemetrySettings', parameters: [{ name: 'isEnabled', type: 'boolean', description: 'Enable telemetry.' }] },",
        '  ] },',
        ']} />',
        '',
        "<Steps items={['Install', 'Configure']} />",
        '',
        '<Box style={{ padding: 4 }}>Boxed text.</Box>',
        '',
      ].join('\n');
      const [params] = parseDocument(source, 'embed-many.mdx').sections;
      expect(params!.headings).toEqual(['embedMany', 'Parameters']);
      expect(params!.blocks.map((b) => b.text)).toEqual([
        [
          '- `values` (Array<string>): The values to embed.',
          '',
          '- `maxRetries` (number, optional): Maximum number of retries. Default: 2.',
          '',
          '- `experimental_telemetry` (TelemetrySettings)',
          '  - `TelemetrySettings`',
          '    - `isEnabled` (boolean): Enable telemetry.',
        ].join('\n'),
        '- Install\n\n- Configure',
        'Boxed text.',
      ]);
    });

    it('name the field a component documents (Mintlify) and read an object of objects (fumadocs TypeTable)', () => {
      const source = [
        '## Query',
        '',
        '<ParamField query="limit" type="number" default="10" required>',
        '  How many results to return.',
        '</ParamField>',
        '',
        '<Icon name="check" />',
        '',
        "<TypeTable type={{ timeout: { type: 'number', description: 'Milliseconds to wait.', default: '5000' }, style: 'x' }} />",
        '',
      ].join('\n');
      expect(parseDocument(source, 'api.mdx').sections[0]!.blocks.map((b) => b.text)).toEqual([
        '`limit` (number, required, default: 10)',
        'How many results to return.',
        '- `timeout` (number): Milliseconds to wait. default: 5000',
      ]);
    });

    it("label each tab as its button does: label or title, else value (Fumadocs), else its <Tabs items={…}> entry (Nextra); old Docusaurus <Tabs values={…}> first", () => {
      const source = [
        '## Install',
        '',
        '<Tabs>',
        '  <Tab value="pnpm">',
        '  ```bash',
        '  pnpm add turbo',
        '  ```',
        '  </Tab>',
        '  <TabItem value="npm" label="npm (default)">npm i turbo</TabItem>',
        '</Tabs>',
        '',
        "<Tabs items={['React', 'Vue']}>",
        '  <Tab>useChat</Tab>',
        '  <Tab>',
        '    <Snippet text="import { useChat } from \'@ai-sdk/vue\'" dark />',
        '  </Tab>',
        '</Tabs>',
        '',
        "<Tabs items={['Only one']}>",
        '  <Tab value="x">A</Tab>',
        '</Tabs>',
        '',
        '<Tabs defaultValue="apple" values={[',
        "    {label: 'Apple', value: 'apple'},",
        "    {label: 'Orange', value: 'orange'},",
        '  ]}>',
        '  <TabItem value="apple" label="Apple 2">This is an apple</TabItem>',
        '  <TabItem value="orange">This is an orange</TabItem>',
        '</Tabs>',
        '',
      ].join('\n');
      expect(parseDocument(source, 'install.mdx').sections[0]!.blocks.map((b) => b.text)).toEqual([
        'pnpm',
        '```bash\npnpm add turbo\n```',
        'npm (default)',
        'npm i turbo',
        'React',
        'useChat',
        'Vue',
        "import { useChat } from '@ai-sdk/vue'",
        // Tabs with values of their own keep them; the items stay the list they are.
        '- Only one',
        'x',
        'A',
        // The parent's values name the tabs (over their own labels, as Docusaurus shows them) and are not a list.
        'Apple',
        'This is an apple',
        'Orange',
        'This is an orange',
      ]);
    });

    it('read a file tree component (Fumadocs, Nextra) as the nested list it stands for', () => {
      const source = [
        '## Layout',
        '',
        '<Files>',
        '  <File name="turbo.json" green />',
        '  <Folder name="apps" defaultOpen>',
        '    <Folder name="web">',
        '      <File name="package.json" />',
        '    </Folder>',
        '  </Folder>',
        '</Files>',
        '',
        '<FileTree>',
        '  <FileTree.Folder name="pages/"><FileTree.File name="_meta.json" /></FileTree.Folder>',
        '</FileTree>',
        '',
        '<FileTree>',
        '',
        '- src/',
        '  - index.ts',
        '',
        '</FileTree>',
        '',
      ].join('\n');
      expect(parseDocument(source, 'layout.mdx').sections[0]!.blocks.map((b) => b.text)).toEqual([
        '- turbo.json\n- apps/\n  - web/\n    - package.json',
        '- pages/\n  - _meta.json',
        // Starlight's <FileTree> holds a markdown list: read as it is.
        '- src/\n  - index.ts',
      ]);
    });

    it('handles CRLF line endings and a byte-order mark', () => {
      const doc = parseDocument('\uFEFF---\r\ntitle: Win\r\n---\r\n\r\n## Part\r\n\r\nText.\r\n', 'win.md');
      expect(doc.title).toBe('Win');
      expect(doc.sections).toEqual([{ headings: ['Win', 'Part'], anchor: 'part', line: 5, blocks: [{ kind: 'prose', text: 'Text.', line: 7 }] }]);
    });
  });
});

describe('parseDocument() on markdown that would take minutes to parse', () => {
  /** A list nested `depth` levels deep, each item indented 2 more than the one before. */
  const nestedList = (depth: number) => Array.from({ length: depth }, (_, i) => `${' '.repeat(2 * i)}- item ${i}`).join('\n') + '\n';

  it('fails at once, naming the line, on lists nested more than 100 levels deep', () => {
    expect(() => parseDocument(`# Deep\n\n${nestedList(2000)}`, 'deep.md')).toThrowError(
      new ParseError('deep.md', 103, 'nested 101 levels deep (lists or blockquotes inside each other; at most 100 are read): flatten the nesting'),
    );
    expect(() => parseDocument(`${'- '.repeat(3000)}x\n`, 'dashes.md')).toThrowError(/^dashes\.md:1: nested 3000 levels deep/);
    expect(() => parseDocument(`${'> - '.repeat(1000)}x\n`, 'mixed.md')).toThrowError(/^mixed\.md:1: nested 2000 levels deep/);
    const quoted = nestedList(2000).split('\n').map((line) => `> ${line}`).join('\n');
    expect(() => parseDocument(quoted, 'quoted.md')).toThrowError(/^quoted\.md:100: nested 101 levels deep/);
  });

  it('fails at once, naming the line, on MDX expression braces nested more than 100 deep in a paragraph; reads them in code and in markdown', () => {
    const braces = (n: number) => `${'{'.repeat(n)}${'}'.repeat(n)}`;
    expect(() => parseDocument(`# Braces\n\nText.\n\n${braces(5000)}\n`, 'braces.mdx')).toThrowError(
      new ParseError('braces.mdx', 5, 'MDX expression braces (`{`) nested more than 100 deep: write such text in a code block, or escape the braces (`\\{`)'),
    );
    // Over several lines of one paragraph, and in a .md page written as MDX.
    expect(() => parseDocument(`import X from './x';\n\n${'{\n'.repeat(150)}`, 'lines.md')).toThrowError(/^lines\.md:103: MDX expression braces/);
    // In code, escaped, across paragraphs, and in markdown, braces are no expressions.
    const fine = [`\`${braces(3000)}\``, `\`\`\`js\n${braces(3000)}\n\`\`\``, '\\{'.repeat(3000), `${'{'.repeat(60)}\n\n${'{'.repeat(60)}`].join('\n\n');
    expect(findParseLimitProblem(fine, { mdx: true })).toBeUndefined();
    expect(findParseLimitProblem(braces(3000))).toBeUndefined();
    expect(parseDocument(`# Style\n\n<div style={{ a: { b: { c: 1 } } }}>Text</div>\n\n${braces(100)}\n`, 'style.mdx').sections[0]!.blocks.map((b) => b.text)).toContain('Text');
  });

  it('reads lists nested 100 levels deep', () => {
    const doc = parseDocument(nestedList(100), 'deep.md');
    expect(doc.sections[0]!.blocks.map((b) => b.text).join('\n')).toContain('- item 99');
  });

  it('fails at once, naming the line, on a paragraph with more than 2000 emphasis markers', () => {
    const stars = '*'.repeat(25_000);
    expect(() => parseDocument(`# Stars\n\n${stars}x${stars}\n`, 'stars.md')).toThrowError(
      new ParseError('stars.md', 3, 'more than 2000 emphasis markers (`*`, `_`) in one paragraph: break it up, or put such text in a code block'),
    );
    // Counted over the paragraph's lines, not one line's.
    expect(() => parseDocument(`Intro.\n\n${'**b** *c* _d_\n'.repeat(1000)}`, 'lines.md')).toThrowError(/^lines\.md:253: more than 2000 emphasis markers/);
  });

  it('fails at once, naming the line, on a paragraph with more than 2000 links, and counts them per paragraph, outside code', () => {
    expect(() => parseDocument(`# Links\n\n${'[a]('.repeat(50_000)}\n`, 'open.md')).toThrowError(
      new ParseError('open.md', 3, 'more than 2000 links (`](`, `][`) in one paragraph: break it up, or put such text in a code block'),
    );
    expect(() => parseDocument(`# Links\n\n${'[a][b'.repeat(50_000)}\n`, 'references.md')).toThrowError(/^references\.md:3: more than 2000 links/);
    expect(() => parseDocument(`Intro.\n\n${'[a](/a) [b](/b)\n'.repeat(3000)}`, 'lines.md')).toThrowError(/^lines\.md:1003: more than 2000 links/);
    // In list items, table rows, separate paragraphs and code spans, they are counted apart.
    const items = '- [a](/a) [b](/b)\n'.repeat(1500);
    const rows = `| a | b |\n|---|---|\n${'| [a](/a) | [b](/b) |\n'.repeat(1500)}`;
    const spans = `${'`[a](` '.repeat(3000)}\n`;
    for (const source of [items, rows, spans, '[a](/a)\n\n'.repeat(3000)]) expect(findParseLimitProblem(source)).toBeUndefined();
  });

  it('fails at once, naming the line, on a page with more than 2000 link definitions or 1000 footnotes', () => {
    const definitions = (n: number) => Array.from({ length: n }, (_, i) => `[l${i}]: https://example.com/${i}`).join('\n');
    expect(() => parseDocument(`# Links\n\n${definitions(50_000)}\n`, 'definitions.md')).toThrowError(
      new ParseError('definitions.md', 2003, 'more than 2000 link reference definitions (`[name]: https://…`) in one page: split the page, or write the links inline'),
    );
    const footnotes = (n: number) => `${Array.from({ length: n }, (_, i) => `Text[^${i}]`).join('\n')}\n\n${Array.from({ length: n }, (_, i) => `[^${i}]: Note ${i}.`).join('\n')}`;
    expect(() => parseDocument(`# Notes\n\n${footnotes(50_000)}\n`, 'notes.md')).toThrowError(
      new ParseError('notes.md', 51_004, 'more than 1000 footnote definitions (`[^1]: …`) in one page: split the page'),
    );
    expect(findParseLimitProblem(`${definitions(2000)}\n\n${footnotes(1000)}`)).toBeUndefined();
    expect(findParseLimitProblem(`\`\`\`\n${definitions(3000)}\n\`\`\``)).toBeUndefined();
  });

  it('fails at once, naming the paragraph, on backtick runs that close no code span, read to the end of the paragraph', () => {
    const runs = (n: number) => Array.from({ length: n }, (_, i) => `${'`'.repeat(i + 1)}x`).join('');
    expect(() => parseDocument(`# Ticks\n\nIntro.\n\n${runs(2000)}\n`, 'ticks.md')).toThrowError(
      new ParseError(
        'ticks.md',
        5,
        'backtick runs (`) that open no code span, so many in one paragraph that reading it would take long: close each code span, escape the stray backticks (\\`), or put such text in a code block',
      ),
    );
    // Closed code spans, and stray backticks in short paragraphs, are fine.
    const closed = `${Array.from({ length: 3000 }, (_, i) => `${'`'.repeat((i % 40) + 1)}code${'`'.repeat((i % 40) + 1)}`).join(' ')}\n`;
    const stray = 'Type ` to start code, then text of a long paragraph goes on.\n\n'.repeat(20_000);
    for (const source of [closed, stray, runs(100)]) expect(findParseLimitProblem(source)).toBeUndefined();
  });

  it('does not count markers in code, in separate paragraphs, list items or table rows', () => {
    const fenced = `\`\`\`c\n${'char **argv; /* ****** */\n'.repeat(500)}\`\`\`\n`;
    const spans = `${'`**kwargs` '.repeat(1500)}\n`;
    const paragraphs = '**bold** and _em_\n\n'.repeat(600);
    const items = '- **bold** and _em_\n'.repeat(600);
    const table = `| name | note |\n|---|---|\n${'| **a** | _b_ |\n'.repeat(600)}`;
    for (const source of [fenced, spans, paragraphs, items, table]) expect(parseDocument(source, 'ok.md').sections).toHaveLength(1);
  });
});

describe('readPageInfo() (the docs site names its pages with it)', () => {
  const cases: [string, string, string, string | undefined][] = [
    ['frontmatter title', '---\ntitle: Front\n---\n\n# Body\n', 'a/b.md', 'Front'],
    ['a "# comment" in a code block is not the first h1', 'Intro.\n\n```sh\n# not a title\n```\n\n# Real title\n', 'a/b.md', 'Real title'],
    ['a setext h1', 'Underlined title\n================\n\nText.\n', 'a/b.md', 'Underlined title'],
    ['an empty title falls back to the h1', '---\ntitle:\ndescription:\n---\n\n# From the heading\n', 'a/b.md', 'From the heading'],
    ['a blank title falls back to the file name', '---\ntitle: "  "\n---\n\nText.\n', 'a/getting-started.md', 'Getting started'],
    ['a number is its text', '---\ntitle: 2024\n---\n\nText.\n', 'releases/x.md', '2024'],
    ['inline markup keeps its text', 'intro\n\n# The `Body` *title*\n\n## x\n', 'a/b.md', 'The Body title'],
    ['an index page takes its folder name', 'Text.\n', 'guide/index.md', 'Guide'],
    ['an h1 inside an MDX component', 'import X from "./x";\n\n<Intro>\n\n# Inside\n\n</Intro>\n', 'a/b.mdx', 'Inside'],
  ];
  it.each(cases)('%s', (_name, source, path, title) => {
    expect(readPageInfo(source, path).title).toBe(title);
    const doc = parseDocument(source, path);
    expect(readPageInfo(source, path)).toEqual({ title: doc.title, description: doc.description, frontmatter: doc.frontmatter });
  });

  it('reads the description as ingest stores it, and fails as parseDocument does', () => {
    expect(readPageInfo('---\ndescription: 42\n---\n', 'a.md').description).toBe('42');
    expect(readPageInfo('---\ndescription:\n---\n', 'a.md').description).toBeUndefined();
    expect(() => readPageInfo('---\ntitle: [a, b]\n---\n', 'a.md')).toThrowError(new ParseError('a.md', 2, 'invalid frontmatter: title must be text, not a list'));
  });

  it('fails as parseDocument does on a page whose included part (VitePress include, MkDocs snippet) is past a parse limit', () => {
    const deep = Array.from({ length: 150 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n');
    const files: Record<string, string> = { 'guide/parts/deep.md': deep, 'snippets/deep.md': deep, 'guide/parts/ok.md': '- one\n  - two' };
    const read = (name: string) => (name in files ? { text: files[name]! } : { error: 'not found' });
    const readers = { includes: read, snippets: read };
    for (const page of ['# Guide\n\n<!--@include: ./parts/deep.md-->\n', '# Guide\n\n--8<-- "snippets/deep.md"\n']) {
      let ingest: unknown;
      try {
        parseDocument(page, 'guide/page.md', readers);
      } catch (error) {
        ingest = error;
      }
      expect(ingest).toBeInstanceOf(ParseError);
      expect(() => readPageInfo(page, 'guide/page.md', readers)).toThrowError(ingest as ParseError);
    }
    // An included part within the limits: both read the page, with the same title.
    const fine = '# Guide\n\n<!--@include: ./parts/ok.md-->\n';
    expect(readPageInfo(fine, 'guide/page.md', readers).title).toBe(parseDocument(fine, 'guide/page.md', readers).title);
  });
});
