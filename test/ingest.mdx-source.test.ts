/**
 * prepareMdxSource(): MDX written for MDX 1 or for another site generator, made readable by MDX 2+
 * (what ingest parses `.mdx` with, and what the docs site compiles it with). Every case is checked
 * with a real MDX parse: the prepared source must parse, say the same in text, and keep its lines.
 */
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { isMarkdownWrittenAsMdx, mdxAsText, prepareMdxSource, readMdxSource } from '../ingest/mdx-source';
import { parseDocument } from '../ingest/parse';

const mdx = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).use(remarkMdx);

/** The prepared source, checked to parse as MDX and to keep the line count. */
function prepared(source: string): string {
  const text = prepareMdxSource(source);
  expect(() => mdx.parse(text), text).not.toThrow();
  expect(text.split('\n')).toHaveLength(source.split('\n').length);
  return text;
}

describe('prepareMdxSource()', () => {
  it('leaves MDX that parses as it is (beyond the MDX 1 conversions it always made)', () => {
    const sources = [
      "import { Note } from './note';\nexport const version = '2.1';\n\n# Title\n\nVersion {version}, {props.name}, {frontmatter.title}, {Math.PI} and {' '}.\n\n<Note title=\"A\">Use {1 + 1} and <b>bold</b>, a < b, x<sup>2</sup>.</Note>\n\n{/* a comment */}\n",
      '# Plain\n\nNo braces or tags at all.\n',
      'A `{code}` span, a `<https://example.com>` span and\n\n```js\nconst a = {b: 1} < 5;\n<https://example.com>\n```\n',
    ];
    for (const source of sources) expect(prepared(source)).toBe(source);
  });

  it('turns autolinks into markdown links', () => {
    expect(prepared('See <https://example.com/a_b?c=1&d=2#h> and <http://x.org>.\n\n- <mailto:team@example.com>\n- write to <user.name+tag@example.co.uk>\n')).toBe(
      'See [https://example.com/a_b?c=1&d=2#h](https://example.com/a_b?c=1&d=2#h) and [http://x.org](http://x.org).\n\n- [mailto:team@example.com](mailto:team@example.com)\n- write to [user.name+tag@example.co.uk](mailto:user.name+tag@example.co.uk)\n',
    );
  });

  it('keeps a table whole when an autolink in it has characters that a link or a table would read', () => {
    expect(prepared('| Link | Note |\n| --- | --- |\n| <https://example.com/a|b_(c)> | x |\n')).toBe(
      '| Link | Note |\n| --- | --- |\n| [https://example.com/a\\|b_(c)](https://example.com/a%7Cb_%28c%29) | x |\n',
    );
  });

  it('escapes a < that cannot start a tag (a number, =, an arrow), and a type argument', () => {
    expect(prepared('Latency is <5 ms when x <= 3 and a <- b; a < b stays.\n')).toBe('Latency is \\<5 ms when x \\<= 3 and a \\<- b; a < b stays.\n');
    expect(prepared('Returns Promise<void> or Map<string, number>.\n')).toBe('Returns Promise\\<void> or Map\\<string, number>.\n');
    expect(prepared('Call `GET /users/<id>` with <id> the user, or <your-token>.\n')).toBe('Call `GET /users/<id>` with \\<id> the user, or \\<your-token>.\n');
    expect(prepared('if a <b then c\n')).toBe('if a \\<b then c\n');
  });

  it('closes a void HTML element left open, as MDX 1 allowed', () => {
    expect(prepared('<img src="/logo.png" alt="Logo">\n\nA rule <hr> here.\n')).toBe('<img src="/logo.png" alt="Logo" />\n\nA rule <hr /> here.\n');
  });

  it('escapes a { that does not start a JavaScript expression, where the parser stops', () => {
    expect(prepared('It returns {status: 200, body: "ok"} on success.\n')).toBe('It returns \\{status: 200, body: "ok"} on success.\n');
    expect(prepared('An unclosed {placeholder here\nand more text.\n\n## Next\n\nText.\n')).toBe('An unclosed \\{placeholder here\nand more text.\n\n## Next\n\nText.\n');
    expect(prepared('Send\n\n{\n  "name": "x",\n  "tags": {"a": 1}\n}\n\nthen.\n')).toBe('Send\n\n\\{\n  "name": "x",\n  "tags": \\{"a": 1}\n}\n\nthen.\n');
    expect(prepared('- item {a b}\n- > quoted {c d}\n')).toBe('- item \\{a b}\n- > quoted \\{c d}\n');
    expect(prepared('<Note>\n  Returns {status: 200}.\n</Note>\n')).toBe('<Note>\n  Returns \\{status: 200}.\n</Note>\n');
    expect(prepared('Helm: {{ .Values.image }} and `{x y}`.\n')).toBe('Helm: \\{\\{ .Values.image }} and `{x y}`.\n');
  });

  it('escapes a { whose expression would only fail when the page renders: a name the page never defines, a list of names, an object, nothing', () => {
    const source = [
      "export const version = '2';",
      "import Thing, { other as alias } from './thing';",
      '',
      'Path /users/{id} returns {status, body}, {{name}} or {}; {user.name} too.',
      '',
      'Kept: {version} {alias} {Thing} {props.x} {frontMatter.title} {JSON.stringify(1)} {undefined} {/* note */}.',
      '',
    ].join('\n');
    expect(prepared(source).split('\n')[3]).toBe('Path /users/\\{id} returns \\{status, body}, \\{\\{name}} or \\{}; \\{user.name} too.');
    expect(prepared(source).split('\n')[5]).toBe(source.split('\n')[5]);
  });

  it('never changes code, and leaves what it cannot repair for the parser to report', () => {
    const source = 'A `<https://x.org>` span.\n\n```\n{a b} <5\n```\n\n<Callout>\nNever closed.\n';
    const reading = readMdxSource(source);
    expect(reading.tree).toBeUndefined();
    expect(String((reading.error as Error).message)).toMatch(/Expected a closing tag for `<Callout>`/);
    expect(reading.text).toBe(source);
  });

  it('leaves an expression in a component attribute to the parser', () => {
    const reading = readMdxSource('<Foo a={x y} />\n');
    expect(reading.error).toBeDefined();
    expect(reading.text).toBe('<Foo a={x y} />\n');
  });

  it('gives the docs site a page MDX still cannot read as text that parses: component tags left out, their content kept, code as written', () => {
    const source = [
      '---',
      'title: Setup {draft}',
      '---',
      "import { Tabs } from '@theme/Tabs';",
      '',
      '# Setup',
      '',
      '<Tabs groupId="pm">',
      '<Tab value="npm" label="npm">',
      'Run `npm i {pkg}` for a <b>x < y</b> {setup}.',
      '</Tabs>',
      '',
      '```jsx',
      '<Tabs>{code}</Tabs>',
      '```',
      '',
    ].join('\n');
    const reasons: string[] = [];
    const text = prepareMdxSource(source, { onFallback: (error) => reasons.push(String(error)) });
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/closing tag/);
    expect(text).toBe(mdxAsText(source));
    expect(() => mdx.parse(text), text).not.toThrow();
    expect(text.split('\n')).toHaveLength(source.split('\n').length);
    const lines = text.split('\n');
    expect(lines.slice(0, 3)).toEqual(source.split('\n').slice(0, 3)); // frontmatter as written
    expect(lines[3]).toBe(''); // the import
    expect(lines[7]).toBe('');
    expect(lines[9]).toBe('Run `npm i {pkg}` for a \\<b>x \\< y\\</b> \\{setup\\}.');
    expect(lines.slice(12, 15)).toEqual(['```jsx', '<Tabs>{code}</Tabs>', '```']);
    // TOML frontmatter is left as written too.
    expect(mdxAsText('+++\ntitle = "a <b> {c}"\n+++\n\n<Tabs>\nText {x}\n').split('\n')).toEqual(['+++', 'title = "a <b> {c}"', '+++', '', '', 'Text \\{x\\}', '']);
    // A page MDX reads is not touched, and nothing is reported.
    expect(prepareMdxSource('# Fine\n\n<Note>ok</Note>\n', { onFallback: (e) => reasons.push(String(e)) })).toBe('# Fine\n\n<Note>ok</Note>\n');
    expect(reasons).toHaveLength(1);
  });
});

