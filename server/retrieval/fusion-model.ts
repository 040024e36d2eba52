/**
 * Fusion weights fitted by `npm run eval:fit -- --write` (eval/fit-fusion.ts) on the tuning sets
 * (hono-dev, hono-tune, docent, fastify, pino): 23526 candidates of 244 questions. Do not edit by hand.
 */
import type { FusionModel } from './fusion';

export const FUSION_MODEL: FusionModel = {
  "section": {
    "bias": -9.75,
    "weights": {
      "bm25": 0,
      "bm25Rel": 4.576,
      "coverage": 1.83,
      "heading": 1.83,
      "cosine": 4.576,
      "cosineRel": 0,
      "path": 0,
      "page": 0.458,
      "missing": 0,
      "unknown": 0,
      "bestCoverage": 0,
      "unknownName": 0,
      "defines": 1.83
    }
  },
  "question": {
    "bias": 3.766,
    "weights": {
      "topLogit": 1.421,
      "margin": 0.355,
      "topCosine": -0.521,
      "topCoverage": -0.256,
      "unknown": -2.131,
      "unknownName": -2.514
    }
  }
};
