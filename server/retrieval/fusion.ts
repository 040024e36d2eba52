/**
 * Calibrated fusion: the features of one candidate (lexical, vector and document-structure
 * evidence, each scaled to about 0–1) and the logistic model that turns them into the final
 * score, an estimate of the probability that the section answers the question.
 *
 * The weights are fitted by `npm run eval:fit` (eval/fit-fusion.ts) on the tuning question sets
 * only (hono-dev, hono-tune, docent); held-out sets are never used. Refit after changing a feature.
 */
import { FUSION_MODEL } from './fusion-model';

export interface FusionFeatures {
  /** BM25 / the largest BM25 a chunk could reach for this question (0–1). */
  bm25: number;
  /** BM25 / the best BM25 among this question's candidates (0–1). */
  bm25Rel: number;
  /** IDF-weighted share of the question's terms the chunk contains (unknown words count against it). */
  coverage: number;
  /** IDF-weighted share of the question's terms found in the heading breadcrumb (page title included). */
  heading: number;
  /** Cosine similarity of the chunk's and the question's embeddings. */
  cosine: number;
  /** Cosine minus the best cosine among this question's candidates (≤ 0). */
  cosineRel: number;
  /** Share of the question's terms found in the page's path (picks the page a question names among near-duplicates). */
  path: number;
  /** Best `bm25Rel` of another section of the same page (evidence that the page is about the question). */
  page: number;
}

export const FEATURE_NAMES = ['bm25', 'bm25Rel', 'coverage', 'heading', 'cosine', 'cosineRel', 'path', 'page'] as const satisfies readonly (keyof FusionFeatures)[];

export interface FusionModel {
  bias: number;
  weights: Record<keyof FusionFeatures, number>;
}

export function logit(features: FusionFeatures, model: FusionModel = FUSION_MODEL): number {
  let z = model.bias;
  for (const name of FEATURE_NAMES) z += model.weights[name] * features[name];
  return z;
}

/** The calibrated 0–1 score. */
export function fusedScore(features: FusionFeatures, model: FusionModel = FUSION_MODEL): number {
  return 1 / (1 + Math.exp(-logit(features, model)));
}
