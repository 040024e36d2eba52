/**
 * SQL for matching documents against a user's source list. An entry matches a document when it
 * equals the document's source name, or is a prefix of its path (`api/` matches `api/routing.md`;
 * `api/routing.md` matches that one file).
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/open';
import { documents } from '../db/schema';

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The `like` pattern of the paths an entry is a prefix of (a leading `/` ignored). */
function pathPattern(entry: string): string {
  return `${escapeLike(entry.replace(/^\/+/, ''))}%`;
}

/** `true` when the document row matches any entry of `sources` (`false` for an empty list). */
export function matchesSources(sources: readonly string[]): SQL {
  if (sources.length === 0) return sql`false`;
  const names = sql`array[${sql.join(
    sources.map((s) => sql`${s}`),
    sql`, `,
  )}]::text[]`;
  const prefixes = sql`array[${sql.join(
    sources.map((s) => sql`${pathPattern(s)}`),
    sql`, `,
  )}]::text[]`;
  return sql`(${documents.source} = any(${names}) or ${documents.path} like any(${prefixes}))`;
}

/**
 * The entries of `sources` that match no indexed document now (by the rule of
 * {@link matchesSources}), in their order: a typo such as `guide/` for `guides/`, or a folder
 * removed from the docs since.
 */
export async function unmatchedSources(db: Database, sources: readonly string[]): Promise<string[]> {
  const entries = [...new Set(sources)];
  if (entries.length === 0) return [];
  const rows = await queryRows<{ entry: string }>(
    db,
    sql`select t.entry from unnest(
          array[${sql.join(entries.map((e) => sql`${e}`), sql`, `)}]::text[],
          array[${sql.join(entries.map((e) => sql`${pathPattern(e)}`), sql`, `)}]::text[]
        ) as t(entry, pattern)
        where not exists (select 1 from ${documents} d where d.source = t.entry or d.path like t.pattern)`,
  );
  const unmatched = new Set(rows.map((r) => r.entry));
  return entries.filter((e) => unmatched.has(e));
}
