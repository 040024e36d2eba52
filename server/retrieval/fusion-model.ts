/**
 * Fusion weights fitted by `npm run eval:fit -- --write` (eval/fit-fusion.ts) on the tuning sets
 * (hono-dev, hono-tune, docent): 11544 candidates of 121 questions. Do not edit by hand.
 */
import type { FusionModel } from './fusion';

export const FUSION_MODEL: FusionModel = {
  "section": {
    "bias": -11.34,
    "weights": {
      "bm25": 0,
      "bm25Rel": 5.105,
      "coverage": 3.063,
      "heading": 2.042,
      "cosine": 5.105,
      "cosineRel": 0,
      "path": 0,
      "page": 1.021,
      "missing": 0,
      "unknown": 0,
      "bestCoverage": 0
    }
  },
  "question": {
    "bias": 6.896,
    "weights": {
      "topLogit": 2.39,
      "margin": 0.019,
      "topCosine": -3.171,
      "topCoverage": 0.186,
      "unknown": -2.827
    }
  }
};
