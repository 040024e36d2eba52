/**
 * A remark plugin for the docs site: a link to a file of the content folder that is not a page
 * (`[the spec](./spec.pdf)`, `[examples](../files/examples.zip)`, or from the site root,
 * `[logo](/img/logo.svg)`, looked up as images are: in the content folder, then in a Docusaurus
 * `static/` folder inside or beside it) points at the file, published under `/_docent/files/`
 * (`published-images.ts`), its `#fragment` kept (`./spec.pdf#page=3`). Astro copies only pages and
 * images into the site, so such a link, as written, was a 404 (MkDocs and Docusaurus publish these
 * files).
 *
 * It runs after `remark-page-links.ts`, which points links to pages at their URLs. Links to the
 * web, to no file, to a page's source (`./draft.md`: a draft or a left-out page) and to a hidden
 * file (`./.env`) are left as written.
 */
import { statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { Root } from 'mdast';
import { publishedFileUrl } from './published-images';

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

export function remarkFileLinks() {
  return (tree: Root, file: { path?: string }) => {
    const root = process.env.DOCENT_CONTENT_ROOT;
    if (!root || !file.path) return;
    const pageFile = file.path;
    const visit = (node: Root | Root['children'][number]): void => {
      if ((node.type === 'link' || node.type === 'definition') && typeof node.url === 'string') {
        const url = linkedFileUrl(node.url, pageFile, root);
        if (url !== undefined) node.url = url;
      }
      if ('children' in node) for (const child of node.children) visit(child as Root['children'][number]);
    };
    visit(tree);
  };
}
