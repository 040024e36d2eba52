/**
 * SQL for matching documents against a user's source list. An entry matches a document when it
 * equals the document's source name, or is a prefix of its path (`api/` matches `api/routing.md`;
 * `api/routing.md` matches that one file).
 */
import { type SQL, sql } from 'drizzle-orm';
import { documents } from '../db/schema';

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `true` when the document row matches any entry of `sources` (`false` for an empty list). */
export function matchesSources(sources: readonly string[]): SQL {
  if (sources.length === 0) return sql`false`;
  const names = sql`array[${sql.join(
    sources.map((s) => sql`${s}`),
    sql`, `,
  )}]::text[]`;
  const prefixes = sql`array[${sql.join(
    sources.map((s) => sql`${`${escapeLike(s.replace(/^\/+/, ''))}%`}`),
    sql`, `,
  )}]::text[]`;
  return sql`(${documents.source} = any(${names}) or ${documents.path} like any(${prefixes}))`;
}
