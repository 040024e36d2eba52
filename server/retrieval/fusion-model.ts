/**
 * Fusion weights fitted by `npm run eval:fit -- --write` (eval/fit-fusion.ts) on the tuning sets
 * (hono-dev, hono-tune, docent, fastify, pino): 23524 candidates of 244 questions. Do not edit by hand.
 */
import type { FusionModel } from './fusion';

export const FUSION_MODEL: FusionModel = {
  "section": {
    "bias": -9.749,
    "weights": {
      "bm25": 0,
      "bm25Rel": 4.575,
      "coverage": 1.83,
      "heading": 1.83,
      "cosine": 4.575,
      "cosineRel": 0,
      "path": 0,
      "page": 0.457,
      "missing": 0,
      "unknown": 0,
      "bestCoverage": 0,
      "unknownName": 0,
      "defines": 1.83
    }
  },
  "question": {
    "bias": 3.738,
    "weights": {
      "topLogit": 1.411,
      "margin": 0.355,
      "topCosine": -0.493,
      "topCoverage": -0.255,
      "unknown": -2.085,
      "unknownName": -2.529
    }
  }
};
