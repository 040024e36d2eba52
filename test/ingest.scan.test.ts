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

  it('leaves out what the folder\'s .docentignore names, in .gitignore syntax (other languages, a changelog)', async () => {
    const dir = folder(['index.md', 'guide/a.md', 'de/index.md', 'de/guide/a.md', 'fr/index.md', 'CHANGELOG.md', 'guide/old.draft.md', 'guide/keep.draft.md', 'notes/de/x.md']);
    writeFileSync(join(dir, '.docentignore'), '# Only the English pages\n/de/\nfr\nCHANGELOG.md\n\n*.draft.md\n!keep.draft.md\n');
    expect(await listContentFiles(dir)).toEqual(['guide/a.md', 'guide/keep.draft.md', 'index.md', 'notes/de/x.md']);
    // Ignored files are no pages and named nowhere, as hidden files are.
    expect((await scanContentFolder(dir)).ignored).toEqual([]);
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

  it('follows a link named like a page only to a page file, so it cannot publish another file (config.md → .env)', async () => {
    const dir = folder(['index.md']);
    const outside = folder(['README.md', '.env', 'notes.txt']);
    writeFileSync(join(outside, '.env'), 'OPENAI_API_KEY=sk-secret\n');
    symlinkSync(join(outside, 'README.md'), join(dir, 'setup.md'));
    symlinkSync(join(outside, '.env'), join(dir, 'config.md'));
    symlinkSync(join(outside, 'notes.txt'), join(dir, 'notes.mdx'));
    const { pages, ignored } = await scanContentFolder(dir);
    expect(pages).toEqual(['index.md', 'setup.md']);
    expect(ignored).toEqual([
      { path: 'config.md', reason: expect.stringMatching(/^not indexed: a link to \.env, which is no \.md or \.mdx file/) },
      { path: 'notes.mdx', reason: expect.stringMatching(/^not indexed: a link to notes\.txt/) },
    ]);
  });

  it('names a link named like a page that leads to no file (missing target, loop, folder), and why, rather than skip it silently', async () => {
    const dir = folder(['index.md']);
    const outside = folder(['guide/a.md']);
    symlinkSync(join(outside, 'not-checked-out.md'), join(dir, 'setup.md'));
    symlinkSync('loop.md', join(dir, 'loop.md'));
    symlinkSync(join(outside, 'guide'), join(dir, 'guide.md'), 'dir');
    const { pages, ignored } = await scanContentFolder(dir);
    expect(pages).toEqual(['index.md']);
    expect(ignored).toEqual([
      { path: 'guide.md', reason: `not indexed: a link to ${join(outside, 'guide')}, which is a folder (links to folders are not followed); fix or remove the link` },
      { path: 'loop.md', reason: 'not indexed: a link to loop.md, which leads back to itself (a loop of links); fix or remove the link' },
      { path: 'setup.md', reason: `not indexed: a link to ${join(outside, 'not-checked-out.md')}, which does not exist; fix or remove the link` },
    ]);
  });
});

