/**
 * Fusion weights fitted by `npm run eval:fit -- --write` (eval/fit-fusion.ts) on the tuning sets
 * (hono-dev, hono-tune, docent): 12667 candidates of 135 questions. Do not edit by hand.
 */
import type { FusionModel } from './fusion';

export const FUSION_MODEL: FusionModel = {
  "section": {
    "bias": -10.293,
    "weights": {
      "bm25": 0,
      "bm25Rel": 4.807,
      "coverage": 1.923,
      "heading": 1.923,
      "cosine": 4.807,
      "cosineRel": 0,
      "path": 0,
      "page": 0.481,
      "missing": 0,
      "unknown": 0,
      "bestCoverage": 0,
      "unknownName": 0,
      "defines": 1.923
    }
  },
  "question": {
    "bias": 8.298,
    "weights": {
      "topLogit": 2.987,
      "margin": 0.535,
      "topCosine": -0.746,
      "topCoverage": -2.137,
      "unknown": -2.713,
      "unknownName": -3.129
    }
  }
};
