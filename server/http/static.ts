/**
 * Serves the built docs site (Astro static output) from `siteDir`, beside the API.
 *
 * `/path/` → `path/index.html`; `/path` → 308 to `/path/` when that page exists (so relative links
 * resolve; the redirect names the page found, so it never leaves this origin); files as they are
 * (`/_astro/*` hashed assets cached for a year, pages revalidated); anything else → the site's
 * `404.html` with status 404. Paths that escape `siteDir` are refused, and dot-files and
 * dot-folders (but `.well-known/`) are never served. When the site has not been built, `/`
 * explains how to build it; while `npm start` builds it (or after that build failed), every page
 * says so (`503`). A build swapped in while the server runs is served from the next request on:
 * a file being sent stays readable, and a request in the instant between the two renames of the
 * swap waits for the new folder. Pages may be framed only by this origin (the chat page also by
 * `chatFrameAncestors`), and every response sends `Referrer-Policy`.
 */
import { closeSync, createReadStream, fstatSync, openSync, readdirSync, type Stats, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { Context, MiddlewareHandler } from 'hono';
import { type SiteBuildState, secondsLeft } from '../site-build';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.pdf': 'application/pdf',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
};

function fileStat(path: string): Stats | undefined {
  try {
    const stat = statSync(path);
    return stat.isFile() ? stat : undefined;
  } catch {
    return undefined;
  }
}

/** The headers every response of the site carries. */
const SITE_HEADERS = {
  'x-content-type-options': 'nosniff',
  // Other sites learn where a reader came from (the origin), never which page or question.
  'referrer-policy': 'strict-origin-when-cross-origin',
};

/**
 * The headers of an HTML page: who may show it in a frame. Only this origin, so another site
 * cannot overlay the review page or a reader's chat and trick clicks out of them (clickjacking);
 * `frameAncestors` widens that (the full-page chat, for the sites that embed Docent). No
 * `script-src`: the site's islands are inline scripts.
 */
function pageHeaders(frameAncestors: readonly string[] = []): Record<string, string> {
  if (!frameAncestors.length) {
    // X-Frame-Options for browsers without CSP frame-ancestors; newer ones ignore it when both are sent.
    return { ...SITE_HEADERS, 'content-security-policy': "frame-ancestors 'self'", 'x-frame-options': 'SAMEORIGIN' };
  }
  return { ...SITE_HEADERS, 'content-security-policy': `frame-ancestors 'self' ${frameAncestors.join(' ')}` };
}

/**
 * Sends the file `path`, opened first and described by what was opened: a build swapped in
 * meanwhile cannot make the length disagree with the bytes sent, and the open file stays readable
 * when its folder is renamed away and removed. `undefined` when it is no longer there.
 */
function sendFile(c: Context, path: string, status: 200 | 404 = 200, frameAncestors?: readonly string[]): Response | undefined {
  let fd: number;
  let stat: Stats;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    stat = fstatSync(fd);
  } catch {
    closeSync(fd);
    return undefined;
  }
  if (!stat.isFile()) {
    closeSync(fd);
    return undefined;
  }
  const type = TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
  const immutable = c.req.path.startsWith('/_astro/');
  const headers: Record<string, string> = {
    'content-type': type,
    'content-length': String(stat.size),
    'last-modified': stat.mtime.toUTCString(),
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate',
    ...(type.startsWith('text/html') ? pageHeaders(frameAncestors) : SITE_HEADERS),
  };
  const since = c.req.header('if-modified-since');
  if (status === 200 && since && Math.floor(stat.mtimeMs / 1000) <= Math.floor(Date.parse(since) / 1000)) {
    closeSync(fd);
    return new Response(null, { status: 304, headers: { 'cache-control': headers['cache-control']! } });
  }
  if (c.req.method === 'HEAD' || stat.size === 0) {
    closeSync(fd);
    return new Response(c.req.method === 'HEAD' ? null : '', { status, headers });
  }
  // The bytes of the file as it was opened, no more: its length is what `content-length` says.
  const body = Readable.toWeb(createReadStream('', { fd, start: 0, end: stat.size - 1 })) as ReadableStream<Uint8Array>;
  return new Response(body, { status, headers });
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Docent</title>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>Docent is running</h1><p>The API is up, but the docs site has not been built yet.
Build it with <code>npm run build:site</code> and reload this page.</p>
<p><a href="/api/health">/api/health</a></p></body>`;

/** The page every path answers while the first build of the site runs: it reloads itself (every 10 s at most), without JavaScript. */
function buildingPage(seconds: number): string {
  return `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="${Math.min(seconds, 10)}"><title>Docent: building the docs site</title>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>The docs site is being built</h1><p>This takes about ${seconds} s more. This page reloads by itself.
