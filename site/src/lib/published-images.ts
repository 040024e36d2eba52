/**
 * Images a page names where Astro does not look: the images of a `srcset` in a markdown page's
 * raw HTML (`<img srcset="a.png 1x, a@2x.png 2x">`, `<source srcset="…">` in a `<picture>`).
 * Astro copies an image into the site only when a page shows it as an image it collects (a
 * markdown image, an imported one); it leaves raw HTML as written, so such a `srcset` pointed at
 * files that are not on the site.
 *
 * Such an image is published under `/_docent/images/`: `content/<path>` for a file of the content
 * folder, `static/<path>` for one of a Docusaurus `static/` folder beside it. The URL names the
 * file itself, so nothing needs remembering between the page's render (which Astro's content
 * cache skips for a page that did not change) and the end of the build, which copies every file
 * the built pages name ({@link copyPublishedImages}); the dev server serves them from where they
 * are ({@link publishedImagesMiddleware}). Only image files inside those folders are served.
 */
import { copyFileSync, createReadStream, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Where published images are on the site. */
export const PUBLISHED_IMAGES_PATH = '/_docent/images/';

/** The extensions served, and their types. */
const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.svg': 'image/svg+xml',
  '.tiff': 'image/tiff',
};

/** The folders images are published from, by the name their URLs use. */
function folders(root: string): Record<string, string> {
  return { content: root, static: join(dirname(root), 'static') };
}

function contentRoot(): string {
  return resolve(process.env.DOCENT_CONTENT_ROOT ?? 'content');
}

/**
 * The site URL of the image file `file` (absolute), or `undefined` when it is in none of the
 * folders images are published from (a relative path that leaves the content folder).
 */
export function publishedImageUrl(file: string, root = contentRoot()): string | undefined {
  for (const [name, folder] of Object.entries(folders(root))) {
    const path = relative(folder, file);
    if (path === '' || path.startsWith('..') || isAbsolute(path)) continue;
    return `${PUBLISHED_IMAGES_PATH}${name}/${path.split(sep).map(encodeURIComponent).join('/')}`;
  }
  return undefined;
}

/** The image file a published URL's path names, or `undefined` (not one, outside its folder, not an image, no such file). */
export function publishedImageFile(urlPath: string, root = contentRoot()): string | undefined {
  if (!urlPath.startsWith(PUBLISHED_IMAGES_PATH)) return undefined;
  const [name, ...segments] = urlPath.slice(PUBLISHED_IMAGES_PATH.length).replace(/[?#].*$/, '').split('/');
  const all = folders(root);
  if (name === undefined || !Object.hasOwn(all, name)) return undefined;
  const folder = all[name]!;
  let path: string;
  try {
    path = segments.map(decodeURIComponent).join(sep);
  } catch {
    return undefined;
  }
  const file = resolve(folder, path);
  if (!file.startsWith(folder + sep) || !IMAGE_TYPES[extname(file).toLowerCase()]) return undefined;
  try {
    return statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

/** Published image URLs in a page's HTML. */
const PUBLISHED_URL = /\/_docent\/images\/[^\s"'<>,)]+/g;

/**
 * Copies into the built site `outDir` every published image its HTML pages name; returns how many
 * files it copied.
 */
export function copyPublishedImages(outDir: string, root = contentRoot()): number {
  const urls = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.html')) for (const [url] of readFileSync(path, 'utf8').matchAll(PUBLISHED_URL)) urls.add(url);
    }
  };
  walk(outDir);
  let copied = 0;
  for (const url of urls) {
    const file = publishedImageFile(url, root);
    if (!file) continue;
    // Where a static server looks for it: the URL's path, decoded.
    const target = join(outDir, ...url.slice(1).split('/').map(decodeURIComponent));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
    copied++;
  }
  return copied;
}

/** A dev server middleware (Vite's connect) serving published images from where they are. */
export function publishedImagesMiddleware(root?: string) {
  return (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    const path = (request.url ?? '').replace(/[?#].*$/, '');
    const file = path.startsWith(PUBLISHED_IMAGES_PATH) ? publishedImageFile(path, root) : undefined;
    if (!file) return next();
    response.setHeader('Content-Type', IMAGE_TYPES[extname(file).toLowerCase()]!);
    createReadStream(file).pipe(response);
  };
}