describe('listContentFiles: drafts', () => {
  const page = (frontmatter: string) => `${frontmatter}\n# Page\n\nText.\n`;
  const drafts = {
    'yaml.md': page('---\ntitle: A\ndraft: true\n---'),
    'toml.md': page('+++\ntitle = "A"\ndraft = true\n+++'),
    'jekyll.md': page('---\npublished: false\n---'),
    'string.mdx': page('---\ndraft: "True"\n---'),
    'crlf.md': page('---\r\ndraft: true\r\n---\r'),
  };
  const pages = {
    'not-draft.md': page('---\ndraft: false\n---'),
    'published.md': page('---\npublished: true\n---'),
    'in-text.md': '# Page\n\ndraft: true\n',
    'after-text.md': 'Intro.\n\n---\ndraft: true\n---\n',
    'nested.md': page('---\nmeta:\n  draft: true\n---'),
    'invalid.md': page('---\ndraft: true\ntitle: [unclosed\n---'),
    'unclosed.md': '---\ndraft: true\n# Page\n',
  };

  function write(files: Record<string, string>): string {
    const dir = tempDir('docent-drafts-');
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  }

  it('leaves out pages whose frontmatter says draft: true or published: false (YAML or TOML), and only those', async () => {
    const dir = write({ ...drafts, ...pages });
    expect(await listContentFiles(dir)).toEqual(Object.keys(pages).sort());
  });

  it('names each draft and why it is not indexed, apart from the files that are not pages by mistake', async () => {
    const dir = write({ 'a.md': page('---\ndraft: true\n---'), 'b.md': '# B\n', 'C.MD': '# C\n' });
    expect(await scanContentFolder(dir)).toEqual({
      pages: ['b.md'],
      ignored: [{ path: 'C.MD', reason: 'not indexed: page files must end in lower-case .md or .mdx (rename it to C.md)' }],
      notPages: [
        {
          path: 'a.md',
          reason: 'not indexed: a draft (`draft: true` or `published: false` in its frontmatter); the docs site does not build it either',
        },
      ],
      unreadable: [],
      failed: [],
    });
  });

  it('lists drafts as pages with { drafts: true } (the docs site\'s dev server)', async () => {
    const dir = write({ ...drafts, ...pages });
    expect(await listContentFiles(dir, { drafts: true })).toEqual([...Object.keys(drafts), ...Object.keys(pages)].sort());
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
      notPages: [],
      unreadable: [],
      failed: [],
    });
  });

  it("leaves out a README beside its folder's index page (the index is the folder's page, as on MkDocs), and a book's SUMMARY.md", async () => {
    const dir = folder(['README.md', 'SUMMARY.md', 'guide/README.md', 'guide/index.md', 'hugo/_index.md', 'hugo/readme.md', 'book/README.md', 'book/SUMMARY.md']);
    expect(await scanContentFolder(dir)).toEqual({
      pages: ['README.md', 'book/README.md', 'book/SUMMARY.md', 'guide/index.md', 'hugo/_index.md'],
      ignored: [
        { path: 'guide/README.md', reason: "not indexed: guide/index.md is this folder's page (a README is the folder's page only where there is no index page)" },
        { path: 'hugo/readme.md', reason: "not indexed: hugo/_index.md is this folder's page (a README is the folder's page only where there is no index page)" },
      ],
      notPages: [{ path: 'SUMMARY.md', reason: 'not indexed: SUMMARY.md is the table of contents of a GitBook or mdBook book, not a page' }],
      unreadable: [],
      failed: [],
    });
  });

  it('leaves out the files pages include with VitePress @include lines (parts, shown in those pages), not code imports or includes in code', async () => {
    const dir = folder(['guide/page.md', 'guide/parts/basics.md', 'shared/faq.md', 'shared/nested.md', 'code.md', 'shown.md', 'self.md']);
    writeFileSync(join(dir, 'guide/page.md'), '# Page\n\n<!--@include: ./parts/basics.md{3,}-->\n<!-- @include: @shared/faq.md#q -->\n<<< @/code.md\n```md\n<!--@include: ../shown.md-->\n```\n');
    writeFileSync(join(dir, 'shared/faq.md'), '# FAQ\n\n<!--@include: ./nested.md-->\n');
    writeFileSync(join(dir, 'self.md'), '# Self\n\n<!--@include: ./self.md-->\n');
    writeFileSync(join(dir, 'draft.md'), '---\ndraft: true\n---\n<!--@include: ./code.md-->\n'); // a draft's include makes no part
    expect(await scanContentFolder(dir)).toEqual({
      pages: ['code.md', 'guide/page.md', 'self.md', 'shown.md'],
      ignored: [],
      notPages: [
        { path: 'draft.md', reason: expect.stringContaining('not indexed: a draft') },
        { path: 'guide/parts/basics.md', reason: 'not indexed as a page: a part that guide/page.md includes (<!--@include: …-->), indexed there; the docs site does not build it either' },
        { path: 'shared/faq.md', reason: 'not indexed as a page: a part that guide/page.md includes (<!--@include: …-->), indexed there; the docs site does not build it either' },
        { path: 'shared/nested.md', reason: 'not indexed as a page: a part that shared/faq.md includes (<!--@include: …-->), indexed there; the docs site does not build it either' },
      ],
      unreadable: [],
      failed: [],
    });
  });

  it('does not name files skipped on purpose (hidden, partials and drafts, node_modules) nor folders', async () => {
    const dir = folder(['page.md', '_Partial.MD', '.Hidden.MD', '_drafts/Draft.MD', 'node_modules/pkg/README.MD', 'Folder.MD/page.md']);
    expect(await scanContentFolder(dir)).toEqual({ pages: ['Folder.MD/page.md', 'page.md'], ignored: [], notPages: [], unreadable: [], failed: [] });
  });
});
