/**
 * Claiming an ingest run of a source in `ingest_runs`, so that two processes never ingest one
 * source at once: each would compare the folder with the index as it was before either wrote, and
 * both reported every new page as added (their writes, serialised per document, lost nothing, but
 * the second run's summary was untrue). A run is claimed under a transaction-level advisory lock
 * of its source: of two runs starting together exactly one records itself `running`, and the other
 * waits until that run is over (its record is no longer `running`, or its process died), then
 * compares with the index the first one wrote. A run records its process (`options.owner`,
 * `run-owner.ts`): a run whose process was on this machine and is gone is taken for dead at once;
 * any other is taken for dead once not heard from for {@link STALE_RUN_MS}. A claimed run's
 * record is touched every {@link HEARTBEAT_MS} (`keepRunAlive`), so a long embedding without
 * writes does not make it look dead.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import { type Database, databaseKind } from '../server/db/open';
import { ingestRuns } from '../server/db/schema';
import { formatDuration } from '../server/format-duration';
import { asRunOwner, currentRunOwner, describeOwner, holdRun, type OwnerState, ownerState, releaseRun, type RunOwner } from './run-owner';

/** A run still "running" that has not been heard from for this long was interrupted (its process died). */
export const STALE_RUN_MS = 5 * 60_000;

/** How often a run touches its record while it goes on. */
export const HEARTBEAT_MS = 30_000;

/** How often a run waiting for another one looks again. */
const WAIT_POLL_MS = 500;

export interface ClaimRunOptions {
  /** Stops the wait (the claim then throws the signal's reason). */
  signal?: AbortSignal;
  /**
   * Called when the run has to wait for another one (once per run waited for), with a line for the
   * person running it: whose run it is, and how long at most it is waited for if its process died.
   */
  onWait?: (message: string) => void;
}

/**
 * Records a run of `source` as `running` once no other live run of that source is, waiting for it
 * meanwhile; returns the new run's id. `values` gives the run's row of `ingest_runs`, read in the
 * claiming transaction (`tx`), after the run waited for is over; this process is added to its
 * `options` as `owner`. Runs of the source left `running` by a process that died are marked
 * `failed` first ({@link markInterruptedRuns}). Call {@link keepRunAlive} with the id at once.
 */
