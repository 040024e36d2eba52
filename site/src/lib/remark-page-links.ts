/**
 * A remark plugin for the docs site: links from one page to another written to the page's file
 * or its path without the extension (`./Server.md#listen`, `../api/routing`, `/docs/api.md`)
 * point at that page's URL, as ingest points them in the chunks it stores (`pageLinkUrl()`,
 * `ingest/page-links.ts`). Resolved the way a browser would against this site's URLs, every one
 * of them was a 404. So do links to the URL a Docusaurus `slug:` gives a page, to a MyST label
 * (`[policies](netpol)`: `ingest/myst-labels.ts`), and such links
 * written as HTML or JSX: `<a href="./other.md">` in a markdown page's raw HTML, a JSX
 * `<a href>` and Docusaurus' `<Link to="./other.md">` in an MDX page (`link-elements.ts`). Links to
 * no page, to other files and to the web are left as written.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import type { Root } from 'mdast';
import type { MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx';
import { type LabelTarget, mystLabels } from '../../../ingest/myst-labels';
import { docusaurusPaths, linkedPage, pageLinkUrl } from '../../../ingest/page-links';
import { pageTitleReader } from '../../../ingest/page-titles';
import { listContentFiles, maxPageBytesOf } from '../../../ingest/scan';
import { jsxLinkTarget, linkComponentNames, setJsxLinkTarget, withHtmlHrefs } from './link-elements';

/** The content folder's pages, the ones Docusaurus frontmatter gives another URL (`slug:`), and the MyST labels set in them. */
export interface Pages {
  pages: Set<string>;
  slugs: Map<string, string>;
  labels: Map<string, LabelTarget>;
  /** A page's title, as ingest gives it (`ingest/page-titles.ts`), read when first asked. */
  titleOf: (page: string) => string | undefined;
}

/**
 * The content folder's pages: listed once for a build; on the dev server (which shows drafts),
 * again at most every few seconds, as its pages change.
 */
let cached: { root: string; at: number; pages: Promise<Pages> } | undefined;
export function pagesOf(root: string): Promise<Pages> {
  const dev = process.env.DOCENT_SHOW_DRAFTS === '1';
  if (!cached || cached.root !== root || (dev && Date.now() - cached.at > 3000)) {
    cached = { root, at: Date.now(), pages: readPages(root, dev) };
  }
  return cached.pages;
}

async function readPages(root: string, drafts: boolean): Promise<Pages> {
  const maxPageBytes = maxPageBytesOf(process.env);
  const list = await listContentFiles(root, { drafts, maxPageBytes });
  // A page larger than ingest reads is not read (nor indexed, nor built): no slug or label of its counts, as in ingest.
  const read = async (file: string) => ((await stat(file)).size > maxPageBytes ? '' : readFile(file, 'utf8'));
  const sources = await Promise.all(list.map(async (page) => [page, await read(join(root, ...page.split('/'))).catch(() => '')] as const));
  const texts = new Map(sources);
  return { pages: new Set(list), slugs: docusaurusPaths(sources), labels: mystLabels(sources), titleOf: pageTitleReader((page) => texts.get(page)) };
}

/**
 * The title of the page a link of the page `page` (content-relative) leads to, as ingest titles
 * it: what a MyST `{doc}` role without a text of its own shows (`ingest/myst-syntax.ts`).
 */
export async function linkedPageTitles(root: string, page: string): Promise<(href: string) => string | undefined> {
  const { pages, slugs, labels, titleOf } = await pagesOf(root);
  const rootName = posix.basename(root.split(sep).join('/'));
  return (href) => {
    const linked = linkedPage(href, page, pages, { rootName, slugs, labels });
    return linked && titleOf(linked.page);
  };
}

export function remarkPageLinks() {
  return async (tree: Root, file: { path?: string }) => {
    const root = process.env.DOCENT_CONTENT_ROOT;
    if (!root || !file.path) return;
    const from = relative(root, file.path).split(sep).join('/');
    if (from.startsWith('..')) return;
    const { pages, slugs, labels } = await pagesOf(root);
    const rootName = posix.basename(root.split(sep).join('/'));
    const pointed = (href: string) => pageLinkUrl(href, from, pages, { rootName, slugs, labels });
    const linkNames = linkComponentNames(tree);
    const visit = (node: Root | Root['children'][number]): void => {
      if ((node.type === 'link' || node.type === 'definition') && typeof node.url === 'string') {
        const url = pointed(node.url);
        if (url !== undefined) node.url = url;
      } else if (node.type === 'html') {
        node.value = withHtmlHrefs(node.value, pointed);
      } else {
        const target = jsxLinkTarget(node, linkNames);
        const url = target === undefined ? undefined : pointed(target.url);
        if (url !== undefined) setJsxLinkTarget(node as MdxJsxFlowElement | MdxJsxTextElement, target!, url);
      }
      if ('children' in node) for (const child of node.children) visit(child as Root['children'][number]);
    };
    visit(tree);
  };
}
