import { folderOfPage, withoutFolderGroups } from './folder-page';

/**
 * The URL of a document on its docs site: `baseUrl` + the path without its extension, a
 * folder's page (`index`, Hugo's `_index`, a `README`: `folder-page.ts`) mapped to its folder, with
 * a trailing slash (`api/routing.md` → `/api/routing/`; `guide/index.mdx`, `guide/_index.md` and
 * `guide/README.md` → `/guide/`). Fumadocs folder groups are left out, as Fumadocs does
 * (`(guides)/setup.mdx` → `/setup/`, `(guides)/index.mdx` → `/`: `withoutFolderGroups()`).
 * The docs site serves `content/` at exactly these URLs.
 *
 * Letters are in Unicode's composed form (NFC), as Astro writes the page: a file named on macOS
 * has `é` as `e` + a combining accent (NFD), and that URL would lead nowhere. Each segment is
 * percent-encoded ({@link encodeUrlSegment}), parentheses too (`notes(draft.md` → `/notes%28draft/`).
 */
export function documentUrl(path: string, baseUrl = '/'): string {
  const page = urlPath(path);
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return page === '' ? base : `${base}${page.split('/').map(encodeUrlSegment).join('/')}/`;
}

/**
 * `encodeURIComponent()`, which also encodes `(` and `)`: a URL is put in markdown links
 * (citations, links in chunks, quoted passages), and one with an unbalanced parenthesis
 * (`[notes](/notes(draft/)`) is no link there, only text.
 */
export function encodeUrlSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[()]/g, (c) => (c === '(' ? '%28' : '%29'));
}

/**
 * The path of a page's URL below the docs' base, without slashes at the ends, as
 * {@link documentUrl} makes it and before encoding (`(guides)/setup.mdx` → `setup`,
 * `guide/index.md` → `guide`, `index.md` → `''`). Pages with one such path share one URL.
 */
export function urlPath(path: string): string {
  const normalised = withoutFolderGroups(path.replace(/\\/g, '/').normalize('NFC'));
  return folderOfPage(normalised) ?? normalised.replace(/\.mdx?$/i, '');
}
