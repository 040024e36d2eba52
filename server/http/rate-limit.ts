/**
 * A small in-process rate limit (fixed window per key), for the endpoints that cost money or
 * create rows: `POST /api/chat` calls the model, and a client without a cookie creates a user.
 * The key is the visitor's user id when they have a session, else their address
 * (`X-Forwarded-For`'s first entry behind a proxy, else the socket's). One process only: several
 * server instances each count on their own.
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

function clientAddress(c: Context): string {
  const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
  if (forwarded) return forwarded;
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // not running on a Node socket (tests through app.request)
  }
}

export function rateLimit(options: RateLimitOptions): MiddlewareHandler<AuthEnv> {
  const windows = new Map<string, { start: number; count: number }>();
  return async (c, next) => {
    const now = Date.now();
    const user = c.get('auth').user;
    const key = user ? `user:${user.id}` : `addr:${clientAddress(c)}`;
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
