/**
 * The text of server/retrieval/fusion-model.ts as `npm run eval:fit -- --write` writes it: the
 * fitted fusion model and the typical candidate cosine, both measured on the tuning sets.
 */
import type { FusionModel } from '../server/retrieval/fusion';

/** What one fit measured, to be written to server/retrieval/fusion-model.ts. */
export interface FittedFusion {
  /** The section and question models. */
  model: FusionModel;
  /** The mean cosine of a question's candidates (`meanCandidateCosine`), rounded to 3 decimals when written. */
  typicalCandidateCosine: number;
  /** How many candidates the fit saw. */
  candidates: number;
  /** How many questions the fit saw. */
  questions: number;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The TypeScript module holding a fit: `FUSION_MODEL` and `TYPICAL_CANDIDATE_COSINE`, with a
 * header that says where they come from.
 */
export function fusionModelSource(fit: FittedFusion): string {
  return `/**
 * Fusion weights fitted by \`npm run eval:fit -- --write\` (eval/fit-fusion.ts) on the tuning sets
 * (hono-dev, hono-tune, docent, fastify, pino): ${fit.candidates} candidates of ${fit.questions} questions. Do not edit by hand.
 */
import type { FusionModel } from './fusion';

export const FUSION_MODEL: FusionModel = ${JSON.stringify(fit.model, null, 2)};

/**
 * The mean cosine of a question's candidates on the same tuning sets and model (each question's
 * mean, then their mean; eval/typical-cosine.ts): the cosine a candidate has when nothing is known
 * of it (server/retrieval/missing-vectors.ts). Measured by the same fit. Do not edit by hand.
 */
export const TYPICAL_CANDIDATE_COSINE = ${round(fit.typicalCandidateCosine)};
`;
}
