/**
 * `npm run eval:fit` — fits the fusion model (server/retrieval/fusion-model.ts) on the tuning
 * question sets and prints how the default threshold would behave on them.
 *
 * Tuning sets only: eval/questions/hono-dev.jsonl (copy of ../shared/eval/hono-dev.jsonl) and eval/questions/hono-tune.jsonl over the
 * Hono docs, eval/questions/docent.jsonl over content/, fastify.jsonl and pino.jsonl over the
 * Fastify and Pino docs. The held-out sets (hono-fresh, ai-sdk, undici) are never read here.
 *
 * Each candidate of each question (hybrid search, before the threshold) is one example: its
 * features and whether it is a gold section. A logistic regression (L2, gradient descent) turns
 * the features into a probability, so the score reads as "chance this section answers".
 * It also measures the typical candidate cosine (eval/typical-cosine.ts), written beside the weights.
 * Set `EVAL_DB_DIR` to keep the ingested corpora between runs (default `.scratch`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrateDatabase } from '../server/db/migrate';
import { openDatabase } from '../server/db/open';
import { createLocalEmbeddingProvider } from '../server/embed/local';
import { FEATURE_NAMES, type FusionFeatures, type FusionModel, QUESTION_FEATURE_NAMES, fusedScores, questionFeatures } from '../server/retrieval/fusion';
import { FUSION_MODEL, TYPICAL_CANDIDATE_COSINE } from '../server/retrieval/fusion-model';
import { scoreCandidates, sectionKey } from '../server/retrieval/search';
import { areCopies, copyKey, dropNearDuplicates } from '../server/retrieval/dedupe';
import { DEFAULT_RETRIEVAL_SETTINGS } from '../server/retrieval/settings';
import { type EvalQuestion, isSectionHit } from './metrics';
import { fusionModelSource } from './fusion-model-source';
import { readEvalQuestions } from './questions';
import { ingestCorpus } from './run';
import { meanCandidateCosine } from './typical-cosine';
import { scriptArguments } from '../server/cli/script-args';

const ROOT = join(import.meta.dirname, '..');
const TUNING = [
  { corpus: 'eval/corpora/hono', db: 'hono', questions: ['eval/questions/hono-dev.jsonl', 'eval/questions/hono-tune.jsonl'] },
  { corpus: 'content', db: 'content', questions: ['eval/questions/docent.jsonl'] },
  { corpus: 'eval/corpora/fastify', db: 'fastify', questions: ['eval/questions/fastify.jsonl'] },
  { corpus: 'eval/corpora/pino', db: 'pino', questions: ['eval/questions/pino.jsonl'] },
];

interface Example {
  x: number[];
  y: number;
  question: string;
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** Solves `A x = b` (Gaussian elimination with partial pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

/**
 * Logistic regression by Newton's method, L2 on the weights (not the bias). Every question
 * weighs the same, however many candidates it has.
 */
export function fitLogistic(examples: readonly Example[], options: { l2?: number; iterations?: number } = {}): { bias: number; w: number[] } {
  const l2 = options.l2 ?? 1e-5;
  const d = examples[0]!.x.length + 1;
  const perQuestion = new Map<string, number>();
  for (const e of examples) perQuestion.set(e.question, (perQuestion.get(e.question) ?? 0) + 1);
  const questions = perQuestion.size;
  const theta = Array<number>(d).fill(0);
  for (let it = 0; it < (options.iterations ?? 50); it++) {
    const grad = Array<number>(d).fill(0);
    const hess = Array.from({ length: d }, () => Array<number>(d).fill(0));
    for (const e of examples) {
      const x = [1, ...e.x];
      const weight = 1 / perQuestion.get(e.question)! / questions;
      const p = sigmoid(x.reduce((s, v, i) => s + v * theta[i]!, 0));
      for (let i = 0; i < d; i++) {
        grad[i]! += weight * (p - e.y) * x[i]!;
        for (let j = 0; j < d; j++) hess[i]![j]! += weight * p * (1 - p) * x[i]! * x[j]!;
      }
    }
    for (let i = 1; i < d; i++) {
      grad[i]! += l2 * theta[i]!;
      hess[i]![i]! += l2;
    }
    const step = solve(hess, grad);
    let change = 0;
    for (let i = 0; i < d; i++) {
      theta[i]! -= step[i]!;
      change = Math.max(change, Math.abs(step[i]!));
    }
    if (change < 1e-6) break;
  }
  return { bias: theta[0]!, w: theta.slice(1) };
}