export async function claimIngestRun(
  db: Database,
  source: string,
  values: (tx: Database) => Promise<typeof ingestRuns.$inferInsert>,
  options: ClaimRunOptions = {},
): Promise<string> {
  let waitedFor: string | undefined;
  for (;;) {
    options.signal?.throwIfAborted();
    await markInterruptedRuns(db, source);
    let held: string | undefined;
    const claim = await db
      .transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`docent:ingest-run\n${source}`}, 0))`);
        const [other] = await tx
          .select({ id: ingestRuns.id, startedAt: ingestRuns.startedAt, updatedAt: ingestRuns.updatedAt, options: ingestRuns.options })
          .from(ingestRuns)
          .where(and(eq(ingestRuns.source, source), eq(ingestRuns.status, 'running'), gte(ingestRuns.updatedAt, new Date(Date.now() - STALE_RUN_MS))))
          .orderBy(asc(ingestRuns.startedAt))
          .limit(1);
        if (other) return { other };
        const row = await values(tx as unknown as Database);
        const [run] = await tx
          .insert(ingestRuns)
          .values({ ...row, options: { ...row.options, owner: currentRunOwner() } })
          .returning({ id: ingestRuns.id });
        // Known to this process before other processes can see it (at commit).
        held = run!.id;
        holdRun(held);
        return { id: run!.id };
      })
      .catch((error: unknown) => {
        if (held) releaseRun(held);
        throw error;
      });
    if (claim.id !== undefined) return claim.id;
    const other = claim.other!;
    if (waitedFor !== other.id) {
      waitedFor = other.id;
      const owner = asRunOwner(other.options.owner);
      options.onWait?.(waitMessage(source, { startedAt: other.startedAt, heardAt: new Date(other.updatedAt), owner, state: ownerState(owner, other.id) }));
    }
    await sleep(WAIT_POLL_MS, undefined, { signal: options.signal });
  }
}

/** A time for people: "2026-05-04 09:12:30 UTC". */
function utc(time: Date | string): string {
  return new Date(time).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** The run waited for, as {@link waitMessage} tells of it. */
interface WaitedRun {
  startedAt: Date | string;
  /** When its record was last touched. */
  heardAt: Date;
  owner: RunOwner | undefined;
  /** What is known of its process ({@link ownerState}). */
  state: OwnerState;
}

/** The line saying this run waits for `run`: whose run it is, and how long at most it is waited for should its process have stopped. */
function waitMessage(source: string, run: WaitedRun, now: number = Date.now()): string {
  const head = `Another ingest of source "${source}" is running (started ${utc(run.startedAt)} by ${describeOwner(run.owner)}`;
  const heard = `last heard from ${formatDuration(now - run.heardAt.getTime(), { round: 'down' })} ago`;
  const left = formatDuration(run.heardAt.getTime() + STALE_RUN_MS - now);
  if (run.state === 'alive') {
    // The process lives, but its run may not: one whose last update was lost (the database was
    // unreachable as it ended) is judged by its heartbeat like any other.
    return (
      `${head}, which is alive, ${heard}); waiting for it to finish: this run starts as soon as that run ends or its process stops, ` +
      `or in at most ${left} if that run ended without recording it (a run not heard from for ${STALE_RUN_MS / 60_000} minutes is taken for dead)…`
    );
  }
  const why = run.owner ? 'a process on another host cannot be checked from here' : 'it did not record its process';
  return (
    `${head}, ${heard}); waiting for it to finish, or at most ${left} more if its process has stopped ` +
    `(${why}: a run not heard from for ${STALE_RUN_MS / 60_000} minutes is taken for dead)…`
  );
}

/**
 * Touches the record of the run `id` every {@link HEARTBEAT_MS} until the returned function is
 * called (when the run is over), so that runs waiting for it know its process is alive.
 */
export function keepRunAlive(db: Database, id: string): () => void {
  const timer = setInterval(() => {
    db.update(ingestRuns).set({ updatedAt: new Date() }).where(and(eq(ingestRuns.id, id), eq(ingestRuns.status, 'running'))).catch(() => {});
  }, HEARTBEAT_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    releaseRun(id);
  };
}

/** The error recorded on a run whose process died. */
function interrupted(why: string) {
  return sql`${ingestRuns.errors} || ${JSON.stringify([{ path: '', line: null, message: `interrupted (${why})` }])}::jsonb`;
}

/**
 * Marks runs of `source` whose process died as failed: on the embedded database, which one
 * process owns, every run still `running` (this process runs one ingest of a source at a time);
 * on Postgres, shared by several processes, those whose process was on this machine and is gone
 * ({@link ownerState}), and those not heard from for {@link STALE_RUN_MS}.
 */
export async function markInterruptedRuns(db: Database, source: string): Promise<void> {
  const failed = { status: 'failed' as const, finishedAt: sql`${ingestRuns.updatedAt}` };
  const running = and(eq(ingestRuns.source, source), eq(ingestRuns.status, 'running'));
  if (databaseKind(db) === 'pglite') {
    await db.update(ingestRuns).set({ ...failed, errors: interrupted('the process stopped before the run finished') }).where(running);
    return;
  }
  await db
    .update(ingestRuns)
    .set({ ...failed, errors: interrupted('the process stopped before the run finished') })
    .where(and(running, lt(ingestRuns.updatedAt, new Date(Date.now() - STALE_RUN_MS))));
  const live = await db.select({ id: ingestRuns.id, options: ingestRuns.options }).from(ingestRuns).where(running);
  for (const run of live) {
    const owner = asRunOwner(run.options.owner);
    if (ownerState(owner, run.id) !== 'gone') continue;
    await db
      .update(ingestRuns)
      .set({ ...failed, errors: interrupted(`its process, ${describeOwner(owner)}, stopped before the run finished`) })
      .where(and(eq(ingestRuns.id, run.id), eq(ingestRuns.status, 'running')));
  }
}
