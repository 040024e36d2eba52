/**
 * TEMP stub: the naive baseline is built on branch `baselines` (wt-baselines); this file only
 * lets `eval --compare` compile and run until that branch is merged. Drop this commit then.
 */
import type { EmbeddingProvider } from '../../server/embed/provider';

export interface NaiveBaselineOptions {
  /** Docs folder (same as eval --content). */ contentDir: string;
  /** Same embedder as the main pipeline. */ embedder: EmbeddingProvider;
  questions: { id: string; question: string }[];
  /** Results per question. Default 10. */ k?: number;
}
export interface NaiveRankedChunk { path: string; headings: string[]; score: number; text: string }
export interface NaiveBaselineResult { id: string; results: NaiveRankedChunk[]; latencyMs: number }

export async function runNaiveBaseline(options: NaiveBaselineOptions): Promise<NaiveBaselineResult[]> {
  return options.questions.map((q) => ({ id: q.id, results: [], latencyMs: 0 }));
}
