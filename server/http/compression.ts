/**
 * Compresses text responses (pages, scripts, styles, JSON, SVG) for clients that accept gzip or
 * deflate, with Hono's `compress` middleware: the standalone `widget.js` alone is about 700 KB,
 * a quarter of that gzipped, and every site that embeds it sends its readers there.
 *
 * Streams are left alone: the chat's answer (`text/event-stream`) and the ingest progress
 * (`application/x-ndjson`) must reach the client line by line, and a compressor holds bytes back
 * until it has enough of them. So are responses under 1 KiB, `HEAD` requests, and bodiless ones
 * such as a `304 Not Modified`. Compressed responses say `Vary: Accept-Encoding`, so a shared cache
 * keeps the two versions apart.
 */
import type { MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';

/** The content types worth compressing: text formats, never a stream. */
const COMPRESSIBLE = /^\s*(?:text\/(?:html|css|javascript|plain|csv|xml|markdown)|application\/(?:javascript|json|xml|manifest\+json)|image\/svg\+xml)\s*(?:;|$)/i;

/** Whether a response of `contentType` is compressed (given a client that accepts it). */
export function isCompressible(contentType: string): boolean {
  return COMPRESSIBLE.test(contentType);
}

/** Middleware compressing the text responses of the routes after it (see the module comment). */
export function compressText(): MiddlewareHandler {
  return compress({ contentTypeFilter: isCompressible });
}
