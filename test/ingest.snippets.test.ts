/**
 * MkDocs snippets (`--8<-- "file"`, pymdownx.snippets): `expandSnippets()`, the folders they are
 * read from (`snippetBasePaths()`), `snippetFileReader()`, and `parseDocument()` with them. The
 * sync test checks that a changed snippet re-indexes its page; the site build test, the page.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDocument } from '../ingest/parse';
import { expandSnippets, includedSnippets, MAX_SNIPPET_DEPTH, type SnippetReader, snippetBasePaths, snippetFileReader } from '../ingest/snippets';
import { removeTempDirs, tempDir } from './helpers/content';

afterAll(removeTempDirs);

/** A reader over an in-memory set of files. */
const files =
  (entries: Record<string, string>): SnippetReader =>
  (name) =>
    name in entries ? { text: entries[name]! } : { error: 'no such file' };

function folder(entries: Record<string, string>): string {
  const dir = tempDir('docent-snippets-');
  for (const [path, text] of Object.entries(entries)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('expandSnippets', () => {
  it('puts a file in place of its --8<-- line, indented as the line is, in code too', () => {
    const read = files({ 'note.md': 'Needs a key.\n', 'app.py': 'import os\nprint(os.name)\n' });
    const page = 'Intro.\n\n--8<-- "note.md"\n\n```py\n--8<-- \'app.py\'\n```\n\n- item\n\n    --8<-- "note.md"\n';
    const { text, problems } = expandSnippets(page, read);
    expect(text).toBe('Intro.\n\nNeeds a key.\n\n```py\nimport os\nprint(os.name)\n```\n\n- item\n\n    Needs a key.\n');
    expect(problems).toEqual([]);
  });

  it('gives every line the page line it comes from', () => {
    const { text, lines } = expandSnippets('a\n--8<-- "two.md"\nb', files({ 'two.md': 'x\ny' }));
    expect(text).toBe('a\nx\ny\nb');
    expect(lines).toEqual([1, 2, 2, 3]);
    expect(expandSnippets('no snippets', files({})).lines).toBeUndefined();
  });

  it('takes line ranges and named sections, and leaves section markers out', () => {
    const read = files({ 'app.py': 'one\n# --8<-- [start:main]\ntwo\nthree\n# --8<-- [end:main]\nfour\n' });
    expect(expandSnippets('--8<-- "app.py:main"', read).text).toBe('two\nthree');
    expect(expandSnippets('--8<-- "app.py:3:4"', read).text).toBe('two\nthree');
    expect(expandSnippets('--8<-- "app.py:6"', read).text).toBe('four');
    expect(expandSnippets('--8<-- "app.py::1,6:6"', read).text).toBe('one\nfour');
    expect(expandSnippets('--8<-- "app.py"', read).text).toBe('one\ntwo\nthree\nfour');
    expect(expandSnippets('--8<-- "app.py:other"', read).problems).toEqual([{ line: 1, message: expect.stringContaining('app.py has no section "other"') }]);
  });

  it('reads the block form, one file a line, ; commenting one out', () => {
    const read = files({ 'a.md': 'A', 'b.md': 'B' });
    expect(expandSnippets('x\n--8<--\na.md\n; b.md\nb.md\n--8<--\ny', read)).toEqual({ text: 'x\nA\nB\ny', lines: [1, 2, 2, 7], problems: [] });
  });

  it('keeps an escaped ;--8<-- line, less one ;', () => {
    expect(expandSnippets('  ;--8<-- "a.md"\n;;--8<-- "a.md"', files({ 'a.md': 'A' })).text).toBe('  --8<-- "a.md"\n;--8<-- "a.md"');
  });

  it('reads snippets in snippets, not a cycle and not deeper than MAX_SNIPPET_DEPTH', () => {
    expect(expandSnippets('--8<-- "outer.md"', files({ 'outer.md': 'O\n--8<-- "inner.md"', 'inner.md': 'I' })).text).toBe('O\nI');
    const loop = expandSnippets('--8<-- "a.md"', files({ 'a.md': 'A\n--8<-- "a.md"' }));
    expect(loop.text).toBe('A');
    expect(loop.problems).toEqual([{ line: 1, message: 'the snippet "a.md" is not included: it includes itself' }]);
    const chain = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`${i}.md`, `${i}\n--8<-- "${i + 1}.md"`]));
    const deep = expandSnippets('--8<-- "0.md"', files(chain));
    expect(deep.text.split('\n')).toHaveLength(MAX_SNIPPET_DEPTH);
    expect(deep.problems[0]!.message).toContain(`${MAX_SNIPPET_DEPTH} levels deep at most`);
  });

  it('leaves out a missing file and a URL, and says why on the line', () => {
    const { text, problems } = expandSnippets('a\n--8<-- "gone.md"\n--8<-- "https://example.com/x.md"\nb', files({}));
    expect(text).toBe('a\nb');
    expect(problems).toEqual([
      { line: 2, message: 'the snippet "gone.md" is not included: no such file' },
      { line: 3, message: 'the snippet "https://example.com/x.md" is not included: snippets from URLs are not fetched' },
    ]);
  });

  it('includedSnippets lists every file read, nested ones too, for the page hash', () => {
    const read = files({ 'outer.md': 'O\n--8<-- "inner.md"', 'inner.md': 'I' });
    expect(includedSnippets('--8<-- "outer.md"\r\n--8<-- "gone.md"', read)).toEqual([['outer.md', 'O\n--8<-- "inner.md"'], ['inner.md', 'I'], ['gone.md', '']]);
  });
});