/** The first candidate of every section, in order, as `search()` makes one result of a section's chunks. */
function oneResultPerSection<T extends { section: string }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((c) => {
    if (seen.has(c.section)) return false;
    seen.add(c.section);
    return true;
  });
}

const HELP = `npm run eval:fit [-- options]: fits the fusion model and measures the typical candidate cosine on the tuning sets.

  --write          rewrite server/retrieval/fusion-model.ts with the fit (only with every tuning corpus)
  --corpus NAME    fit on one tuning corpus only, to try a change quickly: ${TUNING.map((t) => t.db).join(', ')}
  --verbose        print each question's best result
  -h, --help       this text

EVAL_DB_DIR keeps the ingested corpora between runs (default .scratch).`;

/** The options of `npm run eval:fit` (exits 0 after `--help`, 2 on a bad option). */
const { values: options } = scriptArguments({
  command: 'eval:fit',
  usage: HELP,
  options: { write: { type: 'boolean' }, corpus: { type: 'string' }, verbose: { type: 'boolean' } },
});

/** The tuning corpora `--corpus NAME` keeps (every one without it); exits 2 on a bad option. */
function chosenTuning(): typeof TUNING {
  const name = options.corpus;
  if (typeof name !== 'string') return TUNING;
  const found = TUNING.filter((t) => t.db === name);
  if (found.length === 0) {
    console.error(`eval:fit: --corpus needs one of ${TUNING.map((t) => t.db).join(', ')} (got "${name}").`);
    process.exit(2);
  }
  if (options.write) {
    console.error('eval:fit: --write rewrites the model for every tuning corpus: leave out --corpus to write.');
    process.exit(2);
  }
  return found;
}

