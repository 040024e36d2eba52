/**
 * Pages whose files give them one URL (`guide.md` and `guide/index.md`): the docs site serves the
 * one links to that URL open, as ingest's warning says (`sharedUrls()` of `ingest/page-links.ts`),
 * leaves the other out of the site and its sidebar, and says so. One site build.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedUrls } from '../ingest/page-links';
import { runSiteBuild } from '../site/build';
import { siteBuildRoot } from './helpers/site-build-root';

describe('a site build with two files at one URL', () => {
  const root = siteBuildRoot('docent-site-shared-urls-');

  it('serves the page links to that URL open, leaves the other out of the site and its sidebar, and names both', async () => {
    const content = join(root, 'docs');
    // The folder page and the .mdx file are written first and are longer: Astro's order of loading
    // put either one last, and the last one was built.
    const pages: [string, string][] = [
      ['guide/index.md', `# Guide folder page\n\n${'Folder text. '.repeat(2000)}\n`],
      ['notes.mdx', `# Notes in MDX\n\n${'MDX text. '.repeat(2000)}\n`],
      ['index.md', '# Home\n\nWelcome.\n'],
      ['guide.md', '# Guide file\n\nFile text.\n'],
      ['notes.md', '# Notes in markdown\n\nText.\n'],
    ];
    for (const [path, data] of pages) {
      mkdirSync(join(content, path, '..'), { recursive: true });
      writeFileSync(join(content, path), data);
    }
    expect(sharedUrls(new Set(pages.map(([path]) => path))).map((s) => s.served)).toEqual(['guide.md', 'notes.md']);
    const warnings: string[] = [];
    const out = join(root, 'out');
    expect(await runSiteBuild({ contentDir: content, outDir: out, cacheDir: join(root, 'cache'), log: () => {}, warn: (l) => warnings.push(l) })).toBe('built');
    const guide = readFileSync(join(out, 'guide/index.html'), 'utf8');
    expect(guide).toContain('Guide file');
    expect(guide).not.toContain('Folder text.');
    const notes = readFileSync(join(out, 'notes/index.html'), 'utf8');
    expect(notes).toContain('Notes in markdown');
    expect(notes).not.toContain('MDX text.');
    // The sidebar lists each URL once, under the served page's title.
    const home = readFileSync(join(out, 'index.html'), 'utf8');
    expect(home).not.toContain('Guide folder page');
    expect(home).not.toContain('Notes in MDX');
    expect(warnings.filter((l) => l.includes('same URL'))).toEqual([
      '[docent] guide/index.md: not built: guide.md has the same URL (/guide/), and the site shows it there. Rename one of them.',
      '[docent] notes.mdx: not built: notes.md has the same URL (/notes/), and the site shows it there. Rename one of them.',
    ]);
  }, 600_000);
});
