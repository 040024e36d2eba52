/**
 * The quality gate: the committed question sets whose corpora are in the repository, run
 * through the real pipeline (ingest + USE-Lite + search with a new user's defaults), compared
 * with the levels recorded in `eval/recorded-levels.json`. `test/eval.gate.test.ts` fails when a
 * metric drops below its recorded level; `npm run eval:record` measures and rewrites the file
 * (commit it with the change that moved the numbers, and say why).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { migrateDatabase } from '../server/db/migrate';
import { scriptArguments } from '../server/cli/script-args';
import { openDatabase } from '../server/db/open';
import type { EmbeddingProvider } from '../server/embed/provider';
import { createLocalEmbeddingProvider } from '../server/embed/local';
import { type EvalMetrics, scoreQuestions } from './metrics';
import { readEvalQuestions } from './questions';
import { ingestCorpus, runSearch } from './run';

const ROOT = join(import.meta.dirname, '..');
export const RECORDED_LEVELS_FILE = join(ROOT, 'eval/recorded-levels.json');

/** Question sets of the gate, by corpus (each corpus is ingested once). */
export const GATE_SETS = [
  { corpus: 'eval/corpora/hono', sets: ['eval/questions/hono-dev.jsonl', 'eval/questions/hono-tune.jsonl', 'eval/questions/hono-fresh.jsonl'] },
  { corpus: 'content', sets: ['eval/questions/docent.jsonl'] },
  { corpus: 'eval/corpora/undici', sets: ['eval/questions/undici.jsonl'] },
  { corpus: 'eval/corpora/fastify', sets: ['eval/questions/fastify.jsonl'] },
  { corpus: 'eval/corpora/pino', sets: ['eval/questions/pino.jsonl'] },
  { corpus: 'eval/corpora/poetry', sets: ['eval/questions/poetry.jsonl'] },
  { corpus: 'eval/corpora/httpx', sets: ['eval/questions/httpx.jsonl'] },
  { corpus: 'eval/corpora/starlight', sets: ['eval/questions/starlight.jsonl'] },
  { corpus: 'eval/corpora/docusaurus', sets: ['eval/questions/docusaurus.jsonl'] },
  { corpus: 'eval/corpora/textual', sets: ['eval/questions/textual.jsonl'] },
  { corpus: 'eval/corpora/z2jh', sets: ['eval/questions/z2jh.jsonl'] },
  { corpus: 'eval/corpora/wagmi', sets: ['eval/questions/wagmi.jsonl'] },
  { corpus: 'eval/corpora/eslint-jest', sets: ['eval/questions/eslint-jest.jsonl'] },
  { corpus: 'eval/corpora/axios', sets: ['eval/questions/axios.jsonl'] },
  { corpus: 'eval/corpora/ioredis', sets: ['eval/questions/ioredis.jsonl'] },
  { corpus: 'eval/corpora/npm', sets: ['eval/questions/npm.jsonl'] },
  { corpus: 'eval/corpora/turbo', sets: ['eval/questions/turbo.jsonl'] },
  { corpus: 'eval/corpora/node', sets: ['eval/questions/node.jsonl'] },
  { corpus: 'eval/corpora/markdownlint', sets: ['eval/questions/markdownlint.jsonl'] },
  { corpus: 'eval/corpora/black', sets: ['eval/questions/black.jsonl'] },
] as const;

/** Metrics the gate checks (higher is better). */
export const GATED_METRICS = ['hitAt5', 'mrrAt10', 'docHitAt5', 'answerRate', 'abstainRate'] as const;
export type GatedMetric = (typeof GATED_METRICS)[number];

export type Levels = Record<string, Partial<Record<GatedMetric, number>>>;

export type GateGroup = (typeof GATE_SETS)[number];

/** Ingests one gate corpus into a fresh in-memory database and runs its sets; metrics by question-set path. */
export async function measureGateGroup(embedder: EmbeddingProvider, group: GateGroup): Promise<Record<string, EvalMetrics>> {
  const out: Record<string, EvalMetrics> = {};
  const handle = await openDatabase('memory://');
  try {
    await migrateDatabase(handle);
    const { source } = await ingestCorpus(handle.db, embedder, join(ROOT, group.corpus));
    for (const set of group.sets) {
      const questions = readEvalQuestions(join(ROOT, set));
      const runs = await runSearch({ db: handle.db, embedder, questions, source, k: 10 });
      out[set] = scoreQuestions(questions, runs);
    }
  } finally {
    await handle.close();
  }
  return out;
}

/** Runs every gate set; metrics by question-set path. */
export async function measureGate(embedder: EmbeddingProvider): Promise<Record<string, EvalMetrics>> {
  const out: Record<string, EvalMetrics> = {};
  for (const group of GATE_SETS) Object.assign(out, await measureGateGroup(embedder, group));
  return out;
}

export function readRecordedLevels(): Levels {
  return (JSON.parse(readFileSync(RECORDED_LEVELS_FILE, 'utf8')) as { levels: Levels }).levels;
}

/** Metrics below their recorded level, as `set: metric measured < recorded` lines. */
export function regressions(measured: Record<string, EvalMetrics>, levels: Levels): string[] {
  const problems: string[] = [];
  for (const [set, recorded] of Object.entries(levels)) {
    const m = measured[set];
    if (!m) {
      problems.push(`${set}: not measured`);
      continue;
    }
    for (const metric of GATED_METRICS) {
      const floor = recorded[metric];
      const value = m[metric];
      if (floor === undefined || value === null) continue;
      if (value < floor - 1e-9) problems.push(`${set}: ${metric} ${value} < recorded ${floor}`);
    }
  }
  return problems;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
const USAGE = `Usage: npm run eval:record

Measures the quality gate's question sets (${GATE_SETS.flatMap((g) => g.sets).length} sets, several minutes) and rewrites
eval/recorded-levels.json, the levels below which npm test fails: commit it with the change that
moved the numbers, and say why.`;

if (invokedDirectly) {
  // Strict, so that a mistyped option (or --help) does not rewrite the recorded levels.
  scriptArguments({ command: 'eval:record', usage: USAGE });
  const embedder = createLocalEmbeddingProvider();
  measureGate(embedder)
    .then((measured) => {
      const levels: Levels = Object.fromEntries(
        Object.entries(measured).map(([set, m]) => [set, Object.fromEntries(GATED_METRICS.filter((k) => m[k] !== null).map((k) => [k, m[k]]))]),
      );
      writeFileSync(
        RECORDED_LEVELS_FILE,
        `${JSON.stringify({ note: 'Written by `npm run eval:record` (eval/gate.ts); test/eval.gate.test.ts fails below these levels.', recordedAt: new Date().toISOString().slice(0, 10), levels }, null, 2)}\n`,
      );
      for (const [set, m] of Object.entries(measured)) console.log(set, JSON.stringify(m));
      console.log(`Wrote ${RECORDED_LEVELS_FILE}`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(() => embedder.close());
}