The API is up meanwhile.</p>
<p><a href="/api/health">/api/health</a></p></body>`;
}

/** The page every path answers when the site could not be built and none was built before. */
function failedPage(reason: string): string {
  const escaped = reason.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<!doctype html><meta charset="utf-8"><title>Docent: the docs site could not be built</title>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>The docs site could not be built</h1><p>${escaped}</p>
<p>The API is up. Fix the page, then restart Docent or run <code>npm run build:site</code>.</p>
<p><a href="/api/health">/api/health</a></p></body>`;
}

/** How long a request waits for a build being swapped in (between its two renames), at most, in ms. */
const SWAP_WAIT_MS = 2_000;

/**
 * Whether `root` is missing because a build is being swapped in: the site it replaces was renamed
 * away (`dist.old-…`, see `replaceFolder` in `site/build.ts`) and the new one not yet into place.
 */
function isBeingSwapped(root: string): boolean {
  try {
    statSync(root);
    return false;
  } catch {
    try {
      return readdirSync(dirname(root)).some((entry) => entry.startsWith(`${basename(root)}.old-`));
    } catch {
      return false;
    }
  }
}

/** Waits, polling, for the swap of a new build into `root` to end (or {@link SWAP_WAIT_MS} to pass). */
async function swapEnded(root: string): Promise<void> {
  const deadline = Date.now() + SWAP_WAIT_MS;
  while (isBeingSwapped(root) && Date.now() < deadline) await new Promise((resolveWait) => setTimeout(resolveWait, 5));
}

/**
 * Whether `path` (inside `root`) is, or is inside, a dot-file or dot-folder, which the site never
 * serves: they are not site content (`.docent-build`, the build's input hash, or an editor's or
 * tool's leftovers). `.well-known/` (RFC 8615: `security.txt` and the like) is the exception.
 */
function isHidden(root: string, path: string): boolean {
  return relative(root, path)
    .split(sep)
    .some((segment) => segment.startsWith('.') && segment !== '.well-known');
}

/**
 * The URL path of the page folder `dir` (inside `root`), with its trailing slash: what a redirect
 * to that page sends. Built from the folder that was found, not from the request's path, which
 * may say the same thing another way: `//evil.example/..%2fguides/xss` finds `guides/xss`, and
 * sent back as it came (`//evil.example/…`) the browser would read it as another host. Each
 * segment is percent-encoded, so the result is always one `/` followed by this site's path.
 */
function pagePath(root: string, dir: string): string {
  const segments = relative(root, dir).split(sep).filter(Boolean);
  return `/${segments.map(encodeURIComponent).join('/')}${segments.length ? '/' : ''}`;
}

export interface ServeSiteOptions {
  /**
   * Origins besides this server's own that may show the full-page chat (`/chat/`) in a frame
   * (CSP `frame-ancestors`), such as `https://docs.example.com`; `*` for any. Every other page
   * (the docs, `/review/`) may be framed by this origin only. `createApp` passes `CORS_ORIGINS`,
   * the sites allowed to embed Docent. Default: none.
   */
  chatFrameAncestors?: readonly string[];
  /**
   * The build of the site `npm start` runs (`server/site-build.ts`): while it runs, or after it
   * failed, and there is no site built before, every page says so (`503`). Default: none.
   */
  siteBuild?: () => SiteBuildState | undefined;
}

