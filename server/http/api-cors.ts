/**
 * CORS for the API when `CORS_ORIGINS` lets other sites embed Docent: the origins listed (or any,
 * with `*`) may call `/api/*` with the reader's cookie and read the chat stream's headers.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { Config } from '../config';
import type { AllowedMethods } from './method-not-allowed';

/** The methods a preflight allows on every path when the routes are not known (the server starting). */
const ANY_API_METHOD = ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'];

/**
 * The CORS middleware for `/api/*`, or `undefined` when `CORS_ORIGINS` is empty (same-origin only).
 * It answers every `OPTIONS` (a preflight) with `204`. On a path a route has, its `Allow` and its
 * `Access-Control-Allow-Methods` are the methods `allowedMethods` gives, the path's own, as the
 * API's `Allow` without CORS and its `405`: a browser sends none of the others (a `PATCH` of
 * `/api/settings` fails its preflight). On a path no route has, no method is allowed; a `GET` or
 * `POST` (which a browser sends whatever the preflight lists) still reads the 404. Without
 * `allowedMethods` (the app served while the server starts, which knows no routes yet): no `Allow`,
 * and the methods of the API's routes on every path, so that each request reads its 503.
 */
export function apiCors(config: Pick<Config, 'corsOrigins'>, allowedMethods?: AllowedMethods): MiddlewareHandler | undefined {
  if (config.corsOrigins.length === 0) return undefined;
  const allowed = new Set(config.corsOrigins);
  const middleware = cors({
    origin: (origin) => (allowed.has(origin) ? origin : allowed.has('*') ? origin : null),
    credentials: true,
    allowMethods: allowedMethods ? (_origin, c) => allowedMethods(c.req.path) : ANY_API_METHOD,
    allowHeaders: ['Content-Type', 'Authorization', 'If-Match'],
    exposeHeaders: ['x-docent-chat-id', 'x-docent-message-id', 'x-vercel-ai-ui-message-stream', 'content-disposition', 'etag'],
    maxAge: 600,
  });
  return async (c, next) => {
    const preflight = await middleware(c, next);
    if (preflight instanceof Response && allowedMethods) {
      const methods = allowedMethods(c.req.path);
      if (methods.length) preflight.headers.set('allow', methods.join(', '));
    }
    return preflight;
  };
}
