/**
 * A remark plugin for the docs site: an image whose file is not in the docs folder
 * (`![Figure 1](../resources/diagram.svg)` in docs copied without their `resources/`) is shown as
 * its alt text, with a build notice naming the page and line, instead of stopping the whole site
 * build: Astro imports every local image a page shows, and one it cannot find fails the build
 * ("Could not find requested image"), so the docs of a folder with one broken image had no site.
 *
 * Only local files are checked, relative to the page (Astro's own reading); web images (`https:`,
 * `//`, `data:`) and paths from the site root (`/logo.png`, served from `site/public`) are left as
 * written. It runs before Astro collects a page's images.
 */
import { existsSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import type { Image, Parent, Root, RootContent } from 'mdast';

/** Whether an image URL names a local file, relative to the page (what Astro imports). */
function isLocalImage(url: string): boolean {
  return url !== '' && !url.startsWith('/') && !url.startsWith('#') && !/^[a-z][a-z\d+.-]*:/i.test(url);
}

export function remarkMissingImages() {
  return (tree: Root, file: { path?: string }) => {
    if (!file.path) return;
    const folder = dirname(file.path);
    const root = process.env.DOCENT_CONTENT_ROOT;
    const page = root ? relative(root, file.path).split(sep).join('/') : file.path;
    const missing = (url: string) => {
      let path = url.replace(/[?#].*$/, '');
      try {
        path = decodeURI(path);
      } catch {
        /* read as written */
      }
      return !existsSync(resolve(folder, path));
    };
    const visit = (parent: Parent): void => {
      parent.children.forEach((node, i) => {
        if (node.type === 'image' && isLocalImage(node.url) && missing(node.url)) {
          parent.children[i] = altText(node);
          const line = node.position?.start.line;
          console.warn(`[docent] ${page}${line ? `:${line}` : ''}: image ${node.url} not found, shown as its alt text`);
        } else if ('children' in node) visit(node as Parent);
      });
    };
    visit(tree);
  };
}

/** What stands in for a missing image: its alt text (else its file name), in italics. */
function altText(image: Image): RootContent {
  const text = image.alt?.trim() || image.url.replace(/[?#].*$/, '').split('/').pop() || image.url;
  return { type: 'emphasis', children: [{ type: 'text', value: `[${text}]` }], position: image.position };
}
