/**
 * Request validation with messages a person understands: JSON bodies and query strings are
 * parsed with zod schemas (after lone UTF-16 surrogates become U+FFFD); problems become
 * `400 {"error":{"code":"invalid_body"|"invalid_query","message":"maxResults: must be at most 20; …"}}`.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { toWellFormed } from '../db/text';
import { isLanguageTag } from '../retrieval/languages';
import { ApiError } from './errors';

/** Zod's own message for fields a strict object does not have (`Unrecognized key: "x"`). */
const ZOD_UNKNOWN_KEYS = /^Unrecognized keys?:/;

/**
 * `path: message` for each zod issue (at most 5), joined. Fields a body does not have are named as
 * `unknown field "x"` in every body, unless its schema words that itself (as the settings do).
 */
export function describeIssues(error: z.ZodError): string {
  const lines = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.map(String).join('.');
    const message =
      issue.code === 'unrecognized_keys' && ZOD_UNKNOWN_KEYS.test(issue.message)
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
        : issue.message;
    return path ? `${path}: ${message}` : message;
  });
  if (error.issues.length > 5) lines.push(`and ${error.issues.length - 5} more problems`);
  return lines.join('; ');
}

/**
 * The path (`messages.0.parts.0.text`) of the first string or key in `value` that holds a NUL
 * character (U+0000), which Postgres cannot store in text: such input gets a 400, never reaches a
 * query. Iterative, so deeply nested bodies cannot overflow the stack.
 */
export function findNulString(value: unknown): string | undefined {
  // Each node links to its parent, so a path is only built for the string found.
  interface Node {
    value: unknown;
    key: string;
    parent: Node | undefined;
  }
  const pathOf = (node: Node | undefined): string => {
    const keys: string[] = [];
    for (let n = node; n?.parent; n = n.parent) keys.push(n.key);
    return keys.reverse().join('.');
  };
  const stack: Node[] = [{ value, key: '', parent: undefined }];
  while (stack.length) {
    const node = stack.pop()!;
    if (typeof node.value === 'string') {
      if (node.value.includes('\0')) return pathOf(node);
    } else if (node.value !== null && typeof node.value === 'object') {
      for (const [key, child] of Object.entries(node.value)) {
        const childNode = { value: child, key, parent: node };
        if (key.includes('\0')) return pathOf(childNode);
        stack.push(childNode);
      }
    }
  }
  return undefined;
}

/**
 * `value` (parsed JSON or a query) with lone surrogates replaced by U+FFFD in every string and
 * key, changed in place. Postgres json cannot store them (`jsonb` refuses the `\ud800` escape that
 * `JSON.stringify` writes), and a text column stores U+FFFD for them anyway, so every endpoint
 * stores what the others do. Iterative, like {@link findNulString}.
 */
export function withWellFormedStrings<T>(value: T): T {
  if (typeof value === 'string') return toWellFormed(value) as T;
  const stack: unknown[] = [value];
  while (stack.length) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const child = record[key];
      const newKey = toWellFormed(key);
      const newChild = typeof child === 'string' ? toWellFormed(child) : child;
      if (newKey !== key) delete record[key];
      // Defined, not assigned: a `__proto__` key of parsed JSON is an own property, not the prototype.
      if (newKey !== key || newChild !== child) {
        Object.defineProperty(record, newKey, { value: newChild, writable: true, enumerable: true, configurable: true });
      }
      stack.push(child);
    }
  }
  return value;
}

const nulMessage = (path: string) => `${path ? `${path}: ` : ''}must not contain NUL characters (\\u0000)`;

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
  const nul = findNulString(body);
  if (nul !== undefined) throw new ApiError(400, 'invalid_body', `Invalid request body: ${nulMessage(nul)}`);
  const parsed = schema.safeParse(withWellFormedStrings(body));
  if (!parsed.success) throw new ApiError(400, 'invalid_body', `Invalid request body: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/**
 * Parses the query string of `c` with `schema`. A parameter the schema reads may be given once:
 * `k=2&k=7` gets a 400 naming it, rather than one of the values being picked silently.
 */
export function readQuery<S extends z.ZodObject>(c: Context, schema: S): z.output<S> {
  const repeated = Object.entries(c.req.queries())
    .filter(([name, values]) => values.length > 1 && name in schema.shape)
    .map(([name, values]) => `${name} is given ${values.length} times: give it once`);
  if (repeated.length) throw new ApiError(400, 'invalid_query', `Invalid query parameters: ${repeated.join('; ')}`);
  const query = c.req.query();
  const nul = findNulString(query);
  if (nul !== undefined) throw new ApiError(400, 'invalid_query', `Invalid query parameters: ${nulMessage(nul)}`);
  const parsed = schema.safeParse(withWellFormedStrings(query));
  if (!parsed.success) throw new ApiError(400, 'invalid_query', `Invalid query parameters: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/**
 * A reader's language as a BCP 47 tag (`fr`, `pt-BR`, `zh-Hans`), as a page's `<html lang>`
 * gives it; empty is the same as none (parsed as `undefined`). Which languages it can select:
 * `languageOfTag` in `server/retrieval/languages.ts` (others are accepted and change nothing).
 */
export const readerLanguageSchema = z
  .string({ error: 'language must be a string' })
  .trim()
  .max(35, 'language is at most 35 characters')
  .refine((v) => v === '' || isLanguageTag(v), 'language must be a language tag such as "fr" or "pt-BR"')
  .transform((v) => v || undefined);

export { wholeNumberParam } from '../whole-number-param';
