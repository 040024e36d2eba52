/**
 * A remark plugin for the docs site: links from one page to another, written as docs are written
 * for GitHub and other site generators, open that page here. Such links name the page's file
 * (`./Server.md#listen`, `../Reference/Hooks.md`, `/docs/api.md`, as on GitHub, Docusaurus and
 * MkDocs) or its path without the extension (VitePress' `./routing`, the page of a Hugo `relref`
 * as ingest reads it). Resolved the way a browser would against this site's URLs
 * (`/reference/routes/` + `./Server.md`), every one of them was a 404.
 *
 * A link is rewritten only when it leads to a page: the file, relative to the page's own file
 * (or to the content folder when it starts with `/`; failing that, as Hugo's `relref` reads it,
 * relative to the content folder too), is one of the pages (`listContentFiles()`),
 * with its extension or without (`routing` → `routing.md`, `routing.mdx`, `routing/index.md`,
 * `routing/_index.md`; `.html` is read as no extension). It then points at that page's URL
 * (`documentUrl()`), its `#anchor` and `?query` kept. Links to the web, to an anchor of the same
 * page, to other files (images, code) and to no page at all are left as written.
 */
import { posix, relative, sep } from 'node:path';
import type { Root } from 'mdast';
import { listContentFiles } from '../../../ingest/scan';
import { documentUrl } from '../../../ingest/urls';

/**
 * The site URL a link written in the page `from` (a content path such as `reference/Routes.md`)
 * leads to, when it leads to one of `pages`; `undefined` when it is left as written.
 * `rootName` is the content folder's own name: a link starting with it (`/docs/api.md` in a
 * `docs/` content folder, as a repository's README links) is also read without it.
 */
export function pageLinkUrl(href: string, from: string, pages: ReadonlySet<string>, rootName = ''): string | undefined {
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
  if (absolute && rootName && (resolved === rootName || resolved.startsWith(`${rootName}/`))) candidates.push(resolved.slice(rootName.length + 1));
  for (const candidate of candidates) {
    const page = pageAt(candidate, pages);
    if (page !== undefined) return `${documentUrl(page)}${rest}`;
  }
  return undefined;
}

/** The page a resolved link path names, with its extension or without. */
function pageAt(resolved: string, pages: ReadonlySet<string>): string | undefined {
  if (resolved === '..' || resolved.startsWith('../')) return undefined;
  const path = resolved.replace(/\/+$/, '').replace(/^\.$/, '');
  if (/\.mdx?$/.test(path)) return pages.has(path) ? path : undefined;
  const base = path.replace(/\.html?$/i, '');
  const names = base === '' ? ['index.md', 'index.mdx', '_index.md', '_index.mdx'] : [`${base}.md`, `${base}.mdx`, ...['index.md', 'index.mdx', '_index.md', '_index.mdx'].map((n) => `${base}/${n}`)];
  return names.find((name) => pages.has(name));
}

/** The content folder's pages, read again at most every few seconds (the dev server's pages change). */
let cached: { root: string; at: number; pages: Promise<Set<string>> } | undefined;
function pagesOf(root: string): Promise<Set<string>> {
  if (!cached || cached.root !== root || Date.now() - cached.at > 3000) {
    const drafts = process.env.DOCENT_SHOW_DRAFTS === '1';
    cached = { root, at: Date.now(), pages: listContentFiles(root, { drafts }).then((list) => new Set(list)) };
  }
  return cached.pages;
}

export function remarkPageLinks() {
  return async (tree: Root, file: { path?: string }) => {
    const root = process.env.DOCENT_CONTENT_ROOT;
    if (!root || !file.path) return;
    const from = relative(root, file.path).split(sep).join('/');
    if (from.startsWith('..')) return;
    const pages = await pagesOf(root);
    const rootName = posix.basename(root.split(sep).join('/'));
    const visit = (node: Root | Root['children'][number]): void => {
      if ((node.type === 'link' || node.type === 'definition') && typeof node.url === 'string') {
        const url = pageLinkUrl(node.url, from, pages, rootName);
        if (url !== undefined) node.url = url;
      }
      if ('children' in node) for (const child of node.children) visit(child as Root['children'][number]);
    };
    visit(tree);
  };
}
