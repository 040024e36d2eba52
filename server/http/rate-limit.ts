/**
 * A small in-process rate limit (fixed window per key), for the endpoints that cost money or CPU
 * or create rows: `POST /api/chat` calls the model, `GET /api/search` embeds the query and
 * searches, and a client without a cookie creates a user (and a session) on its first write.
 * One process only: several server instances each count on their own.
 *
 * The chat and search limits key on the visitor's user id when they have a session, else their
 * address; the new-user limit always keys on the address. The address is
 * the TCP peer's: `X-Forwarded-For` is written by whoever sends the request, so a client could
 * pick a new one for every request. Only when `TRUST_PROXY` says N reverse proxies sit in front
 * of Docent is the header read, and then only its Nth entry from the right: the address the
 * outermost trusted proxy saw and appended (entries further left are the client's own words).
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { AuthEnv } from './auth';
import { ApiError } from './errors';

export interface RateLimitOptions {
  /** Requests allowed per window and key. */
  max: number;
  /** Window length in ms. */
  windowMs: number;
}

/** Default for `POST /api/chat`: 30 questions a minute per visitor. */
export const DEFAULT_CHAT_RATE_LIMIT: RateLimitOptions = { max: 30, windowMs: 60_000 };
/** Default for `GET /api/search`: 60 searches a minute per visitor. */
export const DEFAULT_SEARCH_RATE_LIMIT: RateLimitOptions = { max: 60, windowMs: 60_000 };
/** Default for creating users (visitors without a cookie): 20 a minute per client address. */
export const DEFAULT_NEW_USER_RATE_LIMIT: RateLimitOptions = { max: 20, windowMs: 60_000 };

/** The TCP peer address of a request, or `undefined` when it is not known. */
export type PeerAddress = (c: Context) => string | undefined;

/** The Node socket's remote address (`undefined` outside `@hono/node-server`, e.g. `app.request()`). */
export const socketAddress: PeerAddress = (c) => {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
};

export interface ClientAddressOptions {
  /** Reverse proxies in front of the server (`TRUST_PROXY`); 0 ignores `X-Forwarded-For`. */
  trustProxy: number;
  /** Default {@link socketAddress}. */
  peerAddress?: PeerAddress;
}

/**
 * The entry of a comma-separated `X-Forwarded-*` header written by the outermost of `trustProxy`
 * proxies: the Nth from the right (entries further left are the client's own words). `undefined`
 * with `trustProxy` 0, or when the header is missing or empty.
 */
export function trustedForwardedValue(c: Context, header: string, trustProxy: number): string | undefined {
  if (trustProxy <= 0) return undefined;
  const hops = (c.req.header(header) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // Fewer entries than proxies: the leftmost was still written by a trusted proxy.
  return hops.length ? hops[Math.max(0, hops.length - trustProxy)] : undefined;
}

/** The client's address, as far as it can be trusted (see the module comment). */
export function clientAddress(c: Context, options: ClientAddressOptions): string {
  return trustedForwardedValue(c, 'x-forwarded-for', options.trustProxy) ?? (options.peerAddress ?? socketAddress)(c) ?? 'unknown';
}

/**
 * Counts hits per key in fixed windows of `windowMs`. `hit()` returns `undefined` while the key is
 * within `max`, else the whole seconds until its window ends (for `Retry-After`).
 */
export function fixedWindowCounter(options: RateLimitOptions): { hit(key: string): number | undefined } {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    hit(key) {
      const now = Date.now();
      let window = windows.get(key);
      if (!window || now - window.start >= options.windowMs) {
        if (windows.size > 10_000) {
          for (const [k, w] of windows) if (now - w.start >= options.windowMs) windows.delete(k);
        }
        window = { start: now, count: 0 };
        windows.set(key, window);
      }
      window.count++;
      if (window.count <= options.max) return undefined;
      return Math.max(1, Math.ceil((window.start + options.windowMs - now) / 1000));
    },
  };
}

/** Sets `Retry-After` and throws the 429 JSON error. */
function tooMany(c: Context, retryAfter: number, message: string): never {
  c.header('retry-after', String(retryAfter));
  throw new ApiError(429, 'too_many_requests', message);
}

const perWindow = (options: RateLimitOptions) => `at most ${options.max} per ${Math.round(options.windowMs / 1000)} s`;

/**
 * Middleware limiting requests per visitor: keyed on the user id when there is a session, else on
 * the client address. `what` names the requests in the 429 message ("questions", "searches").
 */
export function rateLimit(options: RateLimitOptions, address: ClientAddressOptions, what = 'requests'): MiddlewareHandler<AuthEnv> {
  const counter = fixedWindowCounter(options);
  return async (c, next) => {
    const user = c.get('auth').user;
    const retryAfter = counter.hit(user ? `user:${user.id}` : `addr:${clientAddress(c, address)}`);
    if (retryAfter !== undefined) tooMany(c, retryAfter, `Too many ${what}: ${perWindow(options)}. Try again in ${retryAfter} s.`);
    await next();
  };
}

/**
 * The check `sessionMiddleware` runs before it creates a user (and session) for a visitor without
 * a cookie: at most `options.max` new users per window and client address. Throws 429 beyond that,
 * before anything is inserted, so a client that drops its cookies cannot fill the tables.
 */
export function newUserRateLimit(options: RateLimitOptions, address: ClientAddressOptions): (c: Context) => void {
  const counter = fixedWindowCounter(options);
  return (c) => {
    const retryAfter = counter.hit(clientAddress(c, address));
    if (retryAfter === undefined) return;
    tooMany(
      c,
      retryAfter,
      `Too many new readers from your address: ${perWindow(options)}. Send back the session cookie to stay ` +
        `the same reader (with curl: -b cookies.txt -c cookies.txt), or try again in ${retryAfter} s.`,
    );
  };
}
