/**
 * Fusion weights fitted by `npm run eval:fit -- --write` (eval/fit-fusion.ts) on the tuning sets
 * (hono-dev, hono-tune, docent): 11544 candidates of 121 questions. Do not edit by hand.
 */
import type { FusionModel } from './fusion';

export const FUSION_MODEL: FusionModel = {
  "section": {
    "bias": -11.808,
    "weights": {
      "bm25": 2.066,
      "bm25Rel": 5.834,
      "coverage": 2.199,
      "heading": 0.592,
      "cosine": 2.04,
      "cosineRel": 9.404,
      "path": -1.228,
      "page": 1.557,
      "missing": 3.193,
      "unknown": -3.604,
      "bestCoverage": 0.222
    }
  },
  "question": {
    "bias": 2.051,
    "weights": {
      "topLogit": 1.626,
      "margin": -0.329,
      "topCosine": 0.899,
      "topCoverage": 2.573,
      "unknown": -2.399
    }
  }
};
