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
 * the built pages name ({@link copyPublishedFiles}); the dev server serves them from where they
 * are ({@link publishedFilesMiddleware}). Only image files inside those folders are served.
 *
 * So is a file a page links to (`[the spec](./spec.pdf)`, `[examples](/files/examples.zip)`),
 * under `/_docent/files/` (`remark-file-links.ts`): Astro copies only pages and images, so such a
 * link was a 404. Any file inside those folders but a hidden one (`.env`, `.git/`), one reached
 * through a link out of its folder, and a page's source (`.md`, `.mdx`: pages are linked to at
 * their URLs, and a draft or a part must not be published as text).
 */
import { copyFileSync, createReadStream, mkdirSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Where published images are on the site. */
export const PUBLISHED_IMAGES_PATH = '/_docent/images/';

/** Where published files that pages link to (not images shown) are on the site. */
export const PUBLISHED_FILES_PATH = '/_docent/files/';

/** The types of linked files a browser shows rather than downloads, for the dev server. */
const FILE_TYPES: Record<string, string> = { '.pdf': 'application/pdf', '.txt': 'text/plain; charset=utf-8', '.json': 'application/json' };

/** Page sources, never published as files. */
const PAGE_EXTENSIONS = new Set(['.md', '.mdx', '.markdown']);

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
  return publishedUrl(PUBLISHED_IMAGES_PATH, file, root);
}

/**
 * The site URL of the file `file` (absolute) a page links to, or `undefined` when the site does not
 * publish it (outside the folders files are published from, hidden, a page's source; see the module comment).
 */
export function publishedFileUrl(file: string, root = contentRoot()): string | undefined {
  const url = publishedUrl(PUBLISHED_FILES_PATH, file, root);
  return url !== undefined && publishedFileOf(url, root) === file ? url : undefined;
}

function publishedUrl(prefix: string, file: string, root: string): string | undefined {
  for (const [name, folder] of Object.entries(folders(root))) {
    const path = relative(folder, file);
    if (path === '' || path.startsWith('..') || isAbsolute(path)) continue;
    return `${prefix}${name}/${path.split(sep).map(encodeURIComponent).join('/')}`;
  }
  return undefined;
}

/** The image file a published URL's path names, or `undefined` (not one, outside its folder, not an image, no such file). */
export function publishedImageFile(urlPath: string, root = contentRoot()): string | undefined {
  const file = fileOfUrl(PUBLISHED_IMAGES_PATH, urlPath, root);
  return file && IMAGE_TYPES[extname(file).toLowerCase()] ? file : undefined;
}

/**
 * The linked file a published URL's path names, or `undefined` (not one, outside its folder or
 * reached through a link out of it, hidden, a page's source, no such file).
 */
export function publishedFileOf(urlPath: string, root = contentRoot()): string | undefined {
  const file = fileOfUrl(PUBLISHED_FILES_PATH, urlPath, root);
  if (!file || PAGE_EXTENSIONS.has(extname(file).toLowerCase())) return undefined;
  const [name] = urlPath.slice(PUBLISHED_FILES_PATH.length).split('/');
  const folder = folders(root)[name!]!;
  if (relative(folder, file).split(sep).some((segment) => segment.startsWith('.'))) return undefined;
  try {
    const real = realpathSync(file);
    return real.startsWith(realpathSync(folder) + sep) ? file : undefined;
  } catch {
    return undefined;
  }
}

/** The file (absolute) under `prefix` a published URL's path names, when it is a file inside its folder. */
function fileOfUrl(prefix: string, urlPath: string, root: string): string | undefined {
  if (!urlPath.startsWith(prefix)) return undefined;
  const [name, ...segments] = urlPath.slice(prefix.length).replace(/[?#].*$/, '').split('/');
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
  if (!file.startsWith(folder + sep)) return undefined;
  try {
    return statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

/** Published image and file URLs in a page's HTML. */
const PUBLISHED_URL = /\/_docent\/(?:images|files)\/[^\s"'<>,)#?]+/g;

/** The file a published image's or linked file's URL path names, or `undefined`. */
function publishedFileOfUrl(urlPath: string, root?: string): string | undefined {
  return publishedImageFile(urlPath, root) ?? publishedFileOf(urlPath, root);
}

/**
 * Copies into the built site `outDir` every published image and linked file its HTML pages name;
 * returns how many files it copied.
 */
export function copyPublishedFiles(outDir: string, root = contentRoot()): number {
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
    const file = publishedFileOfUrl(url, root);
    if (!file) continue;
    // Where a static server looks for it: the URL's path, decoded.
    const target = join(outDir, ...url.slice(1).split('/').map(decodeURIComponent));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
    copied++;
  }
  return copied;
}

/** A dev server middleware (Vite's connect) serving published images and linked files from where they are. */
export function publishedFilesMiddleware(root?: string) {
  return (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    const path = (request.url ?? '').replace(/[?#].*$/, '');
    const file = path.startsWith('/_docent/') ? publishedFileOfUrl(path, root) : undefined;
    if (!file) return next();
    const extension = extname(file).toLowerCase();
    response.setHeader('Content-Type', IMAGE_TYPES[extension] ?? FILE_TYPES[extension] ?? 'application/octet-stream');
    createReadStream(file).pipe(response);
  };
}
