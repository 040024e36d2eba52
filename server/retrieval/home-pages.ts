/**
 * The site's home page: the page a reader lands on first, whose opening says what the docs are
 * about ("Poetry is a tool for dependency management…"). "What is Poetry?" asks for it, and no
 * ranking signal finds it: the product's name is in nearly every section, many of which open
 * with it ("Poetry is developed with…"), and its title is often just "Introduction".
 *
 * The home page of a source is the page whose frontmatter `slug` is `/` (Docusaurus serves it at
 * the site's root), else its shallowest folder page (`index.md`, `_index.md` or `README.md` at
 * the root of its content folder, else in the first level of folders, …).
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/open';
import { homePageCandidateCondition } from '../db/schema';

/** Most home pages considered (a content folder without a root page has one per top folder). */
export const MAX_HOME_PAGES = 5;

export interface HomePageLeadOptions {
  /** Columns of the lead chunk `c` to select besides its id. Default: none. */
  columns?: SQL;
  /** SQL condition on `documents` (e.g. source filters). Default: none. */
  filter?: SQL;
}

/**
 * The first chunk of each source's home page (of the shallowest ones when a source has several
 * at the same depth, {@link MAX_HOME_PAGES} at most).
 */
export async function homePageLeads<Row extends { id: string }>(db: Database, options: HomePageLeadOptions = {}): Promise<Row[]> {
  const columns = options.columns ? sql`, ${options.columns}` : sql``;
  const filter = options.filter ? sql`and ${options.filter}` : sql``;
  return queryRows<Row>(
    db,
    sql`select c.id ${columns}
        from (select documents.id, documents.path,
                     rank() over (partition by documents.source
                                  order by case when documents.frontmatter->>'slug' = '/' then -1
                                                else length(documents.path) - length(replace(documents.path, '/', '')) end) as depth_rank
              from documents
              where ${homePageCandidateCondition} ${filter}) home
        cross join lateral (select * from chunks where chunks.document_id = home.id order by chunks.ordinal limit 1) c
        where home.depth_rank = 1
        order by home.path
        limit ${MAX_HOME_PAGES}`,
  );
}