async function main() {
  const tuning = chosenTuning();
  const dbDir = process.env.EVAL_DB_DIR ?? join(ROOT, '.scratch');
  const embedder = createLocalEmbeddingProvider();
  const examples: Example[] = [];
  const allFeatures: FusionFeatures[] = [];
  const perQuestion: { corpus: string; set: string; q: EvalQuestion; candidates: { features: FusionFeatures; hit: boolean; headings: string[]; text: string; path: string; section: string }[] }[] = [];
  for (const t of tuning) {
    const handle = await openDatabase(join(dbDir, t.db), { purpose: 'eval:fit' });
    await migrateDatabase(handle);
    const { source } = await ingestCorpus(handle.db, embedder, join(ROOT, t.corpus));
    for (const file of t.questions) {
      for (const q of readEvalQuestions(join(ROOT, file))) {
        const candidates = await scoreCandidates(handle.db, { query: q.question, embedder, onlySources: [source], settings: DEFAULT_RETRIEVAL_SETTINGS });
        const rows = candidates.map((c) => ({ features: c.features, hit: isSectionHit(c, q.gold), headings: c.headings, text: c.text, path: c.path, section: sectionKey(c) }));
        perQuestion.push({ corpus: t.db, set: file, q, candidates: rows });
        for (const r of rows) {
          examples.push({ x: FEATURE_NAMES.map((f) => r.features[f]), y: r.hit ? 1 : 0, question: `${file}#${q.id}` });
          allFeatures.push(r.features);
        }
      }
    }
    await handle.close();
  }
  await embedder.close();

  // 1. Ranking weights: grid search for the best mean MRR@10 over the tuning sets (BM25 is the
  //    backbone, weight 1; the other signals are added only as far as they help the ranking).
  const sets = [...new Set(perQuestion.map((p) => p.set))];
  const answerable = perQuestion.filter((p) => p.q.gold.length > 0);
  // Near-duplicate pairs are found once per question (what `dropNearDuplicates` would drop), and
  // so are other chunks of the same section (one result in `search()`), so each ranking of the
  // grid only sorts and walks down to the 10th kept result.
  const prepared = answerable.map((p) => {
    const keys = p.candidates.map(copyKey);
    const duplicates = keys.map((key, i) =>
      keys.flatMap((other, j) => (j !== i && (areCopies(key, other) || p.candidates[i]!.section === p.candidates[j]!.section) ? [j] : [])),
    );
    return { set: p.set, candidates: p.candidates, duplicates };
  });
  const meanMrr = (w: Record<string, number>) => {
    const entries = Object.entries(w) as [keyof FusionFeatures, number][];
    let total = 0;
    for (const set of sets) {
      const qs = prepared.filter((p) => p.set === set);
      let rr = 0;
      for (const p of qs) {
        const r = p.candidates.map((c) => entries.reduce((s, [k, v]) => s + v * c.features[k], 0));
        const order = r.map((_, i) => i).sort((a, b) => r[b]! - r[a]!);
        const kept: number[] = [];
        for (const i of order) {
          if (kept.length === 10) break;
          if (p.duplicates[i]!.some((j) => kept.includes(j))) continue;
          if (p.candidates[i]!.hit) {
            rr += 1 / (kept.length + 1);
            break;
          }
          kept.push(i);
        }
      }
      total += qs.length ? rr / qs.length : 0;
    }
    return total / sets.length;
  };
  const GRID: Record<string, number[]> = {
    cosine: [0, 0.2, 0.4, 0.6, 0.8, 1, 1.3],
    heading: [0, 0.2, 0.4, 0.6, 0.9],
    coverage: [0, 0.2, 0.4, 0.6, 0.9],
    page: [0, 0.1, 0.2, 0.4],
    path: [0, 0.1, 0.3],
    defines: [0, 0.2, 0.4, 0.7, 1],
  };
  const points: { w: Record<string, number>; mrr: number }[] = [];
  const names = Object.keys(GRID);
  const visit = (i: number, w: Record<string, number>) => {
    if (i === names.length) {
      points.push({ w: { ...w }, mrr: meanMrr(w) });
      return;
    }
    for (const v of GRID[names[i]!]!) visit(i + 1, { ...w, [names[i]!]: v });
  };
  visit(0, { bm25Rel: 1 });
  // The MRR surface is flat near its top: many weightings are within one question of each other,
  // and taking the very best would reshuffle the ranking on noise at every refit. Among those
  // within NEAR_TIE of the best, keep the one closest to the current model's weights.
  const NEAR_TIE = 0.01;
  const current = Object.fromEntries(names.map((k) => [k, FUSION_MODEL.section.weights[k as keyof FusionFeatures] / (FUSION_MODEL.section.weights.bm25Rel || 1)]));
  const distance = (w: Record<string, number>) => names.reduce((s, k) => s + Math.abs(w[k]! - (current[k] ?? 0)), 0);
  const top = Math.max(...points.map((p) => p.mrr));
  const best = points.filter((p) => p.mrr >= top - NEAR_TIE).sort((a, b) => distance(a.w) - distance(b.w) || b.mrr - a.mrr)[0]!;
  console.log(`Best mean MRR@10 on the grid ${top.toFixed(3)}; current weights ${JSON.stringify(current)}`);
  console.log(`BM25 alone: mean MRR@10 ${meanMrr({ bm25Rel: 1 }).toFixed(3)}; best ranking ${JSON.stringify(best.w)}: ${best.mrr.toFixed(3)}`);

  // 2. Calibration (Platt): the ranking score r → probability that the section is gold.
  const rOf = (f: FusionFeatures) => Object.entries(best.w).reduce((s, [k, v]) => s + v * f[k as keyof FusionFeatures], 0);
  const calibrate = (keep: (e: Example) => boolean): FusionModel['section'] => {
    const platt = fitLogistic(examples.flatMap((e, i) => (keep(e) ? [{ ...e, x: [rOf(allFeatures[i]!)] }] : [])));
    return {
      bias: round(platt.bias),
      weights: Object.fromEntries(FEATURE_NAMES.map((f) => [f, round((best.w[f] ?? 0) * platt.w[0]!)])),
    } as FusionModel['section'];
  };
  const sectionModel = calibrate(() => true);

  // Question model: one example per question, label = the docs answer it (none for a question
  // without candidates: it always abstains).
  const logitOf = (section: FusionModel['section']) => (f: FusionFeatures) => FEATURE_NAMES.reduce((s, name) => s + section.weights[name] * f[name], section.bias);
  const zOf = logitOf(sectionModel);
  const questionExamplesFor = (section: FusionModel['section']) => {
    const zOf = logitOf(section);
    return perQuestion.map((p) => {
      const sorted = [...p.candidates].sort((a, b) => zOf(b.features) - zOf(a.features));
      const qf = sorted.length ? questionFeatures(sorted.map((c) => zOf(c.features)), sorted[0]!.features) : undefined;
      return { x: qf ? QUESTION_FEATURE_NAMES.map((f) => qf[f]) : undefined, y: p.q.gold.length > 0 ? 1 : 0, question: `${p.set}#${p.q.id}`, corpus: p.corpus };
    });
  };
  const withCandidates = (xs: ReturnType<typeof questionExamplesFor>) => xs.flatMap((e) => (e.x ? [{ ...e, x: e.x }] : []));
  const questionExamples = withCandidates(questionExamplesFor(sectionModel));
  const question = fitLogistic(questionExamples, { l2: QUESTION_L2 });

  // The answerability model on each tuning corpus, fitted without it (its calibration and its
  // question model; the ranking weights and the term rules were chosen on every corpus).
  const corpusOf = new Map(perQuestion.map((p) => [`${p.set}#${p.q.id}`, p.corpus]));
  const corpora = [...new Set(perQuestion.map((p) => p.corpus))];
  if (corpora.length > 1) {
    const threshold = DEFAULT_RETRIEVAL_SETTINGS.minScore;
    console.log(`Question model on a corpus it was not fitted on, threshold ${threshold}: AUC / answer / abstain`);
    for (const corpus of corpora) {
      const others = (e: { question: string }) => corpusOf.get(e.question) !== corpus;
      const foldExamples = questionExamplesFor(calibrate(others));
      const model = fitLogistic(withCandidates(foldExamples).filter(others), { l2: QUESTION_L2 });
      const scored = foldExamples.filter((e) => !others(e)).map((e) => ({ y: e.y, p: e.x ? sigmoid(e.x.reduce((s, v, i) => s + v * model.w[i]!, model.bias)) : 0 }));
      const rate = (y: number, keep: (p: number) => boolean) => {
        const xs = scored.filter((s) => s.y === y);
        return xs.length ? (xs.filter((s) => keep(s.p)).length / xs.length).toFixed(3) : '-';
      };
      const a = auc(scored);
      console.log(`  ${corpus}: ${Number.isNaN(a) ? '-' : a.toFixed(3)} / ${rate(1, (p) => p >= threshold)} / ${rate(0, (p) => p < threshold)}`);
    }
  }
  const model: FusionModel = {
    section: sectionModel,
    question: { bias: round(question.bias), weights: Object.fromEntries(QUESTION_FEATURE_NAMES.map((f, i) => [f, round(question.w[i]!)])) } as FusionModel['question'],
  };
  console.log(`${examples.length} candidates, ${examples.filter((e) => e.y).length} gold, ${perQuestion.length} questions (${perQuestion.filter((p) => p.q.gold.length === 0).length} unanswerable)`);
  console.log(JSON.stringify(model, null, 2));

  // The whole rule on the tuning sets (optimistic: fitted on them), per threshold.
  const final = perQuestion.map((p) => {
    const sorted = [...p.candidates].sort((a, b) => zOf(b.features) - zOf(a.features));
    const scores = fusedScores(sorted.map((c) => c.features), model);
    const ranked = oneResultPerSection(dropNearDuplicates(sorted.map((c, i) => ({ ...c, score: scores[i]! })), (c) => c.section));
    if (options.verbose) {
      const c = ranked[0];
      console.log(`${p.q.gold.length ? 'A' : 'U'} ${(c?.score ?? 0).toFixed(3)} ${p.q.id} ${p.q.question.slice(0, 70)} -> ${c?.path} ${c?.headings.at(-1)}`);
    }
    return { set: p.set, answerable: p.q.gold.length > 0, ranked };
  });
  const rows: string[] = [];
  for (let th = 0; th < 0.9; th += 0.05) {
    const cells: string[] = [];
    for (const set of [...new Set(final.map((f) => f.set)), 'all']) {
      const qs = final.filter((f) => set === 'all' || f.set === set);
      const answerable = qs.filter((q) => q.answerable);
      const unanswerable = qs.filter((q) => !q.answerable);
      let rr = 0;
      let hit5 = 0;
      let answered = 0;
      for (const q of answerable) {
        const kept = q.ranked.filter((c) => c.score >= th).slice(0, 10);
        if (kept.length) answered++;
        const first = kept.findIndex((c) => c.hit);
        if (first >= 0) rr += 1 / (first + 1);
        if (first >= 0 && first < 5) hit5++;
      }
      const abstained = unanswerable.filter((q) => !q.ranked.some((c) => c.score >= th)).length;
      const n = answerable.length || 1;
      cells.push(`${(rr / n).toFixed(3)}/${(hit5 / n).toFixed(3)}/${(answered / n).toFixed(3)}/${unanswerable.length ? (abstained / unanswerable.length).toFixed(3) : '-'}`);
    }
    rows.push(`${th.toFixed(2)}  ${cells.join('  ')}`);
  }
  console.log(`threshold  MRR/hit@5/answer/abstain for: ${[...new Set(final.map((f) => f.set)), 'all'].join(', ')}`);
  console.log(rows.join('\n'));

  // The typical candidate cosine (what a candidate with no comparable vector is given when none
  // has one): per tuning set, to show its spread, and over every tuning question.
  const cosinesOf = (ps: typeof perQuestion) => ps.map((p) => p.candidates.map((c) => c.features.cosine));
  const typicalCandidateCosine = meanCandidateCosine(cosinesOf(perQuestion));
  if (typicalCandidateCosine === undefined) throw new Error('No tuning question has a candidate: nothing to measure the typical candidate cosine on.');
  const perSetCosine = sets.map((set) => `${set} ${meanCandidateCosine(cosinesOf(perQuestion.filter((p) => p.set === set)))?.toFixed(3) ?? '-'}`);
  console.log(`Typical candidate cosine ${typicalCandidateCosine.toFixed(3)} (current ${TYPICAL_CANDIDATE_COSINE}; ${perSetCosine.join(', ')})`);
  if (options.write) {
    const file = join(ROOT, 'server/retrieval/fusion-model.ts');
    writeFileSync(file, fusionModelSource({ model, typicalCandidateCosine, candidates: examples.length, questions: perQuestion.length }));
    console.log(`Wrote ${file}`);
  }
}

/** L2 penalty of the question model (one example per question, so few examples). */
const QUESTION_L2 = 1e-3;

/** Share of (answerable, unanswerable) pairs the probability orders correctly (ties count half). */
function auc(scores: readonly { p: number; y: number }[]): number {
  const pos = scores.filter((s) => s.y === 1);
  const neg = scores.filter((s) => s.y === 0);
  let sum = 0;
  for (const a of pos) for (const b of neg) sum += a.p > b.p ? 1 : a.p === b.p ? 0.5 : 0;
  return pos.length && neg.length ? sum / pos.length / neg.length : Number.NaN;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
