/**
 * Fusion weights fitted by `npm run eval:fit -- --write` (eval/fit-fusion.ts) on the tuning sets
 * (hono-dev, hono-tune, docent, fastify, pino): 23527 candidates of 244 questions. Do not edit by hand.
 */
import type { FusionModel } from './fusion';

export const FUSION_MODEL: FusionModel = {
  "section": {
    "bias": -9.765,
    "weights": {
      "bm25": 0,
      "bm25Rel": 4.587,
      "coverage": 1.835,
      "heading": 1.835,
      "cosine": 4.587,
      "cosineRel": 0,
      "path": 0,
      "page": 0.459,
      "missing": 0,
      "unknown": 0,
      "bestCoverage": 0,
      "unknownName": 0,
      "defines": 1.835
    }
  },
  "question": {
    "bias": 3.783,
    "weights": {
      "topLogit": 1.427,
      "margin": 0.361,
      "topCosine": -0.519,
      "topCoverage": -0.278,
      "unknown": -2.271,
      "unknownName": -2.479
    }
  }
};

/**
 * The mean cosine of a question's candidates on the same tuning sets and model (each question's
 * mean, then their mean; eval/typical-cosine.ts): the cosine a candidate has when nothing is known
 * of it (server/retrieval/missing-vectors.ts). Measured by the same fit. Do not edit by hand.
 */
export const TYPICAL_CANDIDATE_COSINE = 0.51;
