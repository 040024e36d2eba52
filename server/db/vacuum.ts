/**
 * `VACUUM (ANALYZE)` for the embedded database, which has no autovacuum.
 *
 * Postgres' autovacuum marks the pages of tables that grew as all-visible (so that an index can
 * answer a count without reading the table: the review statistics count answers from the
 * partial index of migration `0018`) and gathers the planner's statistics. PGlite runs no
 * background workers, so without this its tables are never vacuumed nor analyzed. Docent vacuums
 * the chat tables the review page reads, when a fifth of a table's pages are new since its last
 * vacuum (autovacuum's own default proportion), at start-up: PGlite runs one statement at a time on
 * the server's own thread, so a vacuum holds every request meanwhile (about 4 s the first time at
 * 100,000 rated answers, BENCHMARKS.md), which only a start, not yet answering, can afford.
 * The content tables are left alone: new planner statistics there could change how a search is
 * planned. A real Postgres is left to its autovacuum.
 */
import { sql } from 'drizzle-orm';
import { type DatabaseHandle, queryRows } from './open';

/** The tables vacuumed: the chats, their answers' sources and the feedback, which the review reads. */
export const VACUUMED_TABLES = ['messages', 'message_sources', 'message_feedback'] as const;

/** A table is due when at least this share of its pages is not marked all-visible (autovacuum's default scale factor). */
export const VACUUM_DUE_SHARE = 0.2;

/** ... and at least this many pages (8 kB each): below that, reading the table costs little. */
export const VACUUM_DUE_MIN_PAGES = 128;

/** A table's size and how much of it the last vacuum marked all-visible. */
export interface TableVisibility {
  table: string;
  /** Pages on disk now. */
  pages: number;
  /** Pages all-visible as of the last vacuum (0 when never vacuumed). */
  allVisible: number;
}

/** What {@link vacuumIfDue} did. */
export interface VacuumOutcome {
  /** The tables vacuumed and analyzed (none when none was due, or on Postgres). */
  tables: string[];
  /** How long it took, in ms. */
  ms: number;
}

/** The size and visibility of each of {@link VACUUMED_TABLES}. */
export async function tableVisibility(database: DatabaseHandle): Promise<TableVisibility[]> {
  const names = sql.join(VACUUMED_TABLES.map((t) => sql`${t}`), sql`, `);
  const rows = await queryRows<{ table: string; pages: number | string; all_visible: number | string }>(
    database.db,
    sql`select c.relname as table, pg_relation_size(c.oid) / current_setting('block_size')::int as pages, c.relallvisible as all_visible
        from pg_class c where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r' and c.relname in (${names})`,
  );
  return rows.map((r) => ({ table: r.table, pages: Number(r.pages), allVisible: Number(r.all_visible) }));
}

/** Whether `table` is due for a vacuum: enough pages not marked all-visible, as a share and in number. */
export function isVacuumDue({ pages, allVisible }: TableVisibility): boolean {
  const unmarked = pages - Math.min(allVisible, pages);
  return unmarked >= VACUUM_DUE_MIN_PAGES && unmarked >= pages * VACUUM_DUE_SHARE;
}

/**
 * Vacuums and analyzes the tables of {@link VACUUMED_TABLES} that are due ({@link isVacuumDue}),
 * on an embedded database; does nothing on Postgres, whose autovacuum does it.
 */
export async function vacuumIfDue(database: DatabaseHandle): Promise<VacuumOutcome> {
  const started = performance.now();
  if (database.kind !== 'pglite') return { tables: [], ms: 0 };
  const due = (await tableVisibility(database)).filter(isVacuumDue).map((t) => t.table);
  // One table per statement: VACUUM cannot run in a transaction block, and names cannot be parameters.
  for (const table of due) await database.db.execute(sql.raw(`vacuum (analyze) "${table}"`));
  return { tables: due, ms: performance.now() - started };
}
