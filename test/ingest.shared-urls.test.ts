/**
 * `sharedUrlWarnings()`: pages whose files give them one URL (`guide.md` and `guide/index.md`) are
 * each warned about, naming the others and the page the docs site serves there, which is the one
 * links to that URL open (`sharedUrls()`). The sync test checks that ingest reports them on every run.
 */
import { describe, expect, it } from 'vitest';
import { pageLinkUrl, sharedUrls } from '../ingest/page-links';
import { sharedUrlWarnings } from '../ingest/shared-urls';
import { documentUrl } from '../ingest/urls';

describe('sharedUrls', () => {
  it('groups the pages at one URL with the page links to it open: the .md file, then the .mdx one, then the folder page', () => {
    const pages = new Set(['guide/index.md', 'guide.mdx', 'a.mdx', 'a.md', 'b/_index.md', 'b/index.md', 'index.mdx', 'index.md', 'alone.md', 'guide/alone.md']);
    expect(sharedUrls(pages)).toEqual([
      { path: '', pages: ['index.md', 'index.mdx'], served: 'index.md' },
      { path: 'a', pages: ['a.md', 'a.mdx'], served: 'a.md' },
      { path: 'b', pages: ['b/_index.md', 'b/index.md'], served: 'b/_index.md' },
      { path: 'guide', pages: ['guide.mdx', 'guide/index.md'], served: 'guide.mdx' },
    ]);
    // What links do: every link to one of them opens the URL, where the served page is.
    for (const { pages: sharing, served } of sharedUrls(pages)) {
      for (const page of sharing) expect(pageLinkUrl(`/${page}`, 'alone.md', pages)).toBe(documentUrl(served));
      expect(pageLinkUrl(`/${served.replace(/(^|\/)(_?index)?\.mdx?$/, '')}`, 'alone.md', pages)).toBe(documentUrl(served));
    }
  });

  it('finds pages that share a URL once their Fumadocs folder groups are left out, the one outside groups served, else the first', () => {
    const pages = new Set(['(a)/setup.md', '(b)/setup.md', 'guide.md', '(x)/guide.md', '(x)/index.mdx', 'index.md', '(x)/alone.md']);
    expect(sharedUrls(pages)).toEqual([
      { path: '', pages: ['(x)/index.mdx', 'index.md'], served: 'index.md' },
      { path: 'guide', pages: ['(x)/guide.md', 'guide.md'], served: 'guide.md' },
      { path: 'setup', pages: ['(a)/setup.md', '(b)/setup.md'], served: '(a)/setup.md' },
    ]);
    // Links to the URL, and to each file, open the page served there.
    for (const { pages: sharing, served } of sharedUrls(pages)) {
      for (const page of sharing) expect(pageLinkUrl(`/${page}`, '(x)/alone.md', pages)).toBe(documentUrl(served));
    }
    expect(pageLinkUrl('/setup', '(x)/alone.md', pages)).toBe('/setup/');
  });

  it('finds a page named in decomposed Unicode (as on macOS) and one in composed form at one URL', () => {
    expect(sharedUrls(new Set(['re\u0301sume\u0301.md', 'résumé/index.md']))).toEqual([{ path: 'résumé', pages: ['re\u0301sume\u0301.md', 'résumé/index.md'], served: 're\u0301sume\u0301.md' }]);
  });
});

describe('sharedUrlWarnings', () => {
  it('warns on each page at the URL, naming the others and the page the docs site serves there', () => {
    expect(sharedUrlWarnings(new Set(['hono/index.md', 'hono.md', 'notes.md']), '/docs/')).toEqual([
      {
        path: 'hono.md',
        line: null,
        message: 'has the same URL as hono/index.md (/docs/hono/): the docs site serves this page there, so links to the other page and its citations open this page. Rename one of them.',
      },
      {
        path: 'hono/index.md',
        line: null,
        message: 'has the same URL as hono.md (/docs/hono/): the docs site serves hono.md there, never this page, so links to this page and its citations open hono.md. Rename one of them.',
      },
    ]);
  });

  it('names every other page when three share the URL', () => {
    const warnings = sharedUrlWarnings(new Set(['a/index.mdx', 'a.mdx', 'a.md']));
    expect(warnings.map((w) => [w.path, w.message])).toEqual([
      ['a.md', 'has the same URL as a.mdx and a/index.mdx (/a/): the docs site serves this page there, so links to the others and their citations open this page. Rename one of them.'],
      ['a.mdx', 'has the same URL as a.md and a/index.mdx (/a/): the docs site serves a.md there, never this page, so links to this page and its citations open a.md. Rename one of them.'],
      ['a/index.mdx', 'has the same URL as a.md and a.mdx (/a/): the docs site serves a.md there, never this page, so links to this page and its citations open a.md. Rename one of them.'],
    ]);
  });

  it('says nothing of pages with a URL each, or whose URLs differ only in case', () => {
    expect(sharedUrlWarnings(new Set(['a.md', 'a/b.md', 'Setup.md', 'setup.md', 'index.md', 'guide/README.md']))).toEqual([]);
  });
});
