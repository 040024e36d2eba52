/**
 * Fusion weights fitted by `npm run eval:fit -- --write` (eval/fit-fusion.ts) on the tuning sets
 * (hono-dev, hono-tune, docent): 11522 candidates of 121 questions. Do not edit by hand.
 */
import type { FusionModel } from './fusion';

export const FUSION_MODEL: FusionModel = {
  "section": {
    "bias": -11.513,
    "weights": {
      "bm25": 0,
      "bm25Rel": 5.67,
      "coverage": 2.268,
      "heading": 2.268,
      "cosine": 5.67,
      "cosineRel": 0,
      "path": 0,
      "page": 0.567,
      "missing": 0,
      "unknown": 0,
      "bestCoverage": 0,
      "unknownName": 0
    }
  },
  "question": {
    "bias": 6.618,
    "weights": {
      "topLogit": 2.454,
      "margin": 0.133,
      "topCosine": -2.478,
      "topCoverage": -0.368,
      "unknown": -2.1,
      "unknownName": -2.445
    }
  }
};
