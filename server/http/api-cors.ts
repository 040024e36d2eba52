/**
 * CORS for the API when `CORS_ORIGINS` lets other sites embed Docent: the origins listed (or any,
 * with `*`) may call `/api/*` with the reader's cookie and read the chat stream's headers.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { Config } from '../config';
import type { AllowedMethods } from './method-not-allowed';

/**
 * The CORS middleware for `/api/*`, or `undefined` when `CORS_ORIGINS` is empty (same-origin only).
 * It answers every `OPTIONS` (a preflight) with `204`, so that a browser goes on to the request
 * and can read its answer (a 404 or 405 included); on a path a route has, with the `Allow` that
 * `allowedMethods` gives, as the API does without CORS. Default: no `Allow` (the app served while
 * the server starts, which knows no routes yet).
 */
export function apiCors(config: Pick<Config, 'corsOrigins'>, allowedMethods: AllowedMethods = () => []): MiddlewareHandler | undefined {
  if (config.corsOrigins.length === 0) return undefined;
  const allowed = new Set(config.corsOrigins);
  const middleware = cors({
    origin: (origin) => (allowed.has(origin) ? origin : allowed.has('*') ? origin : null),
    credentials: true,
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Authorization'],
    exposeHeaders: ['x-docent-chat-id', 'x-docent-message-id', 'x-vercel-ai-ui-message-stream', 'content-disposition'],
    maxAge: 600,
  });
  return async (c, next) => {
    const preflight = await middleware(c, next);
    if (preflight instanceof Response) {
      const methods = allowedMethods(c.req.path);
      if (methods.length) preflight.headers.set('allow', methods.join(', '));
    }
    return preflight;
  };
}
