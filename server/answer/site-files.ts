/**
 * Where Docent's docs site serves the files its pages link to, for links quoted in answers. The
 * site publishes a file a page links to (`[the spec](./spec.pdf)` of `guides/page.md`) under
 * `/_docent/files/`: `content/<path>` for a file of the content folder, `static/<path>` for one of
 * a Docusaurus `static/` folder beside it (`site/src/lib/published-images.ts`), and its build
 * copies each such file into the built site. So a link of a page leads to the file the built site
 * holds at that URL, if it holds one: the site's own rules (no hidden files, no page sources,
 * nothing through a link out of the folder) decided what it holds.
 */
import { statSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import type { SourceFileUrl } from './source-links';

/** Where the docs site serves the files its pages link to. */
export const SITE_FILES_PATH = '/_docent/files/';

export interface SiteFilesOptions {
  /** The built docs site (`site/dist`). */
  siteDir: string;
  /** The source name of the content folder the site is built from: links of other sources' pages are not its files. */
  source: string;
}

/** `folder/path` as the site names it, when the built site `root` holds that file. */
function heldFile(root: string, folder: string, path: string): string | undefined {
  const normal = posix.normalize(path.replace(/^\/+/, ''));
  if (normal === '.' || normal.startsWith('../') || normal === '..' || normal.split('/').some((segment) => segment.startsWith('.'))) return undefined;
  const segments = [folder, ...normal.split('/')];
  try {
    return statSync(join(root, ...SITE_FILES_PATH.split('/'), ...segments)).isFile() ? `${SITE_FILES_PATH}${segments.map(encodeURIComponent).join('/')}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where the built site at `siteDir` serves the file a link of a page of `source` names: a path
 * relative to the page's file (`./spec.pdf`, `../files/data.csv`), or from the site root
 * (`/files/data.csv`: the content folder, a `static/` folder in it, the `static/` folder beside
 * it, as the site looks it up), its `#fragment` kept; `undefined` for any other link.
 */
export function siteFileUrls({ siteDir, source }: SiteFilesOptions): SourceFileUrl {
  const root = resolve(siteDir);
  return (href, page) => {
    if (page.source !== source || href === '' || href.startsWith('#') || href.startsWith('//') || /^[a-z][a-z\d+.-]*:/i.test(href)) return undefined;
    const fragment = /#.*$/.exec(href)?.[0] ?? '';
    let path = href.replace(/[?#].*$/, '');
    try {
      path = decodeURI(path);
    } catch {
      return undefined;
    }
    if (path === '' || path.endsWith('/')) return undefined;
    const held = path.startsWith('/')
      ? (heldFile(root, 'content', path) ?? heldFile(root, 'content', `static${path}`) ?? heldFile(root, 'static', path))
      : heldFile(root, 'content', posix.join(posix.dirname(page.path), path));
    return held === undefined ? undefined : `${held}${fragment}`;
  };
}
