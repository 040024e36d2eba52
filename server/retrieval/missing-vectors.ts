/**
 * Candidates with no vector comparable to the question's: while an index is re-embedded with
 * another model (a model switch, page by page), some chunks still hold the old model's vectors,
 * which cannot be compared with the question's. Counting them as cosine 0 ranks every page
 * already re-embedded above better matches that are not yet (measured on Docent's own docs with
 * half the pages re-embedded: 21 of 41 answerable questions answered instead of 38). They get the
 * mean cosine of the candidates that have a comparable vector instead: no evidence either way, so
 * their words decide. An index of one model (the normal case) has no such candidate and is
 * ranked exactly as before; with no comparable candidate at all, nothing changes either.
 */

/**
 * The cosine feature of each candidate: its own when it has one (`number`), else (`null`: its
 * chunk was embedded with another model) the mean of those that have one (0 when none has).
 */
export function cosinesWithMissingFilled(cosines: readonly (number | null)[]): number[] {
  const known = cosines.filter((c): c is number => c !== null);
  if (known.length === cosines.length) return [...(known as number[])];
  const mean = known.length ? known.reduce((sum, c) => sum + c, 0) / known.length : 0;
  return cosines.map((c) => c ?? mean);
}
