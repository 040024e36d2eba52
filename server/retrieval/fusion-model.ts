/**
 * Fusion weights fitted by `npm run eval:fit -- --write` (eval/fit-fusion.ts) on the tuning sets
 * (hono-dev, hono-tune, docent, fastify, pino): 23516 candidates of 244 questions. Do not edit by hand.
 */
import type { FusionModel } from './fusion';

export const FUSION_MODEL: FusionModel = {
  "section": {
    "bias": -9.773,
    "weights": {
      "bm25": 0,
      "bm25Rel": 4.589,
      "coverage": 1.836,
      "heading": 1.836,
      "cosine": 4.589,
      "cosineRel": 0,
      "path": 0,
      "page": 0.459,
      "missing": 0,
      "unknown": 0,
      "bestCoverage": 0,
      "unknownName": 0,
      "defines": 1.836
    }
  },
  "question": {
    "bias": 3.851,
    "weights": {
      "topLogit": 1.427,
      "margin": 0.343,
      "topCosine": -0.575,
      "topCoverage": -0.389,
      "unknown": -2.039,
      "unknownName": -2.538
    }
  }
};
