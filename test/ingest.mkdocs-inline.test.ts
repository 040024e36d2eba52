/**
 * `mkdocsInlineAsMarkdown()`: MkDocs cross-references (mkdocs-autorefs) and keys (pymdownx.keys),
 * which other readers show as written, made markdown for ingest and the docs site. The site build
 * test checks the rendered page (test/fixtures/site-docs/guide/snippets.md).
 */
import { describe, expect, it } from 'vitest';
import { mkdocsInlineAsMarkdown } from '../ingest/mkdocs-inline';
import { parseDocument } from '../ingest/parse';

describe('mkdocsInlineAsMarkdown', () => {
  it('makes a cross-reference its text: [text][object.path], [`code`][object.path] and [object.path][]', () => {
    expect(mkdocsInlineAsMarkdown('Call [run_worker][textual.dom.DOMNode.run_worker] or [`App.run()`][textual.app.App.run].')).toBe(
      'Call run_worker or `App.run()`.',
    );
    expect(mkdocsInlineAsMarkdown('See [textual.app.App][] and [the intro][getting-started].')).toBe('See textual.app.App and the intro.');
  });

  it('leaves a reference the page defines, indexing into code, and code alone', () => {
    const defined = 'Behind [Nginx][nginx].\n\n[nginx]: https://nginx.org';
    expect(mkdocsInlineAsMarkdown(defined)).toBe(defined);
    for (const text of ['matrix[1][2] and m[i][j]', '`[a][b.c]` and `++q++`', '```md\n[a][b.c] ++q++\n```']) {
      expect(mkdocsInlineAsMarkdown(text)).toBe(text);
    }
  });

  it('writes keys as <kbd> elements, as the MkDocs site shows them', () => {
    expect(mkdocsInlineAsMarkdown('Press ++ctrl+p++, ++q++ or ++shift+tab++.')).toBe('Press <kbd>Ctrl</kbd>+<kbd>P</kbd>, <kbd>Q</kbd> or <kbd>Shift</kbd>+<kbd>Tab</kbd>.');
  });

  it('is what ingest indexes', () => {
    const doc = parseDocument('# Keys\n\nPress ++ctrl+p++ to open [the palette][textual.command.CommandPalette].\n', 'keys.md');
    expect(doc.sections[0]!.blocks[0]!.text).toBe('Press Ctrl+P to open the palette.');
  });
});
