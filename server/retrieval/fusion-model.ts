/** Fusion weights: hand-set placeholder until fitted by `npm run eval:fit`. */
import type { FusionModel } from './fusion';

export const FUSION_MODEL: FusionModel = {
  bias: -5,
  weights: { bm25: 2, bm25Rel: 2, coverage: 2, heading: 1, cosine: 3, cosineRel: 2, path: 0.5, page: 0.5 },
};
