/**
 * Links from one page to another, written as docs are written for GitHub and other site
 * generators, resolved to the page's URL on the docs site. Such links name the page's file
 * (`./Server.md#listen`, `../Reference/Hooks.md`, `/docs/api.md`, as on GitHub, Docusaurus and
 * MkDocs) or its path without the extension (VitePress' `./routing`, the page of a Hugo `relref`
 * as `template-tags.ts` reads it). Resolved the way a browser would against the site's URLs
 * (`/reference/routes/` + `./Server.md`), they lead nowhere.
 *
 * The docs site points such links at the page (`site/src/lib/remark-page-links.ts`), and ingest
 * stores chunks with them pointed there too, so a quote or an answer that keeps a link opens the
 * page, wherever the chat is shown.
 */
import { posix } from 'node:path';
import { documentUrl } from './urls';

export interface PageLinkOptions {
  /**
   * The content folder's own name: a link starting with it (`/docs/api.md` in a `docs/` folder,
   * as a repository's README links) is also read without it. Default: none.
   */
  rootName?: string;
  /** Base URL of the docs site, as {@link documentUrl} takes it. Default `/`. */
  baseUrl?: string;
}

/**
 * The URL a link written in the page `from` (a content path such as `reference/Routes.md`) leads
 * to, when it leads to one of `pages`; `undefined` when it should be left as written.
 *
 * The linked file is read relative to `from`, or to the content folder when the link starts with
 * `/`; failing that, a bare path (`repositories#credentials`, not `./…`) is also read from the
 * content folder, as Hugo's `relref` does. It names a page with its extension or without
 * (`routing` → `routing.md`, `routing.mdx`, `routing/index.md`, `routing/_index.md`; `.html` is
 * read as no extension), or, without the extension, its path as Docusaurus makes it, without
 * number prefixes (`core/text` → `03-core/05-text.mdx`). Its `#anchor` and `?query` are kept.
 * Links to the web, to an anchor of the same page, to other files and to no page are left as
 * written.
 */
export function pageLinkUrl(href: string, from: string, pages: ReadonlySet<string>, options: PageLinkOptions = {}): string | undefined {
  if (href === '' || href.startsWith('#') || href.startsWith('//') || /^[a-z][a-z\d+.-]*:/i.test(href)) return undefined;
  const split = href.search(/[?#]/);
  const rawPath = split < 0 ? href : href.slice(0, split);
  const rest = split < 0 ? '' : href.slice(split);
  let path: string;
  try {
    path = decodeURI(rawPath);
  } catch {
    return undefined;
  }
  const absolute = path.startsWith('/');
  const resolved = posix.normalize(absolute ? path.slice(1) : posix.join(posix.dirname(from), path));
  const candidates = [resolved];
  if (!absolute && !path.startsWith('.')) candidates.push(posix.normalize(path));
  const { rootName = '', baseUrl } = options;
  if (absolute && rootName && (resolved === rootName || resolved.startsWith(`${rootName}/`))) candidates.push(resolved.slice(rootName.length + 1));
  for (const candidate of candidates) {
    const page = pageAt(candidate, pages);
    if (page !== undefined) return `${documentUrl(page, baseUrl)}${rest}`;
  }
  return undefined;
}

/** The page a resolved link path names, with its extension or without. */
function pageAt(resolved: string, pages: ReadonlySet<string>): string | undefined {
  if (resolved === '..' || resolved.startsWith('../')) return undefined;
  const path = resolved.replace(/\/+$/, '').replace(/^\.$/, '');
  if (/\.mdx?$/.test(path)) return pages.has(path) ? path : undefined;
  const base = path.replace(/\.html?$/i, '');
  const indexes = ['index.md', 'index.mdx', '_index.md', '_index.mdx'];
  const names = base === '' ? indexes : [`${base}.md`, `${base}.mdx`, ...indexes.map((n) => `${base}/${n}`)];
  return names.find((name) => pages.has(name)) ?? (base === '' ? undefined : unnumberedPages(pages).get(base) ?? undefined);
}

/**
 * The pages by their path without number prefixes, extension and `index` (`03-core/05-text.mdx`
 * → `core/text`), as Docusaurus makes their URLs: links written to those URLs
 * (`/docs/core/text`) find their page. A path two pages share maps to none (`null`).
 */
const unnumbered = new WeakMap<ReadonlySet<string>, Map<string, string | null>>();
function unnumberedPages(pages: ReadonlySet<string>): Map<string, string | null> {
  let map = unnumbered.get(pages);
  if (!map) {
    map = new Map();
    for (const page of pages) {
      const segments = page.replace(/\.mdx?$/, '').split('/');
      if (/^_?index$/.test(segments.at(-1)!)) segments.pop();
      const key = segments.map((s) => s.replace(/^\d+[-_.]/, '')).join('/');
      if (key !== '' && key !== page.replace(/\.mdx?$/, '')) map.set(key, map.has(key) ? null : page);
    }
    unnumbered.set(pages, map);
  }
  return map;
}
