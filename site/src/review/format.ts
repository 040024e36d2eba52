/** How the review page words its numbers and dates, one rule for the cards, the table and the charts. */

/**
 * A change made this long after the feedback was first given marks it "edited". Readers often give
 * a thumb, then stars, then a comment within a minute or two: that is one verdict, not an edit.
 */
export const EDITED_AFTER_MS = 5 * 60_000;

/** `iso` in the reader's locale and time zone ("Nov 19, 2026, 7:30 PM"), or `iso` itself when it is no date. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });
}

/** The share of thumbs up as a whole percentage ("65%"), or `'–'` without votes. Computed from the counts, never from a rounded rate. */
export function positivePercent(up: number, down: number): string {
  return up + down === 0 ? '–' : `${Math.round((up / (up + down)) * 100)}%`;
}

/** Whether the reader changed the feedback well after first giving it. */
export function wasEdited(item: { createdAt: string; updatedAt: string }): boolean {
  return Date.parse(item.updatedAt) - Date.parse(item.createdAt) > EDITED_AFTER_MS;
}

/**
 * What the review page says about an answer's citations that match none of its sources (`[9]`
 * with five sources: the model made a number up), or `undefined` when every citation matches.
 */
export function inventedCitationsNote(citations: { invalid: number[] } | null): string | undefined {
  const invalid = citations?.invalid ?? [];
  if (invalid.length === 0) return undefined;
  const listed = invalid.map((n) => `[${n}]`);
  const names = listed.length === 1 ? listed[0] : `${listed.slice(0, -1).join(', ')} and ${listed.at(-1)}`;
  return listed.length === 1 ? `The answer cites ${names}, which is not one of its sources.` : `The answer cites ${names}, which are not among its sources.`;
}

/**
 * The small print under "Answers given" (answers readers can rate): the share of them rated, when
 * `withShare` (no vote, stars or comment filter, which answers have none of), and how many answers
 * failed part-way besides, which cannot be rated. Ratings that failed answers got before that
 * (`ratedFailed`) are not in the share: the share is of rateable answers only.
 */
export function answersGivenDetail(
  totals: { feedback: number; answers: number; failedAnswers: number; ratedFailed: number },
  withShare: boolean,
): string | undefined {
  const parts: string[] = [];
  if (withShare && totals.answers > 0) parts.push(`${Math.round(((totals.feedback - totals.ratedFailed) / totals.answers) * 100)}% rated`);
  if (totals.failedAnswers > 0) parts.push(`${totals.failedAnswers} more failed part-way (not rateable)`);
  return parts.length ? parts.join(' · ') : undefined;
}

/** The small print under "Rated answers": how many of them are of answers that failed part-way (rated before such answers stopped being rateable). */
export function ratedAnswersDetail(totals: { ratedFailed: number }): string | undefined {
  return totals.ratedFailed > 0 ? `${totals.ratedFailed} of them failed part-way` : undefined;
}

/**
 * The line about questions refused before any answer began (not stored, so in no other figure):
 * how many since the server started, and why.
 */
export function refusedQuestionsNote(refused: { since: string; indexBuilding: number; tooLong: number; rateLimited: number }): string {
  const since = `since the server started (${formatDate(refused.since)})`;
  const total = refused.indexBuilding + refused.tooLong + refused.rateLimited;
  if (total === 0) return `No question refused ${since}.`;
  const reasons = [
    [refused.rateLimited, 'over a rate limit'],
    [refused.indexBuilding, 'while the index was being built'],
    [refused.tooLong, 'too long'],
  ] as const;
  const why = reasons.filter(([n]) => n > 0).map(([n, reason]) => `${n} ${reason}`).join(', ');
  return `${total} ${total === 1 ? 'question' : 'questions'} refused before any answer ${since}: ${why}. Refused questions are not stored.`;
}
