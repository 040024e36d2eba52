/**
 * Code fence meta on the docs site: parseCodeMeta() reads the title, highlighted lines and line
 * numbers of Docusaurus, Starlight (Expressive Code), VitePress and MkDocs fences;
 * remarkCodeMagicComments() highlights the lines Docusaurus' magic comments mark and renumbers
 * written ranges when those comment lines go. (The built page: test/site.build.test.ts.)
 */
import type { Code, Root } from 'mdast';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { readMagicComments } from '../ingest/code-magic-comments';
import { readCodeNotations } from '../site/src/lib/code-notations';
import { parseCodeMeta, splitFenceLanguage, withHighlightedLines } from '../site/src/lib/code-meta';
import { remarkCodeMagicComments } from '../site/src/lib/remark-code-magic-comments';

describe('parseCodeMeta()', () => {
  it.each([
    ['title="terminal" {2}', { title: 'terminal', highlight: [[2, 2]] }],
    ['title="src/App.tsx" {1,3-4} showLineNumbers', { title: 'src/App.tsx', highlight: [[1, 1], [3, 4]], lineNumbers: 1 }],
    ["title='My file.ts' mark={3} ins={4} frame=\"none\"", { title: 'My file.ts', highlight: [[3, 3]] }],
    ['[file.ts]{2}', { title: 'file.ts', highlight: [[2, 2]] }],
    ['[npm]', { title: 'npm', highlight: [] }],
    [':line-numbers=5 {1}', { highlight: [[1, 1]], lineNumbers: 5 }],
    ['hl_lines="1 3-4" linenums="10" title="app.py"', { title: 'app.py', highlight: [[1, 1], [3, 4]], lineNumbers: 10 }],
    ['title="[draft] {1}"', { title: '[draft] {1}', highlight: [] }],
    ['{4-2,x,0} showLineNumbers=0', { highlight: [], lineNumbers: 0 }],
    ['', { highlight: [] }],
  ])('%s', (meta, expected) => {
    expect(parseCodeMeta(meta)).toEqual(expected);
  });

  it("takes VitePress' highlighted lines and line numbers off the language", () => {
    expect(splitFenceLanguage('js{4}', null)).toEqual({ lang: 'js', meta: '{4}' });
    expect(splitFenceLanguage('ts:line-numbers{1,2}', '[a.ts]')).toEqual({ lang: 'ts', meta: ':line-numbers {1,2} [a.ts]' });
    expect(splitFenceLanguage('c++', 'x')).toEqual({ lang: 'c++', meta: 'x' });
    expect(splitFenceLanguage('{note}', null)).toEqual({ lang: '{note}', meta: null });
  });

  it('rewrites the highlighted lines and keeps the rest of the meta (a range inside a quoted title too)', () => {
    expect(withHighlightedLines('title="a {1}.ts" {1,3-4} showLineNumbers', [1, 2])).toBe('title="a {1}.ts" showLineNumbers {1,2}');
    expect(withHighlightedLines('hl_lines="2" mark={3}', [])).toBeNull();
    expect(withHighlightedLines(null, [5])).toBe('{5}');
  });
});

describe('Docusaurus magic comments', () => {
  const fence = (markdown: string): Code => {
    const processor = unified().use(remarkParse).use(remarkCodeMagicComments);
    return (processor.runSync(processor.parse(markdown)) as Root).children[0] as Code;
  };

  it('reads the lines they mark: the next line, and the lines between start and end', () => {
    const code = ['a', '// highlight-next-line', 'b', 'c', '// highlight-start', 'd', 'e', '// highlight-end', 'f'].join('\n');
    expect(readMagicComments(code, 'js')).toEqual({ code: 'a\nb\nc\nd\ne\nf', highlighted: [2, 4, 5], writtenLines: [1, 3, 4, 6, 7, 9] });
    expect(readMagicComments(code, 'text')).toEqual({ code, highlighted: [], writtenLines: [1, 2, 3, 4, 5, 6, 7, 8, 9] });
  });

  it('highlights the lines they mark in the site, and renumbers the lines a range counts with them', () => {
    expect(fence('```js title="a.js"\na\n// highlight-next-line\nb\n```\n')).toMatchObject({ value: 'a\nb', meta: 'title="a.js" {2}' });
    // A written range wins (as in Docusaurus), counted in the lines as written: 1, 3 and 4 are now 1, 2 and 3.
    const written = fence("```tsx title=\"src/App.tsx\" {1,3-4} showLineNumbers\nimport a;\n// highlight-next-line\nconst c = a();\nexport default c;\n```\n");
    expect(written).toMatchObject({ lang: 'tsx', value: 'import a;\nconst c = a();\nexport default c;', meta: 'title="src/App.tsx" showLineNumbers {1,2,3}' });
    expect(fence('```js{2}\na\nb\n```\n')).toMatchObject({ lang: 'js', meta: '{2}', value: 'a\nb' });
    expect(fence('```bash title="terminal" {2}\nnpm i\nnpm run setup\n```\n')).toMatchObject({ meta: 'title="terminal" {2}' });
  });
});

