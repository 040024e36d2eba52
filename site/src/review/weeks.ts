/** The weekly series behind the review charts, as a continuous run of weeks. */
import type { WeeklyStats } from './types';

const DAY_MS = 86_400_000;
/** Longest run of weeks a chart draws (ten years): a stray old date must not make it draw thousands of bars. */
export const MAX_WEEKS = 520;

/**
 * `weekly` (the weeks that have feedback, each keyed by its Monday, `YYYY-MM-DD`) with every
 * missing week between the first and the last filled in as an empty week, so that a chart spaces
 * weeks by time and shows a gap where nobody rated anything. Oldest first. Weeks that are not
 * Mondays (an older server) are kept as they are. Beyond {@link MAX_WEEKS}, the most recent are kept.
 */
export function fillWeekGaps(weekly: readonly WeeklyStats[]): WeeklyStats[] {
  const byWeek = new Map(weekly.map((w) => [w.week, w]));
  const times = weekly.map((w) => Date.parse(`${w.week}T00:00:00Z`));
  if (times.length === 0 || times.some((t) => Number.isNaN(t) || new Date(t).getUTCDay() !== 1)) return [...weekly].sort((a, b) => a.week.localeCompare(b.week));
  const last = Math.max(...times);
  const first = Math.max(Math.min(...times), last - (MAX_WEEKS - 1) * 7 * DAY_MS);
  const weeks: WeeklyStats[] = [];
  for (let t = first; t <= last; t += 7 * DAY_MS) {
    const week = new Date(t).toISOString().slice(0, 10);
    weeks.push(byWeek.get(week) ?? { week, feedback: 0, up: 0, down: 0, positiveRate: null, averageRating: null });
  }
  return weeks;
}
