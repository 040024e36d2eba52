/**
 * The answer to a request no route takes: `405` `method_not_allowed` with an `Allow` header when a
 * route has its path but not its method (`PATCH /api/settings`), as HTTP clients expect, and `404`
 * `not_found` otherwise. Middleware (`app.use`) and the docs site are not routes here.
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

const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** The methods a path answers, in a conventional order; a `GET` route answers `HEAD` too. */
function allowedMethods(router: TrieRouter<string>, path: string): string[] {
  const methods = new Set(router.match('GET', path)[0].map(([method]) => method));
  if (methods.has('GET')) methods.add('HEAD');
  const rank = (m: string) => (METHOD_ORDER.includes(m) ? METHOD_ORDER.indexOf(m) : METHOD_ORDER.length);
  return [...methods].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * A not-found handler that answers `405` for a path one of `routes()` has under another method.
 * `routes` is read when the first request needs it (and again if routes were added since), so it
 * may be given before the routes are registered: pass `() => app.routes`.
 */
export function notFoundOrMethodNotAllowed(routes: () => readonly RouteEntry[]): NotFoundHandler {
  let router: TrieRouter<string> | undefined;
  let routeCount = -1;
  return (c) => {
    const all = routes();
    if (!router || routeCount !== all.length) {
      router = new TrieRouter<string>();
      for (const route of all) if (route.method !== METHOD_NAME_ALL) router.add(METHOD_NAME_ALL, route.path, route.method.toUpperCase());
      routeCount = all.length;
    }
    const allowed = allowedMethods(router, c.req.path);
    // Nothing at this path, or a route takes this method (and let the request through to here): not found.
    if (allowed.length === 0 || allowed.includes(c.req.method)) return handleNotFound(c);
    c.header('allow', allowed.join(', '));
    return c.json(errorBody('method_not_allowed', `${c.req.path} does not take ${c.req.method}: it takes ${allowed.join(', ')}.`), 405);
  };
}
