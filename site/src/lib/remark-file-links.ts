/**
 * A remark plugin for the docs site: a link to a file of the content folder that is not a page
 * (`[the spec](./spec.pdf)`, `[examples](../files/examples.zip)`, or from the site root,
 * `[logo](/img/logo.svg)`, looked up as images are: in the content folder, then in a Docusaurus
 * `static/` folder inside or beside it) points at the file, published under `/_docent/files/`
 * (`published-images.ts`), its `#fragment` kept (`./spec.pdf#page=3`). Astro copies only pages and
 * images into the site, so such a link, as written, was a 404 (MkDocs and Docusaurus publish these
 * files). So does an `<a href>` in a markdown page's raw HTML (`<a href="./spec.pdf">`, alone or in
 * other HTML such as `<p align="center">…</p>`) and a JSX `<a href>` of an MDX page, its `href` a
 * string or written as Docusaurus writes it (`href={require('./spec.pdf').default}`,
 * `href={useBaseUrl('/files/spec.pdf')}`), or a Docusaurus `<Link to="./spec.pdf">`
 * (`link-elements.ts`): Astro leaves them as written.
 *
 * It runs after `remark-page-links.ts`, which points links to pages at their URLs. Links to the
 * web, to no file, to a page's source (`./draft.md`: a draft or a left-out page) and to a hidden
 * file (`./.env`) are left as written.
 *
 * A link naming a file that does not exist (`./spec.pdf`, `../guide/setup.md` when there is no
 * such file or page: {@link checkFileLink}) gets a notice naming the page and line, as a missing
 * image does, and is left as written; the build goes on. So does a link to a file that exists but
 * that the site does not publish, saying why ({@link unpublishedReason}: outside the content
 * folder, as `../../LICENSE` often is, hidden, a draft). As for images, the content loader
 * (`docs-loader.ts`) prints it on every build (Astro's content cache skips this plugin for a page
 * that did not change); this prints one only for a link the loader did not see (one in a file a
 * page includes).
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import type { Definition, Nodes, Root } from 'mdast';
import type { MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx';
import { isDraft } from '../../../ingest/drafts';
import { pageLinkUrl } from '../../../ingest/page-links';
import { jsxLinkTarget, linkComponentNames, setJsxLinkTarget, withHtmlHrefs } from './link-elements';
import { type HtmlTag, htmlAttribute, htmlTags, pageTree, publicDir, reportOnce, siteRootFolders } from './page-images';
import { publishedFileUrl } from './published-images';
import { pagesOf } from './remark-page-links';

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Where the site serves the file the link `url` of the page `pageFile` (absolute) names, its
 * fragment kept; `undefined` when the site publishes no such file (see the module comment).
 */
