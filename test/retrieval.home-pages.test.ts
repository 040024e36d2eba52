import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { docusaurusPaths, pageAtPath, sharedUrls } from '../ingest/page-links';
import { queryRows } from '../server/db/open';
import { homePageLeads, MAX_HOME_PAGES } from '../server/retrieval/home-pages';
import { matchesSources } from '../server/retrieval/source-filter';
import { createTestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';
import { seedDocuments } from './helpers/seed';

const embedder = createHashingEmbedder();
const page = (path: string, source = 'docs') => ({ source, path, title: path, sections: [{ text: `Lead of ${path}.` }, { heading: 'More', text: `More of ${path}.` }] });

describe('homePageLeads()', () => {
  it('gives the first chunk of each source\'s shallowest folder page (index, _index or README)', async () => {
    const database = await createTestDatabase('pglite');
    try {
      await seedDocuments(database.db, embedder, [
        page('index.md'),
        page('guides/index.md'),
        page('about.md'),
        page('docs/_index.md', 'hugo'),
        page('docs/deep/index.md', 'hugo'),
        page('SOURCE.md', 'hugo'),
        page('book/README.md', 'gitbook'),
        page('book/chapter-1.md', 'gitbook'),
      ]);
      const leads = await homePageLeads<{ id: string; text: string }>(database.db, { columns: sql`c.text` });
      expect(leads.map((l) => l.text).sort()).toEqual(['Lead of book/README.md.', 'Lead of docs/_index.md.', 'Lead of index.md.']);
      const ids = await queryRows<{ id: string }>(database.db, sql`select id from chunks where ordinal = 0 and text = 'Lead of index.md.'`);
      expect(leads.map((l) => l.id)).toContain(ids[0]!.id);
    } finally {
      await database.close();
    }
  });

  it('takes the page links to "/" open: the root folder page, else the one whose frontmatter slug is "/" (a Docusaurus docs home), before the pages of folders', async () => {
    const database = await createTestDatabase('pglite');
    try {
      const sources = {
        // No root folder page: the slug page is at the root, before the folder pages.
        docusaurus: [
          { ...page('docs/intro.md', 'docusaurus'), frontmatter: { slug: '/' } },
          page('index/index.md', 'docusaurus'),
          page('docs/guides/index.md', 'docusaurus'),
          { ...page('docs/other.md', 'docusaurus'), frontmatter: { slug: '/other' } },
        ],
        // A root folder page beside it: links to / open that one, and the docs site serves it there.
        both: [{ ...page('intro.md', 'both'), frontmatter: { slug: '/' } }, page('index.md', 'both'), page('guides/index.md', 'both')],
        readme: [{ ...page('docs/intro.md', 'readme'), frontmatter: { slug: '/' } }, page('README.md', 'readme')],
      };
      await seedDocuments(database.db, embedder, Object.values(sources).flat());
      const leads = await homePageLeads<{ id: string; text: string }>(database.db, { columns: sql`c.text` });
      expect(leads.map((l) => l.text)).toEqual(['Lead of README.md.', 'Lead of docs/intro.md.', 'Lead of index.md.']);
      // The page links to the docs' root open, by ingest's rule.
      for (const [source, pages] of Object.entries(sources)) {
        const texts = pages.map((p) => [p.path, 'frontmatter' in p ? `---\nslug: ${p.frontmatter.slug}\n---\n` : ''] as [string, string]);
        const home = pageAtPath('', new Set(pages.map((p) => p.path)), docusaurusPaths(texts));
        const lead = await homePageLeads<{ id: string; text: string }>(database.db, { columns: sql`c.text`, filter: sql`documents.source = ${source}` });
        expect(lead.map((l) => l.text)).toEqual([`Lead of ${home}.`]);
      }
    } finally {
      await database.close();
    }
  });

  it('takes, of two folder pages of one folder (index.md and index.mdx at the root), only the one the docs site serves at its URL, as links to it open', async () => {
    const database = await createTestDatabase('pglite');
    try {
      const sources: Record<string, string[]> = {
        mdx: ['index.mdx', 'index.md', 'guide.md'],
        hugo: ['index.md', '_index.md'],
        readmes: ['readme.md', 'README.md', 'guides/index.md'],
        both: ['README.mdx', 'index.mdx'],
        folders: ['a/index.mdx', 'a/index.md', 'b/_index.md', 'b/index.md'],
      };
      await seedDocuments(database.db, embedder, Object.entries(sources).flatMap(([source, paths]) => paths.map((path) => page(path, source))));
      const expected: Record<string, string[]> = { mdx: ['index.md'], hugo: ['_index.md'], readmes: ['README.md'], both: ['index.mdx'], folders: ['a/index.md', 'b/_index.md'] };
      for (const [source, paths] of Object.entries(sources)) {
        const leads = await homePageLeads<{ id: string; text: string }>(database.db, { columns: sql`c.text`, filter: sql`documents.source = ${source}` });
        expect(leads.map((l) => l.text), source).toEqual(expected[source]!.map((path) => `Lead of ${path}.`));
        // The page links to "/" (or to each folder) open, and the one the docs site serves there (`sharedUrls`).
        const pages = new Set(paths);
        const served = sharedUrls(pages);
        for (const path of expected[source]!) {
          const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
          expect(pageAtPath(folder, pages), source).toBe(path);
          expect(served.find((s) => s.path === folder)?.served, source).toBe(path);
        }
      }
    } finally {
      await database.close();
    }
  });

  it('reads Fumadocs folder groups as Fumadocs serves them: (guides)/index.mdx is the page at "/", and a group is no folder level', async () => {
    const database = await createTestDatabase('pglite');
    try {
      const sources: Record<string, string[]> = {
        // The group's folder page is served at "/": it is the home page, not one of two at depth 1.
        grouped: ['(guides)/index.mdx', '(guides)/setup.mdx', 'api/index.md'],
        // Beside the root's own page, that one is served at "/" (the group's sorts first in path order).
        beside: ['(guides)/index.md', 'index.md', 'api/index.md'],
        nested: ['docs/(a)/(b)/index.md', 'docs/other/index.md', 'docs/(a)/x/index.md'],
      };
      await seedDocuments(database.db, embedder, Object.entries(sources).flatMap(([source, paths]) => paths.map((path) => page(path, source))));
      const expected: Record<string, string> = { grouped: '(guides)/index.mdx', beside: 'index.md', nested: 'docs/(a)/(b)/index.md' };
      for (const [source, paths] of Object.entries(sources)) {
        const leads = await homePageLeads<{ id: string; text: string }>(database.db, { columns: sql`c.text`, filter: sql`documents.source = ${source}` });
        expect(leads.map((l) => l.text), source).toEqual([`Lead of ${expected[source]}.`]);
        // The page links to its URL open (`/`, `/docs/`), and the one the docs site serves there.
        const url = source === 'nested' ? 'docs' : '';
        expect(pageAtPath(url, new Set(paths)), source).toBe(expected[source]);
      }
    } finally {
      await database.close();
    }
  });

  it('takes every folder page at the shallowest depth when there is no root page, at most MAX_HOME_PAGES; honours a filter', async () => {
    const database = await createTestDatabase('pglite');
    try {
      const folders = Array.from({ length: MAX_HOME_PAGES + 2 }, (_, i) => page(`0${i}-part/index.mdx`));
      await seedDocuments(database.db, embedder, [...folders, page('00-part/sub/index.mdx'), page('01-part/other.md')]);
      const leads = await homePageLeads<{ id: string; text: string }>(database.db, { columns: sql`c.text` });
      expect(leads.map((l) => l.text)).toEqual(folders.slice(0, MAX_HOME_PAGES).map((f) => `Lead of ${f.path}.`));
      const filtered = await homePageLeads<{ id: string; text: string }>(database.db, { columns: sql`c.text`, filter: sql`not ${matchesSources(['00-part/', '01-part/'])}` });
      expect(filtered[0]!.text).toBe('Lead of 02-part/index.mdx.');
      expect(await homePageLeads(database.db, { filter: sql`false` })).toEqual([]);
    } finally {
      await database.close();
    }
  });
});
