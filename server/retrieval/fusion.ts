/**
 * Calibrated fusion, in two fitted logistic models:
 *
 * 1. **Section model**: the features of one candidate (lexical, vector and document-structure
 *    evidence, each scaled to about 0–1) → the probability that this section is one the answer
 *    is in. It ranks the candidates.
 * 2. **Question model**: features of the ranking as a whole (how sure the best section is, its
 *    lead over the next one, how much of the question the docs know at all, whether it names
 *    something the docs never mention) → the probability that the docs answer the question.
 *
 * A source's final score is `answerable × (section probability / best section probability)^0.25`:
 * the best source scores the probability that the docs answer the question, and the others less
 * as the ranking trusts them less. `minScore` therefore reads as "answer only when at least this
 * likely to be answerable from these sources".
 *
 * Both models are fitted by `npm run eval:fit` (eval/fit-fusion.ts) on the tuning question sets
 * only (hono-dev, hono-tune, docent, fastify, pino); held-out sets are never used. Refit after changing a feature.
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
  /** Largest IDF among the question's terms the chunk lacks, over the largest IDF possible (0: it lacks none). */
  missing: number;
  /** IDF-weighted share of the question's terms the index does not contain at all (same for every candidate). */
  unknown: number;
  /** Best `coverage` among the question's candidates (same for every candidate): how much of the question the docs speak about. */
  bestCoverage: number;
  /** 1 when a word the question writes as a name ("Kafka", "gRPC") is unknown to the index, else 0 (same for every candidate). */
  unknownName: number;
  /** 1 when the question asks what something is and this section introduces it (`definitions.ts`), else 0. */
  defines: number;
}

export const FEATURE_NAMES = ['bm25', 'bm25Rel', 'coverage', 'heading', 'cosine', 'cosineRel', 'path', 'page', 'missing', 'unknown', 'bestCoverage', 'unknownName', 'defines'] as const satisfies readonly (keyof FusionFeatures)[];

/** Features of a whole ranking, for the question model. */
export interface QuestionFeatures {
  /** Section-model logit of the best candidate. */
  topLogit: number;
  /** Its lead over the second candidate, in logits (0 with one candidate). */
  margin: number;
  /** Cosine similarity of the best candidate. */
  topCosine: number;
  /** `coverage` of the best candidate. */
  topCoverage: number;
  /** `unknown` of the question. */
  unknown: number;
  /** `unknownName` of the question: it names something the docs never mention. */
  unknownName: number;
}

export const QUESTION_FEATURE_NAMES = ['topLogit', 'margin', 'topCosine', 'topCoverage', 'unknown', 'unknownName'] as const satisfies readonly (keyof QuestionFeatures)[];

export interface LogisticModel<K extends string> {
  bias: number;
  weights: Record<K, number>;
}

export interface FusionModel {
  section: LogisticModel<keyof FusionFeatures>;
  question: LogisticModel<keyof QuestionFeatures>;
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export function linear<K extends string>(model: LogisticModel<K>, features: Record<K, number>, names: readonly K[]): number {
  let z = model.bias;
  for (const name of names) z += model.weights[name] * features[name];
  return z;
}

/** Section-model logit of one candidate. */
export function sectionLogit(features: FusionFeatures, model: FusionModel = FUSION_MODEL): number {
  return linear(model.section, features, FEATURE_NAMES);
}

/** Question features from the section-model logits of the ranking (best first) and the best candidate's features. */
export function questionFeatures(logits: readonly number[], top: FusionFeatures): QuestionFeatures {
  return {
    topLogit: logits[0] ?? 0,
    margin: logits.length > 1 ? logits[0]! - logits[1]! : 0,
    topCosine: top.cosine,
    topCoverage: top.coverage,
    unknown: top.unknown,
    unknownName: top.unknownName,
  };
}

/** Probability that the docs answer the question. */
export function answerableProbability(features: QuestionFeatures, model: FusionModel = FUSION_MODEL): number {
  return sigmoid(linear(model.question, features, QUESTION_FEATURE_NAMES));
}

/**
 * Exponent on a source's probability relative to the best source. 0.5 (a square root) cut
 * clearly relevant second sources (a section answering the other half of a two-part question
 * scored ~0.3); 0.25 keeps them while unrelated sections still fall far below the threshold.
 */
export const RELATIVE_EXPONENT = 0.25;

/**
 * Final 0–1 scores for candidates already sorted by section logit (best first):
 * `answerable × (p / p_best) ^ RELATIVE_EXPONENT`.
 */
export function fusedScores(candidates: readonly FusionFeatures[], model: FusionModel = FUSION_MODEL, exponent = RELATIVE_EXPONENT): number[] {
  if (candidates.length === 0) return [];
  const logits = candidates.map((f) => sectionLogit(f, model));
  const answerable = answerableProbability(questionFeatures(logits, candidates[0]!), model);
  const best = sigmoid(logits[0]!);
  return logits.map((z) => answerable * (sigmoid(z) / best) ** exponent);
}
