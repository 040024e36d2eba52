/**
 * A folder's page: the page a docs site serves at the folder's own URL (`guide/index.md` →
 * `/guide/`). Site generators name it differently, and Docent reads all of their names:
 * - `index.md(x)`, most of them;
 * - `_index.md(x)`, Hugo's section page;
 * - `README.md(x)`, in any case (MkDocs, Docusaurus, GitBook and docsify: the file GitHub shows
 *   for the folder). A README is the folder's page only when the folder has no index page; MkDocs
 *   then leaves the README out of the site, and so does Docent (`scan.ts`).
 *
 * Paths are relative to the content folder, with `/` separators.
 */
import { FOLDER_PAGE_STEM } from '../server/db/page-names';

/** Whether a file name without its extension names its folder's page (`index`, `_index`, `README`). */
export function isFolderPageName(stem: string): boolean {
  return FOLDER_PAGE_STEM.test(stem);
}

/**
 * Whether a folder name is a Fumadocs folder group, `(name)`: it groups its pages in the sidebar
 * but is no part of their URL (`(guides)/setup.mdx` is served at `/setup/`: `urls.ts`).
 */
export const isFolderGroupName = (segment: string): boolean => /^\(.+\)$/.test(segment);

/**
 * The path without its Fumadocs folder groups ({@link isFolderGroupName}), as Fumadocs makes URLs:
 * `(guides)/setup.mdx` → `setup.mdx`, `api/(methods)/get.mdx` → `api/get.mdx`,
 * `(guides)/index.mdx` → `index.mdx`. Only folders are groups: the file's own name is kept.
 */
export function withoutFolderGroups(path: string): string {
  if (!path.includes('(')) return path;
  const segments = path.split('/');
  const name = segments.pop()!;
  return [...segments.filter((segment) => !isFolderGroupName(segment)), name].join('/');
}

/** Whether a file name without its extension is a README (`README`, `readme`). */
export function isReadmeName(stem: string): boolean {
  return /^readme$/i.test(stem);
}

/** The file's name without its folders and its `.md`/`.mdx` extension (`guide/README.md` → `README`). */
export function pageStem(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1).replace(/\.mdx?$/i, '');
}

/** The folder whose page `path` is (`guide/README.md` → `guide`, `index.md` → `''`), or `undefined` for other pages. */
export function folderOfPage(path: string): string | undefined {
  if (!isFolderPageName(pageStem(path))) return undefined;
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/**
 * The READMEs among `pages` that are not their folder's page, because the folder has an index
 * page (`guide/README.md` beside `guide/index.md`), each with that index page.
 */
export function readmesBesideIndexes(pages: readonly string[]): Map<string, string> {
  const byFolder = folderPages(new Set(pages));
  const out = new Map<string, string>();
  for (const page of pages) {
    const folder = folderOfPage(page);
    const folderPage = folder === undefined ? undefined : byFolder.get(folder);
    if (folderPage !== undefined && isReadmeName(pageStem(page)) && !isReadmeName(pageStem(folderPage))) out.set(page, folderPage);
  }
  return out;
}

/**
 * The folder pages among `pages`, by folder (`''` for the root). Where a folder has several, an
 * index page before a README, then the first in path order (`index.md` before `index.mdx`).
 * Cached per set.
 */
export function folderPages(pages: ReadonlySet<string>): ReadonlyMap<string, string> {
  let map = cache.get(pages);
  if (!map) {
    map = new Map();
    const readmesLast = [...pages].sort((a, b) => Number(isReadmeName(pageStem(a))) - Number(isReadmeName(pageStem(b))) || (a < b ? -1 : a > b ? 1 : 0));
    for (const page of readmesLast) {
      const folder = folderOfPage(page);
      if (folder !== undefined && !map.has(folder)) map.set(folder, page);
    }
    cache.set(pages, map);
  }
  return map;
}
const cache = new WeakMap<ReadonlySet<string>, Map<string, string>>();
