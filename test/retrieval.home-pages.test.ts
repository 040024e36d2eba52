import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { docusaurusPaths, pageAtPath } from '../ingest/page-links';
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
