/**
 * Serves the built docs site (Astro static output) from `siteDir`, beside the API.
 *
 * `/path/` → `path/index.html`; `/path` → 308 to `/path/` when that page exists (so relative links
 * resolve; the redirect names the page found, so it never leaves this origin); files as they are
 * (`/_astro/*` hashed assets cached for a year, pages revalidated); anything else → the site's
 * `404.html` with status 404. Paths that escape `siteDir` are refused, and dot-files and
 * dot-folders (but `.well-known/`) are never served. When the site has not been built, `/`
 * explains how to build it. Pages may be framed only by this origin (the chat page also by
 * `chatFrameAncestors`), and every response sends `Referrer-Policy`.
 */
import { createReadStream, type Stats, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { Context, MiddlewareHandler } from 'hono';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
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

function sendFile(c: Context, path: string, stat: Stats, status: 200 | 404 = 200, frameAncestors?: readonly string[]): Response {
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
    return new Response(null, { status: 304, headers: { 'cache-control': headers['cache-control']! } });
  }
  if (c.req.method === 'HEAD') return new Response(null, { status, headers });
  const body = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
  return new Response(body, { status, headers });
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Docent</title>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>Docent is running</h1><p>The API is up, but the docs site has not been built yet.
Build it with <code>npm run build:site</code> and reload this page.</p>
<p><a href="/api/health">/api/health</a></p></body>`;

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
  const send = (c: Context, path: string, stat: Stats) => sendFile(c, path, stat, 200, path === chatPage ? chatFrameAncestors : undefined);
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    if (c.req.path.startsWith('/api/') || c.req.path === '/api') {
      if (!c.req.path.endsWith('/')) return next();
      let page: string;
      try {
        page = resolve(root, `.${decodeURIComponent(c.req.path)}`, 'index.html');
      } catch {
        return next();
      }
      const stat = page.startsWith(root + sep) && !isHidden(root, page) ? fileStat(page) : undefined;
      return stat ? sendFile(c, page, stat) : next();
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
        const index = join(target, 'index.html');
        const stat = fileStat(index);
        if (stat) return send(c, index, stat);
      } else {
        const stat = fileStat(target);
        if (stat) return send(c, target, stat);
        if (!extname(pathname) && fileStat(join(target, 'index.html'))) {
          return c.redirect(`${pagePath(root, target)}${new URL(c.req.url).search}`, 308);
        }
      }
    }

    const notFoundPage = join(root, '404.html');
    const notFoundStat = fileStat(notFoundPage);
    if (notFoundStat) return sendFile(c, notFoundPage, notFoundStat, 404);
    if (pathname === '/' && !fileStat(join(root, 'index.html'))) return c.html(NOT_BUILT, 200, pageHeaders());
    return c.text('Not found', 404);
  };
}