/** Throws a `TypeError` naming the first entry of `origins` that is neither an origin nor `*`. */
function checkOrigins(origins: readonly string[]): void {
  for (const origin of origins) {
    let valid = origin === '*';
    try {
      valid ||= new URL(origin).origin === origin;
    } catch {
      valid = false;
    }
    if (!valid) throw new TypeError(`serveSite: chatFrameAncestors: ${JSON.stringify(origin)} is not an origin like https://docs.example.com (or *)`);
  }
}

/**
 * Middleware serving `siteDir` for GET/HEAD requests the API did not answer. Under `/api/` it
 * serves only existing pages (`/api/routing/` → `api/routing/index.html`): docs often have an
 * `api/` folder, page URLs end with "/" and API routes never do; anything else there is left to
 * the API's JSON 404.
 */
export function serveSite(siteDir: string, options: ServeSiteOptions = {}): MiddlewareHandler {
  const root = resolve(siteDir);
  const chatFrameAncestors = options.chatFrameAncestors ?? [];
  checkOrigins(chatFrameAncestors);
  const chatPage = join(root, 'chat', 'index.html');
  const send = (c: Context, path: string) => sendFile(c, path, 200, path === chatPage ? chatFrameAncestors : undefined);
  /** The response from the site as it is on disk now; `undefined` for the API's routes. */
  const answer = (c: Context): Response | undefined => {
    if (c.req.path.startsWith('/api/') || c.req.path === '/api') {
      if (!c.req.path.endsWith('/')) return undefined;
      let page: string;
      try {
        page = resolve(root, `.${decodeURIComponent(c.req.path)}`, 'index.html');
      } catch {
        return undefined;
      }
      return page.startsWith(root + sep) && !isHidden(root, page) ? sendFile(c, page) : undefined;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(c.req.path);
    } catch {
      return c.text('Bad request', 400);
    }
    if (pathname.includes('\0')) return c.text('Bad request', 400);
    const target = resolve(root, `.${pathname}`);
    if (target !== root && !target.startsWith(root + sep)) return c.text('Not found', 404);

    if (!isHidden(root, target)) {
      if (pathname.endsWith('/')) {
        const page = send(c, join(target, 'index.html'));
        if (page) return page;
      } else {
        const file = send(c, target);
        if (file) return file;
        if (!extname(pathname) && fileStat(join(target, 'index.html'))) {
          return c.redirect(`${pagePath(root, target)}${new URL(c.req.url).search}`, 308);
        }
      }
    }

    const hasSite = fileStat(join(root, 'index.html')) !== undefined;
    const build = hasSite ? undefined : options.siteBuild?.();
    if (build?.state === 'checking' || build?.state === 'building') {
      const seconds = build.state === 'building' ? secondsLeft(build) : 5;
      c.header('retry-after', String(Math.min(seconds, 30)));
      return c.html(buildingPage(seconds), 503, pageHeaders());
    }
    if (build?.state === 'failed') return c.html(failedPage(build.reason), 503, pageHeaders());
    const notFound = sendFile(c, join(root, '404.html'), 404);
    if (notFound) return notFound;
    if (pathname === '/' && !hasSite) return c.html(NOT_BUILT, 200, pageHeaders());
    return c.text('Not found', 404);
  };
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    let response = answer(c);
    // Not found in the instant a new build is swapped in: found once it is in place.
    if ((response === undefined || response.status >= 400) && isBeingSwapped(root)) {
      await response?.body?.cancel();
      await swapEnded(root);
      response = answer(c);
    }
    return response ?? next();
  };
}
