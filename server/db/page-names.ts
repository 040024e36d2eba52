/**
 * What a page file's name says, shared by ingest (which page is a folder's page, `ingest/folder-page.ts`)
 * and retrieval (which page is the site's home page, `server/retrieval/home-pages.ts`).
 *
 * A folder's page is the one a docs site serves at the folder's own URL: `index.md(x)` in most
 * generators, `_index.md(x)` in Hugo, `README.md(x)` in MkDocs, Docusaurus, GitBook and docsify.
 */

/** File names without their extension that name their folder's page (`index`, `_index`, `README`). */
export const FOLDER_PAGE_STEM = /^(_?index|readme)$/i;

/**
 * The same as a Postgres regular expression (`~*`) on a document's path relative to its content
 * folder: a folder page with the `.md`/`.mdx` extension ingest reads.
 */
export const FOLDER_PAGE_PATH_PATTERN = '(^|/)(_?index|readme)\\.mdx?$';
