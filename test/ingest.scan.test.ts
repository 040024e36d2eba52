/**
 * Which files of a content folder are pages (`listContentFiles`): the files ingest indexes and the
 * docs site builds (test/site.build.test.ts checks the site against this list).
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listContentFiles, scanContentFolder } from '../ingest/scan';
import { removeTempDirs, tempDir } from './helpers/content';

afterAll(removeTempDirs);

function folder(files: string[]): string {
  const dir = tempDir('docent-scan-');
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), '# Page\n');
  }
  return dir;
}

describe('listContentFiles', () => {
  it('lists .md and .mdx files in every folder, sorted, with / separators', async () => {
    const dir = folder(['z.md', 'guide/b.mdx', 'guide/a.md', 'guide/deep/c.md', 'notes.txt', 'image.png']);
    expect(await listContentFiles(dir)).toEqual(['guide/a.md', 'guide/b.mdx', 'guide/deep/c.md', 'z.md']);
  });

  it('skips files and folders whose name starts with "_" (partials and drafts, as on the docs site), not Hugo\'s _index.md section pages', async () => {
    const dir = folder(['page.md', '_partial.md', '_snippet.mdx', 'guide/_include.md', '_drafts/draft.md', 'guide/_wip/x.mdx', 'guide/ok_name.md', 'hugo/_index.md', '_drafts/_index.md']);
    expect(await listContentFiles(dir)).toEqual(['guide/ok_name.md', 'hugo/_index.md', 'page.md']);
  });

  it('reads only lower-case extensions (the docs site builds no .MD or .Mdx page)', async () => {
    const dir = folder(['page.md', 'README.MD', 'Guide.Md', 'comp.MDX', 'comp2.mDx', 'ok.mdx']);
    expect(await listContentFiles(dir)).toEqual(['ok.mdx', 'page.md']);
  });

  it('skips hidden files and folders and node_modules', async () => {
    const dir = folder(['page.md', '.hidden.md', '.vitepress/config.md', 'node_modules/pkg/README.md']);
    expect(await listContentFiles(dir)).toEqual(['page.md']);
  });

  it('follows links to files but not links to folders (no loops)', async () => {
    const dir = folder(['guide/a.md']);
    const elsewhere = folder(['b.md']);
    symlinkSync(join(dir, 'guide/a.md'), join(dir, 'linked-file.md'));
    symlinkSync(elsewhere, join(dir, 'linked-folder'), 'dir');
    symlinkSync('..', join(dir, 'guide/up'), 'dir');
    symlinkSync(join(dir, 'missing.md'), join(dir, 'broken.md'));
    expect(await listContentFiles(dir)).toEqual(['guide/a.md', 'linked-file.md']);
  });
});

describe('scanContentFolder', () => {
  it('lists the pages as listContentFiles does', async () => {
    const dir = folder(['z.md', 'guide/a.mdx', '_draft.md', 'notes.txt']);
    expect((await scanContentFolder(dir)).pages).toEqual(await listContentFiles(dir));
  });

  it('names the files whose extension is .md or .mdx in another case, and why they are not indexed', async () => {
    const dir = folder(['page.md', 'README.MD', 'guide/Setup.Mdx', 'comp.mDx', 'notes.TXT', 'Page.MD.txt']);
    expect(await scanContentFolder(dir)).toEqual({
      pages: ['page.md'],
      ignored: [
        { path: 'README.MD', reason: 'not indexed: page files must end in lower-case .md or .mdx (rename it to README.md)' },
        { path: 'comp.mDx', reason: 'not indexed: page files must end in lower-case .md or .mdx (rename it to comp.mdx)' },
        { path: 'guide/Setup.Mdx', reason: 'not indexed: page files must end in lower-case .md or .mdx (rename it to Setup.mdx)' },
      ],
    });
  });

  it('does not name files skipped on purpose (hidden, partials and drafts, node_modules) nor folders', async () => {
    const dir = folder(['page.md', '_Partial.MD', '.Hidden.MD', '_drafts/Draft.MD', 'node_modules/pkg/README.MD', 'Folder.MD/page.md']);
    expect(await scanContentFolder(dir)).toEqual({ pages: ['Folder.MD/page.md', 'page.md'], ignored: [] });
  });
});
