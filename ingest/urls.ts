import { folderOfPage } from './folder-page';

/**
 * The URL of a document on its docs site: `baseUrl` + the path without its extension, a
 * folder's page (`index`, Hugo's `_index`, a `README`: `folder-page.ts`) mapped to its folder, with
 * a trailing slash (`api/routing.md` → `/api/routing/`; `guide/index.mdx`, `guide/_index.md` and
 * `guide/README.md` → `/guide/`). The docs site serves `content/` at exactly these URLs.
 *
 * Letters are in Unicode's composed form (NFC), as Astro writes the page: a file named on macOS
 * has `é` as `e` + a combining accent (NFD), and that URL would lead nowhere.
 */
export function documentUrl(path: string, baseUrl = '/'): string {
  const normalised = path.replace(/\\/g, '/').normalize('NFC');
  const page = folderOfPage(normalised) ?? normalised.replace(/\.mdx?$/i, '');
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return page === '' ? base : `${base}${page.split('/').map(encodeURIComponent).join('/')}/`;
}