describe('snippetBasePaths and snippetFileReader', () => {
  it("reads base_path from the mkdocs.yml beside the content folder, Python tags and all; by default that file's folder", () => {
    const project = folder({
      'mkdocs.yml':
        'site_name: X\nmarkdown_extensions:\n  - toc:\n      slugify: !!python/object/apply:pymdownx.slugs.slugify {}\n  - pymdownx.snippets:\n      base_path: [".", "docs/includes"]\n',
      'docs/index.md': '# Home\n',
    });
    expect(snippetBasePaths(join(project, 'docs'))).toEqual([project, join(project, 'docs/includes')]);
    writeFileSync(join(project, 'mkdocs.yml'), 'site_name: X\nmarkdown_extensions:\n  - pymdownx.snippets\n');
    expect(snippetBasePaths(join(project, 'docs'))).toEqual([project]);
  });

  it('without an mkdocs.yml, reads from the content folder only', () => {
    const project = folder({ 'docs/index.md': '# Home\n' });
    expect(snippetBasePaths(join(project, 'docs'))).toEqual([join(project, 'docs')]);
  });

  it('reads from the first folder that has the file, never outside them', () => {
    const project = folder({ 'examples/app.py': 'print(1)\n', 'docs/includes/note.md': 'Note.\n', 'secret.txt': 'no' });
    const read = snippetFileReader([join(project, 'docs'), join(project, 'docs/includes'), join(project, 'examples')]);
    expect(read('note.md')).toEqual({ text: 'Note.\n' });
    expect(read('includes/note.md')).toEqual({ text: 'Note.\n' });
    expect(read('app.py')).toEqual({ text: 'print(1)\n' });
    expect(read('../secret.txt')).toEqual({ error: 'it names a file outside the snippet folders' });
    expect(read(join(project, 'secret.txt'))).toEqual({ error: 'it names a file outside the snippet folders' });
    expect(read('missing.md')).toMatchObject({ error: expect.stringContaining('no such file') });
  });

  it('never reads a hidden file (.env, .git/config) nor a link that leads out of the folders', () => {
    const project = folder({ '.env': 'OPENAI_API_KEY=sk-secret\n', '.git/config': '[core]\n', 'docs/page.md': '# Page\n' });
    symlinkSync(join(project, '.env'), join(project, 'docs/env.md'));
    const read = snippetFileReader([project, join(project, 'docs')]);
    expect(read('.env')).toEqual({ error: 'hidden files are not read' });
    expect(read('.git/config')).toEqual({ error: 'hidden files are not read' });
    expect(snippetFileReader([join(project, 'docs')])('env.md')).toEqual({ error: 'it names a file outside the snippet folders' });
  });
});

describe('parseDocument with snippets', () => {
  it("indexes a snippet's text where it is included, with the page's own lines, and warns on the line of one that is missing", () => {
    const read = files({ 'steps.md': '## Steps\n\n1. Install.\n2. Run.\n', 'app.py': 'print(1)\n' });
    const page = '# Guide\n\n--8<-- "steps.md"\n\n```python\n--8<-- "app.py"\n```\n\n--8<-- "gone.md"\n\nLast.\n';
    const doc = parseDocument(page, 'guide.md', { snippets: read });
    expect(doc.sections.map((s) => [s.headings.join(' > '), s.line, s.blocks.map((b) => [b.kind, b.text, b.line])])).toEqual([
      [
        'Guide > Steps',
        3,
        [
          ['prose', '1. Install.\n2. Run.', 3],
          ['code', '```python\nprint(1)\n```', 5],
          ['prose', 'Last.', 11],
        ],
      ],
    ]);
    expect(doc.warnings).toEqual([{ path: 'guide.md', line: 9, message: 'the snippet "gone.md" is not included: no such file' }]);
    // Without a reader, the line is read as written.
    expect(parseDocument('--8<-- "steps.md"\n', 'guide.md').sections[0]!.blocks[0]!.text).toBe('--8<-- "steps.md"');
  });

  it('leaves abbreviation definitions (*[HTML]: …) out of the text, outside code', () => {
    const doc = parseDocument('Uses HTML.\n\n*[HTML]: Hyper Text Markup Language\n\n```md\n*[A]: kept\n```\n', 'abbr.md');
    expect(doc.sections[0]!.blocks.map((b) => b.text)).toEqual(['Uses HTML.', '```md\n*[A]: kept\n```']);
  });
});
