/**
 * The URL of a document on its docs site: `baseUrl` + the path without its extension, `index`
 * pages (and Hugo's `_index` section pages) mapped to their folder, with a trailing slash
 * (`api/routing.md` → `/api/routing/`, `guide/index.mdx` and `guide/_index.md` → `/guide/`). The docs site serves `content/` at exactly these URLs.
 */
export function documentUrl(path: string, baseUrl = '/'): string {
  const withoutExt = path.replace(/\\/g, '/').replace(/\.mdx?$/i, '');
  const page = /^_?index$/i.test(withoutExt) ? '' : withoutExt.replace(/\/_?index$/i, '');
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return page === '' ? base : `${base}${page.split('/').map(encodeURIComponent).join('/')}/`;
}
