/**
 * CORS for the API when `CORS_ORIGINS` lets other sites embed Docent: the origins listed (or any,
 * with `*`) may call `/api/*` with the reader's cookie and read the chat stream's headers.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { Config } from '../config';

/** The CORS middleware for `/api/*`, or `undefined` when `CORS_ORIGINS` is empty (same-origin only). */
export function apiCors(config: Pick<Config, 'corsOrigins'>): MiddlewareHandler | undefined {
  if (config.corsOrigins.length === 0) return undefined;
  const allowed = new Set(config.corsOrigins);
  return cors({
    origin: (origin) => (allowed.has(origin) ? origin : allowed.has('*') ? origin : null),
    credentials: true,
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Authorization'],
    exposeHeaders: ['x-docent-chat-id', 'x-docent-message-id', 'x-vercel-ai-ui-message-stream', 'content-disposition'],
    maxAge: 600,
  });
}
