/**
 * Durations as people read them, in log lines and messages: "40 ms", "20 s", "90 s", "2 min",
 * "4 min 48 s". One format for every wait Docent tells of (rate limits, the ingest on start's
 * retries, waiting for another ingest run).
 */

export interface DurationFormat {
  /** How a part second is rounded: `up` (default: a wait is never said shorter than it is), `down`, or `nearest`. */
  round?: 'up' | 'down' | 'nearest';
  /** From this many seconds on, minutes and seconds ("2 min 30 s"); below it, seconds ("90 s"). Default 60. */
  minutesFrom?: number;
  /** Under a second, said in ms ("40 ms") rather than rounded to seconds. Default false. */
  milliseconds?: boolean;
}

const ROUNDING = { up: Math.ceil, down: Math.floor, nearest: Math.round } as const;

/** `ms` for people: "40 ms" (with `milliseconds`), "20 s", "1 min", "4 min 48 s". A negative duration is "0 s". */
export function formatDuration(ms: number, format: DurationFormat = {}): string {
  const duration = Math.max(0, ms);
  if (format.milliseconds && duration < 1_000) return `${Math.round(duration)} ms`;
  const s = ROUNDING[format.round ?? 'up'](duration / 1000);
  if (s < (format.minutesFrom ?? 60)) return `${s} s`;
  const min = Math.floor(s / 60);
  return s % 60 ? `${min} min ${s % 60} s` : `${min} min`;
}