export function linkedFileUrl(url: string, pageFile: string, root: string): string | undefined {
  if (url === '' || url.startsWith('#') || url.startsWith('//') || /^[a-z][a-z\d+.-]*:/i.test(url)) return undefined;
  const fragment = /#.*$/.exec(url)?.[0] ?? '';
  let path = url.replace(/[?#].*$/, '');
  if (path === '' || path.endsWith('/')) return undefined;
  try {
    path = decodeURI(path);
  } catch {
    /* read as written */
  }
  let file: string | undefined;
  if (path.startsWith('/')) {
    file = [root, join(root, 'static'), join(dirname(root), 'static')]
      .map((folder) => ({ folder, file: join(folder, path) }))
      .find(({ folder, file }) => file.startsWith(folder + sep) && isFile(file))?.file;
  } else {
    file = resolve(dirname(pageFile), path);
    if (!isFile(file)) file = undefined;
  }
  const published = file && publishedFileUrl(file, root);
  return published ? `${published}${fragment}` : undefined;
}

/** What the site does with a link of a page ({@link checkFileLink}). */
export type FileLinkCheck =
  /** A file the site publishes: the link points at `url`. */
  | { kind: 'file'; url: string }
  /**
   * A path naming a file (it has an extension) that is neither a file nor a page: a broken link.
   * On a MyST site, also a bare name that is no MyST label either (`reason` says so).
   */
  | { kind: 'missing'; reason?: string }
  /**
   * A file that exists but that the site does not publish (`reason` says why: outside the content
   * folder, hidden, a draft): a broken link, left as written.
   */
  | { kind: 'unpublished'; reason: string }
  /** Anything else (the web, an anchor, a page, a URL of the site): left as written. */
  | { kind: 'as-written' };

/**
 * What the site does with the link `url` of the page `pageFile` (absolute): points it at the file
 * it names ({@link linkedFileUrl}), or, when its path names a file (`spec.pdf`, `setup.md`; not a
 * folder, nor a path without extension or ending `.html`, which may be URLs of the site) found
 * nowhere a link is looked up (nor in `site/public`, for a path from the site root) and not a page
 * (`isPage`: `./setup.md` when `setup.md` is one), says it is missing. So is, when the docs set
 * MyST labels (`mystLabels`: a Sphinx site, where a link naming no file is a reference to a label),
 * a bare name that leads nowhere (`[the schema](schema_hub.config)`, `[policies](netpol)` with no
 * `(netpol)=`), with the reason.
 */
export function checkFileLink(url: string, pageFile: string, root: string, isPage: (url: string) => boolean, { mystLabels = false }: { mystLabels?: boolean } = {}): FileLinkCheck {
  const published = linkedFileUrl(url, pageFile, root);
  if (published !== undefined) return { kind: 'file', url: published };
  if (url.startsWith('#') || url.startsWith('//') || /^[a-z][a-z\d+.-]*:/i.test(url)) return { kind: 'as-written' };
  let path = url.replace(/[?#].*$/, '');
  try {
    path = decodeURI(path);
  } catch {
    /* read as written */
  }
  // A file that is there, but not published: with or without an extension (`../../LICENSE`).
  const unpublished = path === '' || path.endsWith('/') ? undefined : linkedFile(path, pageFile, root);
  if (unpublished !== undefined && !isPage(url)) return { kind: 'unpublished', reason: unpublishedReason(unpublished, root) };
  const name = path.split('/').pop() ?? '';
  const candidates = path.startsWith('/') ? [...siteRootFolders(root), publicDir()].map((folder) => join(folder, path)) : [resolve(dirname(pageFile), path)];
  const found = () => candidates.some((file) => existsSync(file)) || isPage(url);
  if (mystLabels && path !== '' && !path.includes('/') && !/\.html?$/i.test(name) && !found()) return { kind: 'missing', reason: MYST_REFERENCE_MISSING };
  if (!/[^.]\.[a-z\d]+$/i.test(name) || /\.html?$/i.test(name)) return { kind: 'as-written' };
  if (found()) return { kind: 'as-written' };
  return { kind: 'missing' };
}

/** Why a bare name on a MyST site leads nowhere: the clause of its notice. */
const MYST_REFERENCE_MISSING = 'names no page, file or MyST label of the docs';

/**
 * The file (absolute) the link path `path` (decoded, without `?query` and `#fragment`) of the page
 * `pageFile` names, where a link is looked up ({@link linkedFileUrl}), when there is one.
 */
function linkedFile(path: string, pageFile: string, root: string): string | undefined {
  if (!path.startsWith('/')) {
    const file = resolve(dirname(pageFile), path);
    return isFile(file) ? file : undefined;
  }
  return siteRootFolders(root)
    .map((folder) => ({ folder, file: join(folder, path) }))
    .find(({ folder, file }) => file.startsWith(folder + sep) && isFile(file))?.file;
}

/** Why the site does not publish the file `file` (absolute) a page links to: the clause of its notice. */
export function unpublishedReason(file: string, root: string): string {
  const folder = [root, join(dirname(root), 'static')].find((folder) => {
    const path = relative(folder, file);
    return path !== '' && !path.startsWith('..') && !isAbsolute(path);
  });
  if (folder === undefined) return 'is outside the content folder, which the site does not serve';
  if (relative(folder, file).split(sep).some((segment) => segment.startsWith('.'))) return 'is a hidden file (a name starting with a dot), which the site does not serve';
  if (/\.(md|mdx|markdown)$/i.test(file)) {
    let source = '';
    try {
      source = readFileSync(file, 'utf8');
    } catch {
      /* no draft then */
    }
    return isDraft(source) ? 'is a draft, which the site does not build' : 'is not one of the pages the site builds (a partial, a README beside an index page, or a file .docentignore leaves out)';
  }
  return 'is a link to a file outside the content folder, which the site does not serve';
}

/** The build's notice about a link to a file that does not exist, or that the site does not publish (`line` of the page, when known). */
export function fileLinkNotice(page: string, line: number | undefined, url: string, reason?: string): string {
  const where = `[docent] ${page}${line ? `:${line}` : ''}: ${reason === MYST_REFERENCE_MISSING ? 'link' : 'linked file'} ${url}`;
  return reason === undefined ? `${where} not found, so the link leads nowhere` : `${where} ${reason}: the link leads nowhere`;
}

/** Prints the notice about the link `url` of `page` once per build (the loader's, or this plugin's for an included file). */
export function reportFileLink(page: string, line: number | undefined, url: string, reason?: string): void {
  reportOnce(`${page}\0link\0${url}`, fileLinkNotice(page, line, url, reason));
}

/**
 * The URL of the page of the site a link of the page `page` (content-relative) leads to
 * (`./setup.md`, `/docs/setup.md`, `./setup`, a Docusaurus slug), as `remark-page-links.ts` points
 * it; `undefined` for a link to no page.
 */
export async function pageLinkUrls(root: string, page: string): Promise<(url: string) => string | undefined> {
  const { pages, slugs, labels } = await pagesOf(root);
  const rootName = posix.basename(root.split(sep).join('/'));
  return (url) => pageLinkUrl(url, page, pages, { rootName, slugs, labels });
}

/** Whether a link of the page `page` (content-relative) leads to a page of the site ({@link pageLinkUrls}). */
export async function pageLinkTest(root: string, page: string): Promise<(url: string) => boolean> {
  const pageUrl = await pageLinkUrls(root, page);
  return (url) => pageUrl(url) !== undefined;
}

/** The line of `tag` in the raw HTML node that starts at `line`. */
function htmlTagLine(html: string, tag: HtmlTag, line: number | undefined): number | undefined {
  return line === undefined ? undefined : line + (html.slice(0, tag.start).match(/\n/g)?.length ?? 0);
}

/** A link of a page, as {@link linksOfPage} lists it. */
export interface PageLink {
  url: string;
  /** Its line in the page's file, when known. */
  line: number | undefined;
}

/**
 * The links of the page `path` (content-relative): `[text](url)`, `[text][ref]` with its
 * definition, an HTML `<a href>` of a markdown page and a JSX `<a href>` or Docusaurus
 * `<Link to>` of an MDX page ({@link jsxLinkTarget}), with their
 * lines in the file, read from the file's own text as {@link pageTree} reads it.
 */
export function linksOfPage(source: string, path: string): PageLink[] {
  if (!source.includes('](') && !source.includes(']:') && !/<a\b/i.test(source) && !source.includes('@docusaurus/Link')) return [];
  const tree = pageTree(source, path);
  const linkNames = linkComponentNames(tree);
  const definitions = new Map<string, Definition>();
  const links: PageLink[] = [];
  const walk = (nodes: readonly Nodes[], collect: boolean): void => {
    for (const node of nodes) {
      const line = node.position?.start.line;
      if (!collect && node.type === 'definition' && !definitions.has(node.identifier)) definitions.set(node.identifier, node);
      if (collect && node.type === 'link') links.push({ url: node.url, line });
      if (collect && node.type === 'linkReference') {
        const definition = definitions.get(node.identifier);
        if (definition) links.push({ url: definition.url, line });
      }
      if (collect && node.type === 'html') {
        for (const tag of htmlTags(node.value, ['a'])) {
          const href = htmlAttribute(tag, 'href');
          if (href !== undefined) links.push({ url: href, line: htmlTagLine(node.value, tag, line) });
        }
      }
      const target = collect ? jsxLinkTarget(node, linkNames) : undefined;
      if (target !== undefined) links.push({ url: target.url, line });
      if ('children' in node) walk(node.children as Nodes[], collect);
    }
  };
  walk(tree.children, false);
  walk(tree.children, true);
  return links;
}

export function remarkFileLinks() {
  return async (tree: Root, file: { path?: string }) => {
    const root = process.env.DOCENT_CONTENT_ROOT;
    if (!root || !file.path) return;
    const pageFile = file.path;
    const page = relative(root, pageFile).split(sep).join('/');
    const isPage = await pageLinkTest(root, page);
    const mystLabels = (await pagesOf(root)).labels.size > 0;
    /** The URL a link should have instead, after noting a missing file. */
    const pointed = (url: string, line: number | undefined): string | undefined => {
      const check = checkFileLink(url, pageFile, root, isPage, { mystLabels });
      if (check.kind === 'missing' || check.kind === 'unpublished') reportFileLink(page, line, url, check.reason);
      return check.kind === 'file' ? check.url : undefined;
    };
    const definitions = new Map<string, Definition>();
    const collect = (node: Root | Root['children'][number]): void => {
      if (node.type === 'definition' && !definitions.has(node.identifier)) definitions.set(node.identifier, node);
      if ('children' in node) for (const child of node.children) collect(child as Root['children'][number]);
    };
    collect(tree);
    const linkNames = linkComponentNames(tree);
    const visit = (node: Root | Root['children'][number]): void => {
      const line = node.position?.start.line;
      if (node.type === 'link') {
        const url = pointed(node.url, line);
        if (url !== undefined) node.url = url;
      } else if (node.type === 'linkReference') {
        // Noted where the link is; its definition is pointed at the file below.
        const definition = definitions.get(node.identifier);
        if (definition) pointed(definition.url, line);
      } else if (node.type === 'definition') {
        const url = linkedFileUrl(node.url, pageFile, root);
        if (url !== undefined) node.url = url;
      } else if (node.type === 'html') {
        const html = node.value;
        node.value = withHtmlHrefs(html, (href, tag) => pointed(href, htmlTagLine(html, tag, line)));
      } else {
        const target = jsxLinkTarget(node, linkNames);
        const url = target === undefined ? undefined : pointed(target.url, line);
        if (url !== undefined) setJsxLinkTarget(node as MdxJsxFlowElement | MdxJsxTextElement, target!, url);
      }
      if ('children' in node) for (const child of node.children) visit(child as Root['children'][number]);
    };
    visit(tree);
  };
}
