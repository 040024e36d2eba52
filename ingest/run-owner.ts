/**
 * Who runs an ingest run: the process recorded as its owner (in the run's `options.owner`), and
 * whether that process is known for sure to be gone. A run waiting on a shared Postgres for
 * another run of its source uses this to take a run whose process was killed (kill -9, out of
 * memory, a container replaced) for dead at once, when that process was on this machine: its pid
 * no longer exists, or is now another process (a different start time). A process on another
 * machine cannot be checked: such a run is judged by its heartbeat only (`run-claim.ts`).
 *
 * "This machine" is the same host name, boot and pid namespace (Linux: `/proc`), so two containers
 * that share a host name but not their processes never judge each other's pids.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/** The process that runs an ingest run, as recorded in `ingest_runs.options.owner`. */
export interface RunOwner {
  /** Host name of the machine (or container). */
  host: string;
  pid: number;
  /** When the process started (ISO 8601, to the second), for people. */
  started: string;
  /** Boot and pid namespace of the machine (Linux only): pids are comparable only within one. */
  machine?: string;
  /** The process's start time in clock ticks since boot (Linux only): tells a reused pid from the owner. */
  startTicks?: number;
}

/** What is known of a run's owner: `alive` (checked on this machine), `gone` (for sure) or `unknown` (another machine, or not recorded). */
export type OwnerState = 'alive' | 'gone' | 'unknown';

/** The process-wide set of runs this process is running (shared by every copy of this module). */
const liveRuns: Set<string> = ((globalThis as Record<symbol, unknown>)[Symbol.for('docent.ingest.liveRuns')] ??= new Set<string>()) as Set<string>;

let self: RunOwner | undefined;

/** The start time of process `pid` in clock ticks since boot, from `/proc` (undefined where there is none, or no such process). */
function startTicksOf(pid: number | 'self'): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (command) state ppid …": the command may hold spaces and parentheses; starttime is field 22.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isSafeInteger(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

/** This machine's boot and pid namespace (Linux), or undefined. */
function machineId(): string | undefined {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return `${boot} ${readlinkSync('/proc/self/ns/pid')}`;
  } catch {
    return undefined;
  }
}

/** This process, as the owner of the runs it claims. */
export function currentRunOwner(): RunOwner {
  self ??= {
    host: hostname(),
    pid: process.pid,
    started: new Date(Date.now() - process.uptime() * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
    ...optional('machine', machineId()),
    ...optional('startTicks', startTicksOf('self')),
  };
  return self;
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** `value` as a {@link RunOwner} when it is one (an `options.owner` read back), else undefined (a run of an older Docent). */
export function asRunOwner(value: unknown): RunOwner | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Record<string, unknown>;
  if (typeof o.host !== 'string' || !Number.isSafeInteger(o.pid) || typeof o.started !== 'string') return undefined;
  return {
    host: o.host,
    pid: o.pid as number,
    started: o.started,
    ...optional('machine', typeof o.machine === 'string' ? o.machine : undefined),
    ...optional('startTicks', Number.isSafeInteger(o.startTicks) ? (o.startTicks as number) : undefined),
  };
}

/** Records that this process runs the run `id` (claimed, not over yet). */
export function holdRun(id: string): void {
  liveRuns.add(id);
}

/** Records that this process no longer runs the run `id`. */
export function releaseRun(id: string): void {
  liveRuns.delete(id);
}

/** Whether the process `pid` exists (on this machine). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user's.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * What is known of the process running the run `runId`, recorded as `owner`: `gone` when it was
 * on this machine and its pid no longer exists or is another process now (or it is this process,
 * which no longer runs it), `alive` when it is that process and it runs, `unknown` otherwise.
 */
export function ownerState(owner: RunOwner | undefined, runId: string): OwnerState {
  if (!owner) return 'unknown';
  const me = currentRunOwner();
  if (owner.host !== me.host || owner.machine !== me.machine) return 'unknown';
  if (owner.pid === me.pid && owner.startTicks === me.startTicks) return liveRuns.has(runId) ? 'alive' : 'gone';
  if (!processExists(owner.pid)) return 'gone';
  if (owner.startTicks === undefined) return 'alive';
  const ticks = startTicksOf(owner.pid);
  if (ticks === undefined) return processExists(owner.pid) ? 'alive' : 'gone';
  return ticks === owner.startTicks ? 'alive' : 'gone';
}

/** The owner for people: "process 4242 on this host", "process 4242 on host web-1", or "a process of an older Docent (not recorded)". */
export function describeOwner(owner: RunOwner | undefined): string {
  if (!owner) return 'a process that did not record itself (an older Docent)';
  const me = currentRunOwner();
  const here = owner.host === me.host && owner.machine === me.machine;
  return `process ${owner.pid} on ${here ? 'this host' : `host ${owner.host}`}`;
}
