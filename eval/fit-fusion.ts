/**
 * `npm run eval:fit` — fits the fusion model (server/retrieval/fusion-model.ts) on the tuning
 * question sets and prints how the default threshold would behave on them.
 *
 * Tuning sets only: ../shared/eval/hono-dev.jsonl and eval/questions/hono-tune.jsonl over the
 * Hono docs, eval/questions/docent.jsonl over content/. The held-out sets (hono-fresh, ai-sdk) are
 * never read here.
 *
 * Each candidate of each question (hybrid search, before the threshold) is one example: its
 * features and whether it is a gold section. A logistic regression (L2, gradient descent) turns
 * the features into a probability, so the score reads as "chance this section answers".
 * Set `EVAL_DB_DIR` to keep the ingested corpora between runs (default `.scratch`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrateDatabase } from '../server/db/migrate';
import { openDatabase } from '../server/db/open';
import { createLocalEmbeddingProvider } from '../server/embed/local';
import { FEATURE_NAMES, type FusionFeatures, type FusionModel } from '../server/retrieval/fusion';
import { scoreCandidates } from '../server/retrieval/search';
import { dropNearDuplicates } from '../server/retrieval/dedupe';
import { DEFAULT_RETRIEVAL_SETTINGS } from '../server/retrieval/settings';
import { type EvalQuestion, isSectionHit } from './metrics';
import { readEvalQuestions } from './questions';
import { ingestCorpus } from './run';

const ROOT = join(import.meta.dirname, '..');
const TUNING = [
  { corpus: 'eval/corpora/hono', db: 'hono', questions: ['../shared/eval/hono-dev.jsonl', 'eval/questions/hono-tune.jsonl'] },
  { corpus: 'content', db: 'content', questions: ['eval/questions/docent.jsonl'] },
];

interface Example {
  x: number[];
  y: number;
  question: string;
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** Logistic regression by full-batch gradient descent, L2 on the weights (not the bias). */
export function fitLogistic(examples: readonly Example[], options: { l2?: number; steps?: number; rate?: number } = {}): { bias: number; w: number[] } {
  const l2 = options.l2 ?? 0.01;
  const steps = options.steps ?? 4000;
  const rate = options.rate ?? 0.5;
  const d = examples[0]!.x.length;
  let bias = 0;
  const w = Array<number>(d).fill(0);
  // Questions weigh the same, however many candidates they have.
  const perQuestion = new Map<string, number>();
  for (const e of examples) perQuestion.set(e.question, (perQuestion.get(e.question) ?? 0) + 1);
  const weightOf = (e: Example) => 1 / perQuestion.get(e.question)!;
  const total = examples.reduce((s, e) => s + weightOf(e), 0);
  for (let step = 0; step < steps; step++) {
    let gb = 0;
    const gw = Array<number>(d).fill(0);
    for (const e of examples) {
      let z = bias;
      for (let i = 0; i < d; i++) z += w[i]! * e.x[i]!;
      const err = (sigmoid(z) - e.y) * weightOf(e);
      gb += err;
      for (let i = 0; i < d; i++) gw[i]! += err * e.x[i]!;
    }
    bias -= (rate * gb) / total;
    for (let i = 0; i < d; i++) w[i]! -= rate * (gw[i]! / total + l2 * w[i]!);
  }
  return { bias, w };
}

async function main() {
  const dbDir = process.env.EVAL_DB_DIR ?? join(ROOT, '.scratch');
  const embedder = createLocalEmbeddingProvider();
  const examples: Example[] = [];
  const perQuestion: { set: string; q: EvalQuestion; candidates: { features: FusionFeatures; hit: boolean; headings: string[]; text: string; path: string }[] }[] = [];
  for (const t of TUNING) {
    const handle = await openDatabase(join(dbDir, t.db), { purpose: 'eval:fit' });
    await migrateDatabase(handle);
    const { source } = await ingestCorpus(handle.db, embedder, join(ROOT, t.corpus));
    for (const file of t.questions) {
      for (const q of readEvalQuestions(join(ROOT, file))) {
        const candidates = await scoreCandidates(handle.db, { query: q.question, embedder, onlySources: [source], settings: DEFAULT_RETRIEVAL_SETTINGS });
        const rows = candidates.map((c) => ({ features: c.features, hit: isSectionHit(c, q.gold), headings: c.headings, text: c.text, path: c.path }));
        perQuestion.push({ set: file, q, candidates: rows });
        for (const r of rows) examples.push({ x: FEATURE_NAMES.map((f) => r.features[f]), y: r.hit ? 1 : 0, question: `${file}#${q.id}` });
      }
    }
    await handle.close();
  }
  await embedder.close();

  const { bias, w } = fitLogistic(examples);
  const model: FusionModel = { bias: round(bias), weights: Object.fromEntries(FEATURE_NAMES.map((f, i) => [f, round(w[i]!)])) as FusionModel['weights'] };
  console.log(`${examples.length} candidates, ${examples.filter((e) => e.y).length} gold, ${perQuestion.length} questions`);
  console.log(JSON.stringify(model, null, 2));

  // How thresholds would behave (tuning data, so optimistic).
  const z = (f: FusionFeatures) => FEATURE_NAMES.reduce((s, name) => s + model.weights[name] * f[name], model.bias);
  const tops = perQuestion.map((p) => {
    const ranked = dropNearDuplicates(
      p.candidates.map((c) => ({ ...c, score: sigmoid(z(c.features)) })).sort((a, b) => b.score - a.score),
    );
    const first = ranked.slice(0, 10).findIndex((c) => c.hit);
    return { set: p.set, answerable: p.q.gold.length > 0, top: ranked[0]?.score ?? 0, rr: first >= 0 ? 1 / (first + 1) : 0, hit5: first >= 0 && first < 5 };
  });
  for (const set of new Set(tops.map((t) => t.set))) {
    const s = tops.filter((t) => t.set === set && t.answerable);
    console.log(`${set}: MRR@10 ${(s.reduce((a, t) => a + t.rr, 0) / s.length).toFixed(3)}, hit@5 ${(s.filter((t) => t.hit5).length / s.length).toFixed(3)}`);
  }
  console.log('threshold  answer-rate  abstain-rate  (all tuning sets)');
  const answerable = tops.filter((t) => t.answerable);
  const unanswerable = tops.filter((t) => !t.answerable);
  for (let th = 0.05; th < 0.9; th += 0.05) {
    const a = answerable.filter((t) => t.top >= th).length / answerable.length;
    const u = unanswerable.filter((t) => t.top < th).length / unanswerable.length;
    console.log(`${th.toFixed(2)}  ${a.toFixed(3)}  ${u.toFixed(3)}`);
  }
  if (process.argv.includes('--write')) {
    const file = join(ROOT, 'server/retrieval/fusion-model.ts');
    writeFileSync(
      file,
      `/**\n * Fusion weights fitted by \`npm run eval:fit -- --write\` (eval/fit-fusion.ts) on the tuning sets\n * (hono-dev, hono-tune, docent): ${examples.length} candidates of ${perQuestion.length} questions. Do not edit by hand.\n */\nimport type { FusionModel } from './fusion';\n\nexport const FUSION_MODEL: FusionModel = ${JSON.stringify(model, null, 2)};\n`,
    );
    console.log(`Wrote ${file}`);
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
