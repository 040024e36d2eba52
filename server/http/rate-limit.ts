/**
 * A small in-process rate limit (fixed window per key), for the endpoints that cost money or
 * create rows: `POST /api/chat` calls the model, and a client without a cookie creates a user.
 * One process only: several server instances each count on their own.
 *
 * The key is the visitor's user id when they have a session, else their address. The address is
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

/** The client's address, as far as it can be trusted (see the module comment). */
export function clientAddress(c: Context, options: ClientAddressOptions): string {
  if (options.trustProxy > 0) {
    const hops = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    // Fewer entries than proxies: the leftmost was still written by a trusted proxy.
    if (hops.length) return hops[Math.max(0, hops.length - options.trustProxy)]!;
  }
  return (options.peerAddress ?? socketAddress)(c) ?? 'unknown';
}

export function rateLimit(options: RateLimitOptions, address: ClientAddressOptions): MiddlewareHandler<AuthEnv> {
  const windows = new Map<string, { start: number; count: number }>();
  return async (c, next) => {
    const now = Date.now();
    const user = c.get('auth').user;
    const key = user ? `user:${user.id}` : `addr:${clientAddress(c, address)}`;
    let window = windows.get(key);
    if (!window || now - window.start >= options.windowMs) {
      if (windows.size > 10_000) {
        for (const [k, w] of windows) if (now - w.start >= options.windowMs) windows.delete(k);
      }
      window = { start: now, count: 0 };
      windows.set(key, window);
    }
    window.count++;
    if (window.count > options.max) {
      const retryAfter = Math.ceil((window.start + options.windowMs - now) / 1000);
      c.header('retry-after', String(retryAfter));
      throw new ApiError(429, 'too_many_requests', `Too many questions: at most ${options.max} per ${Math.round(options.windowMs / 1000)} s. Try again in ${retryAfter} s.`);
    }
    await next();
  };
}