describe('isMarkdownWrittenAsMdx(), and parseDocument() of a .md page written as MDX', () => {
  it('tells a .md page that opens with import/export statements (after frontmatter, headings, comments) from one whose lines only start with the word', () => {
    const asMdx = [
      "---\ntitle: A\n---\n\nimport Tabs from '@theme/Tabs';\nimport TabItem from '@theme/TabItem';\n\n# A\n",
      "# A\n\n<!-- generated -->\nimport Tabs from '@theme/Tabs';\n\nexport const toc = [];\n\nText.\n",
      'export const meta = { a: 1 };\n\nText.\n',
    ];
    const markdown = [
      'import the module first, then call it.\n',
      "# A\n\nText.\n\nimport Tabs from '@theme/Tabs';\n",
      "<script setup>\nimport B from './B.vue'\n</script>\n",
      "<!--\n<script setup>\nimport B from './B.vue'\n</script>\n-->\n",
      "```js\nimport a from 'b'\n```\n",
      'export both `timeout.ref()` and `timeout.unref()`.\n',
      "import Tabs from '@theme/Tabs';\nand then some prose.\n",
    ];
    for (const page of asMdx) expect(isMarkdownWrittenAsMdx(page), page).toBe(true);
    for (const page of markdown) expect(isMarkdownWrittenAsMdx(page), page).toBe(false);
  });

  it('reads such a page as MDX: no import lines in the index, components read as in .mdx; one MDX cannot read is kept, as markdown, with a warning naming the line', () => {
    const page = [
      '---',
      'title: Install',
      '---',
      '',
      "import Tabs from '@theme/Tabs';",
      "import TabItem from '@theme/TabItem';",
      '',
      '## Setup',
      '',
      '<Tabs>',
      '<TabItem value="npm" label="npm">',
      '',
      '```bash',
      'npm i docent',
      '```',
      '',
      '</TabItem>',
      '</Tabs>',
      '',
      '<Note title="Careful">Back up first.</Note>',
    ].join('\n');
    const doc = parseDocument(page, 'guide/install.md');
    expect(doc.sections.map((s) => [s.headings, s.blocks.map((b) => b.text)])).toEqual([[['Install', 'Setup'], ['npm', '```bash\nnpm i docent\n```', 'Careful', 'Back up first.']]]);
    expect(doc.components).toEqual(['Tabs', 'TabItem', 'Note']);
    expect(doc.warnings).toEqual([]);
    // As markdown, as before: the import lines are text.
    expect(parseDocument('# A\n\nimport the module first.\n', 'a.md').sections[0]!.blocks.map((b) => b.text)).toEqual(['import the module first.']);

    const broken = parseDocument("import Tabs from '@theme/Tabs';\n\n# Broken\n\nText <Tabs> here.\n\nMore text.\n", 'guide/broken.md');
    expect(broken.title).toBe('Broken');
    expect(broken.sections.flatMap((s) => s.blocks.map((b) => b.text))).toEqual(['Text  here.', 'More text.']);
    expect(broken.warnings).toEqual([
      {
        path: 'guide/broken.md',
        line: 5,
        message: expect.stringMatching(/^written as MDX \(it opens with import\/export lines, as Docusaurus reads a \.md page\) but not valid MDX \(Expected a closing tag for `<Tabs>`.*\), so it was indexed as plain markdown, without its import\/export lines, as the docs site shows it\./),
      },
    ]);
  });
});
