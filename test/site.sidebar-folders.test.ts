/**
 * readFolderFile() / readFolderFiles() (the docs site): what Fumadocs' `meta.json` and Docusaurus'
 * `_category_.json` / `_category_.yml` say of a folder's place in the sidebar; a malformed one is a
 * notice naming the file, never an error. (How the sidebar uses it: test/site.nav.test.ts; the
 * built site: test/site.folder-files.test.ts.)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFolderFile, readFolderFiles } from '../site/src/lib/sidebar-folders';

describe('readFolderFile()', () => {
  it("reads Fumadocs' meta.json: title, pages, defaultOpen", () => {
    const text = JSON.stringify({ title: ' API reference ', pages: ['index', '---Commands---', 'run', '...'], defaultOpen: true, icon: 'Book' });
    expect(readFolderFile('reference/meta.json', text)).toEqual({ folder: { label: 'API reference', pages: ['index', '---Commands---', 'run', '...'], open: true }, notices: [] });
  });

  it("reads Docusaurus' _category_.json and _category_.yml: label, position, collapsed", () => {
    expect(readFolderFile('api/_category_.json', '{ "label": "API", "position": 2, "collapsed": false, "link": { "type": "generated-index" } }')).toEqual({ folder: { label: 'API', order: 2, open: true }, notices: [] });
    expect(readFolderFile('api/plugins/_category_.yml', 'label: Plugins\nposition: 2.5\ncollapsed: true\n')).toEqual({ folder: { label: 'Plugins', order: 2.5, open: false }, notices: [] });
    expect(readFolderFile('api/_category_.yaml', '')).toEqual({ folder: {}, notices: [] });
  });

  it('reports a file that is not valid JSON or YAML with its line, and ignores it', () => {
    expect(readFolderFile('guides/meta.json', '{\n  "pages": [\n    "a"\n    "b"\n  ]\n}\n')).toEqual({ folder: {}, notices: [expect.stringMatching(/^\[docent\] guides\/meta\.json:4: not valid JSON \([^)]+\): the sidebar ignores it$/)] });
    // V8 gives no position for a trailing comma: the file, and the token.
    expect(readFolderFile('guides/meta.json', '{\n  "pages": [\n    "a",\n  ]\n}\n')).toEqual({ folder: {}, notices: ["[docent] guides/meta.json: not valid JSON (Unexpected token ']'): the sidebar ignores it"] });
    expect(readFolderFile('api/_category_.yml', 'label: Plugins\nposition: [2\n')).toEqual({ folder: {}, notices: [expect.stringMatching(/^\[docent\] api\/_category_\.yml:\d: not valid YAML \(.+\): the sidebar ignores it$/)] });
    expect(readFolderFile('meta.json', '["a", "b"]')).toEqual({ folder: {}, notices: ['[docent] meta.json: not an object of sidebar fields: the sidebar ignores it'] });
  });

  it('reports a field of another shape with its line, and reads the others', () => {
    const meta = readFolderFile('guides/meta.json', '{\n  "title": "Guides",\n  "pages": "a, b",\n  "defaultOpen": "yes"\n}\n');
    expect(meta).toEqual({
      folder: { label: 'Guides' },
      notices: ['[docent] guides/meta.json:3: pages "a, b" is not a list of page names: ignored', '[docent] guides/meta.json:4: defaultOpen "yes" is not true or false: ignored'],
    });
    expect(readFolderFile('api/_category_.yml', 'label: 3\nposition: second\n')).toEqual({
      folder: {},
      notices: ['[docent] api/_category_.yml:1: label 3 is not a text: ignored', '[docent] api/_category_.yml:2: position "second" is not a number: ignored'],
    });
  });
});

describe('readFolderFiles()', () => {
  const root = mkdtempSync(join(tmpdir(), 'docent-sidebar-folders-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads the folder files of the folders asked about, the first of meta.json, _category_.json, _category_.yml setting each field', () => {
    const files: Record<string, string> = {
      'meta.json': '{ "pages": ["guides", "api"] }',
      'guides/meta.json': '{ "title": "All guides" }',
      'guides/_category_.yml': 'label: Guides\nposition: 3\n',
      'api/_category_.json': '{ "label": "API", ',
      'other/meta.json': '{ "title": "Not asked about" }',
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    mkdirSync(join(root, 'empty/meta.json'), { recursive: true }); // a folder of that name: no file
    const { folders, notices } = readFolderFiles(root, ['', 'guides', 'api', 'guides', 'empty', 'none']);
    expect(Object.fromEntries(folders)).toEqual({ '': { pages: ['guides', 'api'] }, guides: { label: 'All guides', order: 3 } });
    expect(notices).toEqual([expect.stringMatching(/^\[docent\] api\/_category_\.json:1: not valid JSON \(.+\): the sidebar ignores it$/)]);
  });
});
