/**
 * Claiming an ingest run of a source in `ingest_runs`, so that two processes never ingest one
 * source at once: each would compare the folder with the index as it was before either wrote, and
 * both reported every new page as added (their writes, serialised per document, lost nothing, but
 * the second run's summary was untrue). A run is claimed under a transaction-level advisory lock
 * of its source: of two runs starting together exactly one records itself `running`, and the other
 * waits until that run is over (its record is no longer `running`, or it has not been heard from
 * for {@link STALE_RUN_MS}: its process died), then compares with the index the first one wrote.
 * A claimed run's record is touched every {@link HEARTBEAT_MS} (`keepRunAlive`), so a long
 * embedding without writes does not make it look dead.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import { type Database, databaseKind } from '../server/db/open';
import { ingestRuns } from '../server/db/schema';

/** A run still "running" that has not been heard from for this long was interrupted (its process died). */
export const STALE_RUN_MS = 5 * 60_000;

/** How often a run touches its record while it goes on. */
export const HEARTBEAT_MS = 30_000;

/** How often a run waiting for another one looks again. */
const WAIT_POLL_MS = 500;

export interface ClaimRunOptions {
  /** Stops the wait (the claim then throws the signal's reason). */
  signal?: AbortSignal;
  /** Called once when the run has to wait for another one, with a line for the person running it. */
  onWait?: (message: string) => void;
}

/**
 * Records a run of `source` as `running` once no other live run of that source is, waiting for it
 * meanwhile; returns the new run's id. `values` gives the run's row of `ingest_runs`, read in the
 * claiming transaction (`tx`), after the run waited for is over. Runs of the source
 * left `running` by a process that died are marked `failed` first ({@link markInterruptedRuns}).
 */
export async function claimIngestRun(
  db: Database,
  source: string,
  values: (tx: Database) => Promise<typeof ingestRuns.$inferInsert>,
  options: ClaimRunOptions = {},
): Promise<string> {
  let waiting = false;
  for (;;) {
    options.signal?.throwIfAborted();
    await markInterruptedRuns(db, source);
    const claim = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`docent:ingest-run\n${source}`}, 0))`);
      const [other] = await tx
        .select({ startedAt: ingestRuns.startedAt })
        .from(ingestRuns)
        .where(and(eq(ingestRuns.source, source), eq(ingestRuns.status, 'running'), gte(ingestRuns.updatedAt, new Date(Date.now() - STALE_RUN_MS))))
        .orderBy(asc(ingestRuns.startedAt))
        .limit(1);
      if (other) return { other: other.startedAt };
      const [run] = await tx.insert(ingestRuns).values(await values(tx as unknown as Database)).returning({ id: ingestRuns.id });
      return { id: run!.id };
    });
    if (claim.id !== undefined) return claim.id;
    if (!waiting) {
      waiting = true;
      const started = new Date(claim.other!).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
      options.onWait?.(`Another ingest of source "${source}" is running (started ${started}); waiting for it to finish…`);
    }
    await sleep(WAIT_POLL_MS, undefined, { signal: options.signal });
  }
}

/**
 * Touches the record of the run `id` every {@link HEARTBEAT_MS} until the returned function is
 * called, so that runs waiting for it know its process is alive.
 */
export function keepRunAlive(db: Database, id: string): () => void {
  const timer = setInterval(() => {
    db.update(ingestRuns).set({ updatedAt: new Date() }).where(and(eq(ingestRuns.id, id), eq(ingestRuns.status, 'running'))).catch(() => {});
  }, HEARTBEAT_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Marks runs of `source` whose process died as failed: on the embedded database, which one
 * process owns, every run still `running` (this process runs one ingest of a source at a time);
 * on Postgres, shared by several processes, those not heard from for {@link STALE_RUN_MS}.
 */
export async function markInterruptedRuns(db: Database, source: string): Promise<void> {
  const embedded = databaseKind(db) === 'pglite';
  await db
    .update(ingestRuns)
    .set({
      status: 'failed',
      finishedAt: sql`${ingestRuns.updatedAt}`,
      errors: sql`${ingestRuns.errors} || ${JSON.stringify([{ path: '', line: null, message: 'interrupted (the process stopped before the run finished)' }])}::jsonb`,
    })
    .where(
      and(
        eq(ingestRuns.source, source),
        eq(ingestRuns.status, 'running'),
        embedded ? undefined : lt(ingestRuns.updatedAt, new Date(Date.now() - STALE_RUN_MS)),
      ),
    );
}
