/**
 * A small in-process rate limit (fixed window per key), for the endpoints that cost money or CPU
 * or create rows: `POST /api/chat` calls the model, `GET /api/search` embeds the query and
 * searches, and a client without a cookie creates a user (and a session) on its first write; and
 * for wrong admin tokens, so that `ADMIN_TOKEN` cannot be guessed at speed.
 * One process only: several server instances each count on their own.
 *
 * The chat and search limits key on the visitor's user id when they have a session, else their
 * address; the new-user and admin-token limits always key on the address. The address is
 * the TCP peer's: `X-Forwarded-For` is written by whoever sends the request, so a client could
 * pick a new one for every request. Only when `TRUST_PROXY` says N reverse proxies sit in front
 * of Docent is the header read, and then only its Nth entry from the right: the address the
 * outermost trusted proxy saw and appended (entries further left are the client's own words).
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { AdminAttempts, AuthEnv } from './auth';
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
/** Default for failed admin authentications (wrong admin tokens): 10 per 15 minutes per client address. */
export const DEFAULT_ADMIN_FAILURE_LIMIT: RateLimitOptions = { max: 10, windowMs: 15 * 60_000 };

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

export interface FixedWindowCounter {
  /** Counts a hit for `key`: `undefined` while it is within `max`, else the whole seconds until its window ends (for `Retry-After`). */
  hit(key: string): number | undefined;
  /** Counts nothing: `key`'s hits in its current window (0 when it has none), and the whole seconds until that window ends. */
  peek(key: string): { count: number; retryAfter: number };
}

/** Counts hits per key in fixed windows of `windowMs`. Throws a `TypeError` for options that limit nothing or everything. */
export function fixedWindowCounter(options: RateLimitOptions): FixedWindowCounter {
  if (!Number.isInteger(options.max) || options.max < 1) {
    throw new TypeError(`rate limit: max must be a whole number of 1 or more (got ${options.max}); pass false for no limit`);
  }
  if (!Number.isFinite(options.windowMs) || options.windowMs <= 0) {
    throw new TypeError(`rate limit: windowMs must be a positive number of milliseconds (got ${options.windowMs})`);
  }
  const windows = new Map<string, { start: number; count: number }>();
  const current = (key: string, now: number) => {
    const window = windows.get(key);
    return window && now - window.start < options.windowMs ? window : undefined;
  };
  const secondsLeft = (start: number, now: number) => Math.max(1, Math.ceil((start + options.windowMs - now) / 1000));
  return {
    hit(key) {
      const now = Date.now();
      let window = current(key, now);
      if (!window) {
        if (windows.size > 10_000) {
          for (const [k, w] of windows) if (now - w.start >= options.windowMs) windows.delete(k);
        }
        window = { start: now, count: 0 };
        windows.set(key, window);
      }
      window.count++;
      if (window.count <= options.max) return undefined;
      return secondsLeft(window.start, now);
    },
    peek(key) {
      const now = Date.now();
      const window = current(key, now);
      return window ? { count: window.count, retryAfter: secondsLeft(window.start, now) } : { count: 0, retryAfter: 0 };
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

/** `windowMs` for people: `15 min`, `90 s`. */
const windowText = (windowMs: number) => (windowMs % 60_000 === 0 ? `${windowMs / 60_000} min` : `${Math.round(windowMs / 1000)} s`);

/**
 * The limit on guessing `ADMIN_TOKEN` ({@link AdminAttempts}): at most `options.max` wrong tokens
 * per window and client address. Once an address has used them up, every admin token it sends,
 * right or wrong, gets 429 until the window ends (answering a right one would tell a guesser it
 * found the token), and `log` hears one line about it, with the address but never the token.
 * Right tokens are not counted, and requests without a token (or with an admin session) are not
 * limited: an admin already logged in keeps working from a limited address.
 */
export function adminFailureLimit(
  options: RateLimitOptions,
  address: ClientAddressOptions,
  log: (line: string) => void = console.warn,
): AdminAttempts {
  const counter = fixedWindowCounter(options);
  return {
    check(c) {
      const { count, retryAfter } = counter.peek(clientAddress(c, address));
      if (count < options.max) return;
      tooMany(
        c,
        retryAfter,
        `Too many wrong admin tokens from your address: at most ${options.max} per ${windowText(options.windowMs)}. ` +
          `Try again in ${retryAfter} s.`,
      );
    },
    failed(c) {
      const key = clientAddress(c, address);
      counter.hit(key);
      const { count, retryAfter } = counter.peek(key);
      if (count === options.max) {
        log(
          `[docent] ${count} wrong admin tokens from ${key} within ${windowText(options.windowMs)} ` +
            `(the last on ${c.req.method} ${c.req.path}): its admin tokens are refused for ${retryAfter} s`,
        );
      }
    },
  };
}
