/**
 * Request validation with messages a person understands: JSON bodies and query strings are
 * parsed with zod schemas; problems become `400 {"error":{"code":"invalid_body"|"invalid_query",
 * "message":"maxResults: must be at most 20; …"}}`.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from './errors';

/** `path: message` for each zod issue (at most 5), joined. */
export function describeIssues(error: z.ZodError): string {
  const lines = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  if (error.issues.length > 5) lines.push(`and ${error.issues.length - 5} more problems`);
  return lines.join('; ');
}

/**
 * Parses the JSON body of `c` with `schema`. Requires `Content-Type: application/json` (415
 * otherwise: it also keeps other sites from posting "simple" cross-site requests).
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as JSON with `Content-Type: application/json`.');
  }
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch (error) {
    throw new ApiError(400, 'invalid_json', `The body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError(400, 'invalid_body', `Invalid request body: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** Parses the query string of `c` with `schema` (each parameter's first value). */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw new ApiError(400, 'invalid_query', `Invalid query parameters: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
