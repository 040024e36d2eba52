/**
 * The cosine a candidate has when nothing is known of it, measured on the tuning questions:
 * `npm run eval:fit` writes it beside the fusion weights (`TYPICAL_CANDIDATE_COSINE` in
 * server/retrieval/fusion-model.ts), and ranking gives it to candidates that have no comparable
 * vector at all (server/retrieval/missing-vectors.ts).
 */

/**
 * The mean cosine of a question's candidates over many questions: each question's mean, then the
 * mean of those, so that a question with many candidates weighs as much as one with few. Questions
 * without candidates are left out; `undefined` when no question has one.
 *
 * @param cosinesPerQuestion the cosine of each candidate of each question (a `FusionFeatures.cosine`).
 */
export function meanCandidateCosine(cosinesPerQuestion: readonly (readonly number[])[]): number | undefined {
  const means = cosinesPerQuestion.filter((cosines) => cosines.length > 0).map((cosines) => cosines.reduce((sum, c) => sum + c, 0) / cosines.length);
  return means.length ? means.reduce((sum, m) => sum + m, 0) / means.length : undefined;
}
