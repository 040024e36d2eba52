/**
 * Fusion weights fitted by `npm run eval:fit -- --write` (eval/fit-fusion.ts) on the tuning sets
 * (hono-dev, hono-tune, docent): 12694 candidates of 135 questions. Do not edit by hand.
 */
import type { FusionModel } from './fusion';

export const FUSION_MODEL: FusionModel = {
  "section": {
    "bias": -10.341,
    "weights": {
      "bm25": 0,
      "bm25Rel": 4.835,
      "coverage": 1.934,
      "heading": 1.934,
      "cosine": 4.835,
      "cosineRel": 0,
      "path": 0,
      "page": 0.483,
      "missing": 0,
      "unknown": 0,
      "bestCoverage": 0,
      "unknownName": 0,
      "defines": 1.934
    }
  },
  "question": {
    "bias": 6.004,
    "weights": {
      "topLogit": 2.181,
      "margin": 0.411,
      "topCosine": -0.128,
      "topCoverage": -1.927,
      "unknown": -2.27,
      "unknownName": -2.244
    }
  }
};
