/**
 * Headers on every API response: `Cache-Control: no-store`, as they hold one reader's chats,
 * settings and session cookie, or the review data, and no browser or shared cache (a CDN, a
 * proxy in front of Docent) may keep or replay them; and `X-Content-Type-Options: nosniff`, as
 * the site's files send, so that a JSON body quoting its input is never read as a page. It
 * replaces the `no-cache` of the streams (the chat's answer, the ingest progress), which lets a
 * cache store them.
 */
import type { MiddlewareHandler } from 'hono';

/** Middleware adding the API's response headers (see the module comment), also to error responses. */
export function apiResponseHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.res.headers.set('cache-control', 'no-store');
    c.res.headers.set('x-content-type-options', 'nosniff');
  };
}
