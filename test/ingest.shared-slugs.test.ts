/**
 * `sharedSlugWarnings()`: pages that claim one URL, a frontmatter `slug:` (or `id:`) being one of
 * the claims, are each warned about, naming the others and the page links to that URL open. The
 * sync test checks that ingest reports them on every run.
 */
import { describe, expect, it } from 'vitest';
import { docusaurusPaths, pageLinkUrl } from '../ingest/page-links';
import { sharedSlugWarnings } from '../ingest/shared-slugs';

const warningsOf = (sources: [string, string][], baseUrl?: string) => sharedSlugWarnings(sources, new Set(sources.map(([page]) => page)), baseUrl);

describe('sharedSlugWarnings', () => {
  it('warns on a page whose slug is the URL another page has by its file, and on that page, naming each other and the page links open', () => {
    const sources: [string, string][] = [
      ['install.md', '# Install\n\nRun it.\n'],
      ['guide/setup.md', '---\ntitle: Setup\nslug: /install\n---\n# Setup\n'],
    ];
    expect(warningsOf(sources)).toEqual([
      {
        path: 'guide/setup.md',
        line: 3,
        message:
          "claims the URL /install/ (slug: /install), as install.md (its file's path) does: links to /install/ open install.md, never this page. " +
          'Give each page its own URL: change a slug, or rename a file.',
      },
      {
        path: 'install.md',
        line: null,
        message:
          "claims the URL /install/ (its file's path), as guide/setup.md (slug: /install) does: links to /install/ open this page, never guide/setup.md. " +
          'Give each page its own URL: change a slug, or rename a file.',
      },
    ]);
    // What the warnings say is what links do.
    const pages = new Set(sources.map(([page]) => page));
    expect(pageLinkUrl('/install', 'guide/setup.md', pages, { slugs: docusaurusPaths(sources) })).toBe('/install/');
  });

  it('warns on two pages with the same slug: links to it open neither', () => {
    const warnings = warningsOf([
      ['a.md', '---\nslug: /same\n---\n# A\n'],
      ['b.mdx', "+++\ntitle = 'B'\nslug = '/same'\n+++\n# B\n"],
      ['c.md', '---\nslug: /other\n---\n# C\n'],
    ]);
    expect(warnings).toEqual([
      { path: 'a.md', line: 2, message: expect.stringMatching(/^claims the URL \/same\/ \(slug: \/same\), as b\.mdx \(slug: \/same\) does: links to \/same\/ open neither page \(they are left as written/) },
      { path: 'b.mdx', line: 3, message: expect.stringMatching(/^claims the URL \/same\/ \(slug: \/same\), as a\.md \(slug: \/same\) does: links to \/same\/ open neither page/) },
    ]);
  });

  it('names every other page when more than two claim the URL, relative slugs and ids included, under the base URL', () => {
    const warnings = warningsOf(
      [
        ['guides/intro.md', '# Intro\n'],
        ['guides/welcome.md', '---\nslug: intro\n---\n# Welcome\n'],
        ['guides/start.md', '---\nid: intro\n---\n# Start\n'],
      ],
      '/docs/',
    );
    expect(warnings.map((w) => [w.path, w.line])).toEqual([
      ['guides/intro.md', null],
      ['guides/start.md', 2],
      ['guides/welcome.md', 2],
    ]);
    expect(warnings[0]!.message).toMatch(
      /^claims the URL \/docs\/guides\/intro\/ \(its file's path\), as guides\/welcome\.md \(slug: intro\) and guides\/start\.md \(id: intro\) do: links to \/docs\/guides\/intro\/ open this page, never guides\/welcome\.md and guides\/start\.md\./,
    );
    expect(warnings[1]!.message).toMatch(/ open guides\/intro\.md, never this page\./);
  });

  it('warns on a page with slug: / beside the home page (index.md), saying which one is the home page', () => {
    expect(warningsOf([['index.md', '# Home\n'], ['intro.md', '---\nslug: /\n---\n# Intro\n']], '/docs/')).toEqual([
      {
        path: 'index.md',
        line: null,
        message:
          "claims the URL /docs/ (its file's path), as intro.md (slug: /) does: links to /docs/ open this page, never intro.md; " +
          'this page is the home page (the docs site serves it at /docs/, and answers to "What is …?" start from it). Give each page its own URL: change a slug, or rename a file.',
      },
      {
        path: 'intro.md',
        line: 2,
        message:
          "claims the URL /docs/ (slug: /), as index.md (its file's path) does: links to /docs/ open index.md, never this page; " +
          'index.md is the home page (the docs site serves it at /docs/, and answers to "What is …?" start from it). Give each page its own URL: change a slug, or rename a file.',
      },
    ]);
    // Without a root page the slug page is at /, and nothing is said.
    expect(warningsOf([['intro.md', '---\nslug: /\n---\n# Intro\n'], ['guides/index.md', '# Guides\n']])).toEqual([]);
  });

  it('warns on a slug naming the URL a numbered page has without its numbers (Docusaurus), which the slug wins', () => {
    const sources: [string, string][] = [
      ['03-core/05-text.mdx', '# Generating text\n'],
      ['text.md', '---\nslug: /core/text\n---\n# Text\n'],
    ];
    expect(warningsOf(sources)).toEqual([
      { path: '03-core/05-text.mdx', line: null, message: expect.stringMatching(/^claims the URL \/core\/text\/ \(its file's path\), as text\.md \(slug: \/core\/text\) does: links to \/core\/text\/ open text\.md, never this page\./) },
      { path: 'text.md', line: 2, message: expect.stringMatching(/ open this page, never 03-core\/05-text\.mdx\./) },
    ]);
    expect(pageLinkUrl('/core/text', 'text.md', new Set(sources.map(([p]) => p)), { slugs: docusaurusPaths(sources) })).toBe('/text/');
  });

  it("says nothing of a slug or id that is the page's own URL, of one URL each, or of pages without them", () => {
    expect(
      warningsOf([
        ['intro.md', '---\nid: intro\n---\n# Intro\n'],
        ['guides/setup.md', '---\nslug: /guides/setup\n---\n# Setup\n'],
        ['home.md', '---\nslug: /\n---\n# Home\n'],
        ['sidebar.md', '---\nslug: /sidebar/items\n---\n# Items\n'],
        ['plain.md', '# Plain\n\n```yaml\nslug: /intro\n```\n'],
      ]),
    ).toEqual([]);
  });
});
