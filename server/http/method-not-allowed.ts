/**
 * The answer to a request no route takes: `405` `method_not_allowed` with an `Allow` header when a
 * route has its path but not its method (`PATCH /api/settings`), as HTTP clients expect, and `404`
 * `not_found` otherwise. `OPTIONS` on a path a route has is `204` with `Allow` (RFC 9110 §9.3.7:
 * any resource takes it), so every path of the API lists `OPTIONS` among its methods; with
 * `CORS_ORIGINS` set, the CORS middleware answers it first, with the same `Allow`
 * (`api-cors.ts`). Middleware (`app.use`) and the docs site are not routes here.
 */
import type { NotFoundHandler } from 'hono';
import { METHOD_NAME_ALL } from 'hono/router';
import { TrieRouter } from 'hono/router/trie-router';
import { errorBody, handleNotFound } from './errors';

/** A route as Hono lists it in `app.routes`. */
export interface RouteEntry {
  method: string;
  path: string;
}

/** The methods a request path answers (`GET, HEAD, PUT, DELETE, OPTIONS`); none for a path no route has. */
export type AllowedMethods = (path: string) => string[];

const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * The methods each path of `routes()` answers, in a conventional order: a `GET` route answers
 * `HEAD` too, and any path a route has answers `OPTIONS`. `routes` is read when a path is first
 * asked about (and again if routes were added since), so it may be given before the routes are
 * registered: pass `() => app.routes`.
 */
export function routeMethods(routes: () => readonly RouteEntry[]): AllowedMethods {
  let router: TrieRouter<string> | undefined;
  let routeCount = -1;
  return (path) => {
    const all = routes();
    if (!router || routeCount !== all.length) {
      router = new TrieRouter<string>();
      for (const route of all) if (route.method !== METHOD_NAME_ALL) router.add(METHOD_NAME_ALL, route.path, route.method.toUpperCase());
      routeCount = all.length;
    }
    const methods = new Set(router.match('GET', path)[0].map(([method]) => method));
    if (methods.size === 0) return [];
    if (methods.has('GET')) methods.add('HEAD');
    methods.add('OPTIONS');
    const rank = (m: string) => (METHOD_ORDER.includes(m) ? METHOD_ORDER.indexOf(m) : METHOD_ORDER.length);
    return [...methods].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  };
}

/**
 * A not-found handler that answers `405` for a path `allowedMethods` knows under other methods,
 * and `204` with `Allow` for `OPTIONS` on such a path.
 */
export function notFoundOrMethodNotAllowed(allowedMethods: AllowedMethods): NotFoundHandler {
  return (c) => {
    const allowed = allowedMethods(c.req.path);
    if (allowed.length === 0) return handleNotFound(c);
    if (c.req.method === 'OPTIONS') {
      c.header('allow', allowed.join(', '));
      return c.body(null, 204);
    }
    // A route takes this method (and let the request through to here): not found.
    if (allowed.includes(c.req.method)) return handleNotFound(c);
    c.header('allow', allowed.join(', '));
    return c.json(errorBody('method_not_allowed', `${c.req.path} does not take ${c.req.method}: it takes ${allowed.join(', ')}.`), 405);
  };
}
