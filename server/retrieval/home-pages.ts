/**
 * The site's home page: the page a reader lands on first, whose opening says what the docs are
 * about ("Poetry is a tool for dependency management…"). "What is Poetry?" asks for it, and no
 * ranking signal finds it: the product's name is in nearly every section, many of which open
 * with it ("Poetry is developed with…"), and its title is often just "Introduction".
 *
 * The home page of a source is the page at the docs' root URL, as links to `/` and the docs site
 * find it (`pageAtPath('')` of `ingest/page-links.ts`): the folder page at the root of its content
 * folder (`index.md`, `_index.md` or `README.md`; also in a Fumadocs folder group, `(guides)/index.mdx`,
 * which is served there), else a page whose frontmatter `slug` is `/` (how a Docusaurus doc becomes
 * the site's root), else its shallowest folder pages (in the first level of folders, …; folder
 * groups are no level). Ingest warns when a `slug: /` page stands beside a root folder page. Of two
 * folder pages of one folder (`index.md` and `index.mdx` at the root), only the one the site
 * serves there counts.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/open';
import { FOLDER_PAGE_PATH_PATTERN } from '../db/page-names';
import { homePageCandidateCondition } from '../db/schema';

/**
 * SQL: a document's path without its Fumadocs folder groups (`docs/(guides)/index.mdx` →
 * `docs/index.mdx`), whose folders are those of its URL (`withoutFolderGroups()` of `ingest/folder-page.ts`).
 */
const URL_FOLDERS_PATH = `regexp_replace("path", '(^|/)(\\([^/]+\\)/)+', '\\1', 'g')`;

/**
 * SQL: how far a home page candidate is from the docs' root: a folder page at the root 0, a page
 * whose `slug` is `/` 0.5 (after the root's own page, which links to `/` open, before the pages of
 * folders), another folder page the number of folders above it. Folder groups do not count.
 */
const homePageDepth = sql.raw(
  `case when ${URL_FOLDERS_PATH} !~ '/' and "path" ~* '${FOLDER_PAGE_PATH_PATTERN}' then 0 when "frontmatter"->>'slug' = '/' then 0.5 ` +
    `else length(${URL_FOLDERS_PATH}) - length(replace(${URL_FOLDERS_PATH}, '/', '')) end`,
);

/**
 * SQL: 1 for the folder page the docs site serves at its folder's URL, as links to the folder open
 * it (`pageAtPath()` of `ingest/page-links.ts`): where a folder's URL has two (`index.md` and
 * `index.mdx`, `_index.md` and `index.md`, `index.md` and `(guides)/index.md`), one outside folder
 * groups first, then an index page before a README, then the first in path order (byte order, as
 * JavaScript compares the names); a page that is no folder page is 1 too. So retrieval's home page
 * is the page at `/`, not both. (A README beside an index page is not indexed.)
 */
const servedRank = sql.raw(
  `row_number() over (partition by "source", case when "path" ~* '${FOLDER_PAGE_PATH_PATTERN}' then regexp_replace(${URL_FOLDERS_PATH}, '/?[^/]*$', '') || '/' else "path" end ` +
    `order by (${URL_FOLDERS_PATH} <> "path"), ("path" ~* '(^|/)readme\\.mdx?$'), "path" collate "C")`,
);

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
                                  order by ${homePageDepth}) as depth_rank
              from documents
              join (select id, ${servedRank} as served_rank from documents where ${homePageCandidateCondition}) served
                on served.id = documents.id and served.served_rank = 1
              where ${homePageCandidateCondition} ${filter}) home
        cross join lateral (select * from chunks where chunks.document_id = home.id order by chunks.ordinal limit 1) c
        where home.depth_rank = 1
        order by home.path
        limit ${MAX_HOME_PAGES}`,
  );
}