describe("Shiki's notation comments and twoslash markup", () => {
  const fence = (markdown: string): Code => {
    const processor = unified().use(remarkParse).use(remarkCodeMagicComments);
    return (processor.runSync(processor.parse(markdown)) as Root).children[0] as Code;
  };

  it('readCodeNotations() removes [!code …] comments in any comment syntax, and reads the lines they highlight', () => {
    const code = [
      "import { Hono } from 'hono'",
      'const app = new Hono() // [!code focus]',
      "app.get('/', (c) => c.text('Hi')) // [!code --]",
      "app.get('/', (c) => c.json({ ok: true })) // [!code ++]",
      '// [!code highlight:2]',
      'export default app',
      'const x = 1 /* [!code word:x] */',
      '<p>hi</p> <!-- [!code error] -->',
      'echo hi # [!code warning]',
      "const s = '// [!code focus] in a string' + more",
    ].join('\n');
    expect(readCodeNotations(code)).toEqual({
      code: [
        "import { Hono } from 'hono'",
        'const app = new Hono()',
        "app.get('/', (c) => c.text('Hi'))",
        "app.get('/', (c) => c.json({ ok: true }))",
        'export default app',
        'const x = 1',
        '<p>hi</p>',
        'echo hi',
        "const s = '// [!code focus] in a string' + more",
      ].join('\n'),
      highlighted: [2, 4, 5, 6, 7, 8],
      writtenLines: [1, 2, 3, 4, 6, 7, 8, 9, 10],
    });
    expect(readCodeNotations('plain\ncode')).toEqual({ code: 'plain\ncode', highlighted: [], writtenLines: [1, 2] });
  });

  it('readCodeNotations() shows a twoslash block as its site does: cut regions, flags and type queries left out', () => {
    const code = [
      '// @noErrors',
      "import { Hono } from 'hono'",
      'const app = new Hono()',
      '// ---cut---',
      "app.get('/hello', (c) => {",
      '  // ---cut-start---',
      '  const hidden = 1',
      '  // ---cut-end---',
      "  const ua = c.req.header('User-Agent')",
      '  //         ^?',
      '  return c.text(ua)',
      '})',
      '// ---cut-after---',
      'export type App = typeof app',
    ].join('\n');
    expect(readCodeNotations(code, 'twoslash').code).toBe(
      ["app.get('/hello', (c) => {", "  const ua = c.req.header('User-Agent')", '  return c.text(ua)', '})'].join('\n'),
    );
    // Without `twoslash` in the meta, the same lines are the block's content.
    expect(readCodeNotations(code, 'title="a.ts"').code).toBe(code);
    expect(readCodeNotations('// @errors: 2322\nconst a: number = "x"', 'twoslash title="a.ts"').code).toBe('const a: number = "x"');
  });

  it('on the site, the comments go and the lines they mark are highlighted, with magic comments too', () => {
    expect(fence('```ts\nconst a = 1\nconst b = 2 // [!code focus]\n// highlight-next-line\nconst c = 3\n```\n')).toMatchObject({
      value: 'const a = 1\nconst b = 2\nconst c = 3',
      meta: '{2,3}',
    });
    expect(fence("```ts twoslash\nimport { Hono } from 'hono'\n// ---cut---\nconst app = new Hono()\n```\n")).toMatchObject({ value: 'const app = new Hono()' });
  });
});
