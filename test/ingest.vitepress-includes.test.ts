/**
 * expandIncludes(): VitePress' markdown file inclusion (`<!--@include: …-->`) and code snippet
 * import (`<<< …`), read from the content folder, each line knowing the page line it came from.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../ingest/parse';
import { type SnippetReader, snippetFileReader } from '../ingest/snippets';
import { expandIncludes, includedFiles } from '../ingest/vitepress-includes';

const lines = (...l: string[]) => l.join('\n');

/** Reads from an in-memory content folder, by content-relative path. */
function reader(files: Record<string, string>): SnippetReader & { names: string[] } {
  const names: string[] = [];
  const read = (name: string) => {
    names.push(name);
    return name in files ? { text: files[name]! } : { error: `no such file` };
  };
  return Object.assign(read, { names });
}

const PART = lines(
  '---',
  'title: Part',
  '---',
  'Getting started.',
  '',
  '<!-- #region usage -->',
  'Usage 1',
  '',
  'Usage 2',
  '<!-- #endregion usage -->',
  '',
  '## Base Section',
  '',
  'Base.',
  '',
  '### Sub',
  '',
  'Sub.',
  '',
  '## Other {#custom-id}',
  '',
  'Other.',
);

describe('expandIncludes()', () => {
  it('returns a page without includes as it is', () => {
    const page = lines('# Title', '', 'a <<b>> c', '<!-- a comment -->');
    expect(expandIncludes(page, 'guide/a.md', reader({}))).toEqual({ text: page, lines: undefined, problems: [] });
  });

  it('puts a file in place without its frontmatter, or the lines, region or heading section it names, relative to the page or from @/', () => {
    const read = reader({ 'guide/parts/basics.md': PART });
    const include = (what: string) => expandIncludes(`<!--@include: ${what}-->`, 'guide/page.md', read).text.split('\n');
    expect(include('./parts/basics.md')).toEqual(PART.split('\n').slice(3));
    expect(include('./parts/basics.md{4,5}')).toEqual(['Getting started.', '']);
    expect(include('parts/basics.md{,1}')).toEqual(['---']);
    expect(include('./parts/basics.md#usage')).toEqual(['Usage 1', '', 'Usage 2']);
    expect(include('./parts/basics.md#usage{3,}')).toEqual(['Usage 2']);
    expect(include('@/guide/parts/basics.md#base-section')).toEqual(['', 'Base.', '', '### Sub', '', 'Sub.', '']);
    expect(include('@guide/parts/basics.md#custom-id')).toEqual(['', 'Other.']);
  });

  it('reads includes in included files from their own folder, names each page line, and warns about what it cannot include', () => {
    const read = reader({ 'a/one.md': 'One.\n<!--@include: ../b/two.md-->', 'b/two.md': 'Two.', 'a/loop.md': '<!--@include: ./loop.md-->' });
    const page = lines('# T', '<!--@include: ./a/one.md-->', '  <!--@include: ./nope.md-->', '<!--@include: ./a/loop.md-->', '```md', '<!--@include: ./a/one.md-->', '```');
    const result = expandIncludes(page, 'index.md', read);
    expect(result.text.split('\n')).toEqual(['# T', 'One.', 'Two.', '  <!--@include: ./nope.md-->', '<!--@include: ./loop.md-->', '```md', '<!--@include: ./a/one.md-->', '```']);
    expect(result.lines).toEqual([1, 2, 2, 3, 4, 5, 6, 7]);
    expect(result.problems).toEqual([
      { line: 3, message: 'the include "./nope.md" is not put in place: no such file' },
      { line: 4, message: 'the include "./loop.md" (in a/loop.md) is not put in place: it includes itself' },
    ]);
    expect(read.names).toContain('b/two.md');
    expect(includedFiles(page, 'index.md', read)).toEqual([
      ['a/one.md', 'One.\n<!--@include: ../b/two.md-->'],
      ['b/two.md', 'Two.'],
      ['nope.md', ''],
      ['a/loop.md', '<!--@include: ./loop.md-->'],
    ]);
  });

  it('never reads outside the content folder or a hidden file', () => {
    const root = mkdtempSync(join(tmpdir(), 'docent-includes-'));
    try {
      mkdirSync(join(root, 'content/guide'), { recursive: true });
      writeFileSync(join(root, 'secret.md'), 'SECRET');
      writeFileSync(join(root, 'content/.env.md'), 'SECRET');
      const read = snippetFileReader([join(root, 'content')]);
      const page = lines('<!--@include: ../../secret.md-->', `<!--@include: @/${join(root, 'secret.md')}-->`, '<<< @/.env.md', '<!--@include: @/../secret.md-->');
      const result = expandIncludes(page, 'guide/page.md', read);
      expect(result.text).toBe(page);
      expect(result.problems.map((p) => p.line)).toEqual([1, 2, 3, 4]);
      expect(result.problems.map((p) => p.message).join('\n')).not.toContain('SECRET');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('imports code as a fenced block in the language its braces or extension give, a region out-dented, with its title', () => {
    const code = lines('import x from "y"', 'function f() {', '  // #region setup', '  const app = new Hono()', '  // #region inner', '  app.get("/", h)', '  // #endregion inner', '  // #endregion setup', '}');
    const read = reader({ 'snippets/app.ts': code, 'guide/run.sh': 'echo ```' });
    const page = lines('::: code-group', '<<< @/snippets/app.ts{2}', '<<< ../snippets/app.ts#setup{1,2 js:line-numbers} [setup]', '<<< ./run.sh', ':::');
    expect(expandIncludes(page, 'guide/page.md', read).text.split('\n')).toEqual([
      '::: code-group',
      '```ts',
      ...code.split('\n'),
      '```',
      '```js [setup]',
      'const app = new Hono()',
      'app.get("/", h)',
      '```',
      '```sh',
      'echo ```',
      '```',
      ':::',
    ]);
    expect(expandIncludes('<<< @/snippets/app.ts#nope', 'a.md', read).problems).toEqual([
      { line: 1, message: 'the code import "@/snippets/app.ts#nope" is not put in place: snippets/app.ts has no region "nope"' },
    ]);
  });
});

describe('parseDocument() with includes', () => {
  it('indexes the included text under the page\'s headings, at the line of the include', () => {
    const read = reader({ 'guide/parts/basics.md': PART });
    const page = lines('# Docs', '', '## Basics', '', '<!--@include: ./parts/basics.md#base-section-->', '', '## After', '', 'Text.');
    const doc = parseDocument(page, 'guide/page.md', { includes: read });
    expect(doc.sections.map((s) => [s.headings, s.line, s.blocks.map((b) => [b.text, b.line])])).toEqual([
      [['Docs', 'Basics'], 3, [['Base.', 5]]],
      [['Docs', 'Basics', 'Sub'], 5, [['Sub.', 5]]],
      [['Docs', 'After'], 7, [['Text.', 9]]],
    ]);
    expect(parseDocument(page, 'guide/page.md').sections.flatMap((s) => s.blocks.map((b) => b.text))).toEqual(['Text.']);
  });

  it('puts a generated file of 200,000 lines in place: included, and imported as code (more lines than a call may pass)', () => {
    const code = Array.from({ length: 200_000 }, (_, i) => `  const a${i} = ${i};`);
    const read = reader({ 'part.md': code.join('\n'), 'big.ts': ['// #region all', ...code, '// #endregion all'].join('\n') });
    expect(expandIncludes('<!--@include: ./part.md-->', 'a.md', read).text.split('\n')).toHaveLength(200_000);
    const imported = expandIncludes('<<< @/big.ts#all', 'a.md', read).text.split('\n');
    expect([imported[0], imported[1], imported.at(-1)]).toEqual(['```ts', 'const a0 = 0;', '```']);
    expect(imported).toHaveLength(200_002);
  });
});
