/**
 * Candidates with no vector comparable to the question's: while an index is re-embedded with
 * another model (a model switch, page by page), some chunks still hold the old model's vectors,
 * which cannot be compared with the question's. Counting them as cosine 0 ranks every page
 * already re-embedded above better matches that are not yet (measured on Docent's own docs with
 * half the pages re-embedded: 21 of 41 answerable questions answered instead of 38). They get the
 * mean cosine of the candidates that have a comparable vector instead: no evidence either way, so
 * their words decide. An index of one model (the normal case) has no such candidate and is
 * ranked exactly as before.
 *
 * When no candidate has a comparable vector (the server's model matches no chunk found: the
 * model was changed and nothing re-embedded yet), there is no mean to take: each gets
 * {@link TYPICAL_CANDIDATE_COSINE} (the mean cosine of a candidate on the fusion model's tuning
 * questions, measured and written beside the weights by `npm run eval:fit`), so that words
 * decide and the scores stay on the scale the threshold is set for. Counted as 0, every score fell far below it: on Docent's own docs 13 of
 * 41 answerable questions were answered instead of 38.
 */

import { TYPICAL_CANDIDATE_COSINE } from './fusion-model';

/**
 * The cosine feature of each candidate: its own when it has one (`number`), else (`null`: its
 * chunk was embedded with another model) the mean of those that have one, or
 * {@link TYPICAL_CANDIDATE_COSINE} when none has.
 */
export function cosinesWithMissingFilled(cosines: readonly (number | null)[]): number[] {
  const known = cosines.filter((c): c is number => c !== null);
  if (known.length === cosines.length) return [...(known as number[])];
  const mean = known.length ? known.reduce((sum, c) => sum + c, 0) / known.length : TYPICAL_CANDIDATE_COSINE;
  return cosines.map((c) => c ?? mean);
}
