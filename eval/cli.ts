/**
 * `npm run eval -- --content DIR --questions FILE.jsonl [--k 10] [--json OUT] [--compare]`
 *
 * Ingests DIR into a temporary embedded database (or the one `DATABASE_URL` names, so repeated
 * runs reuse its embeddings), asks every question through the server's retrieval with a new
 * user's default settings, and prints section-level hit@1/3/5/10 and MRR@10, document-level
 * hit@5, the answer rate on answerable questions, the abstain rate on unanswerable ones
 * (`gold: []`), answer recall (how much of each reference `answer` the extractive answer
 * contains, `answer-recall.ts`) and latency p50/p95. `--compare` adds BM25 only, vector only (the same search code
 * in another mode) and a naive pipeline (1,000-character chunks, pure vector search).
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatIssue } from '../ingest/format';
import { swallowedNpmFlag } from '../server/cli/npm-options';
import { readCommandLine, wholeNumberOption } from '../server/cli/options';
import { contentFileProblem, outputFileProblem } from '../server/cli/output-file';
import { ConfigError, loadConfig, loadDotEnv } from '../server/config';
import type { SharedBuffersSetting } from '../server/db/buffer-cache';
import { migrateDatabase } from '../server/db/migrate';
import { DatabaseLockedError } from '../server/db/lock';
import { type DatabaseHandle, DataFolderError, openDatabase, redactUrl } from '../server/db/open';
import { createEmbeddingProvider } from '../server/embed';
import type { EmbeddingProvider } from '../server/embed/provider';
import type { SearchMode } from '../server/retrieval/search';
import { DEFAULT_RETRIEVAL_SETTINGS } from '../server/retrieval/settings';
import { runNaiveBaseline } from './baselines/naive';
import { checkGold } from './gold-check';
import { type EvalMetrics, type EvalQuestion, firstHit, nearThreshold, scoreByKind, scoreQuestions } from './metrics';
import { QuestionFileError, readEvalQuestions } from './questions';
import { type RankedRun, corpusSections, ingestCorpus, runSearch, titleHeadingOf } from './run';

export const DEFAULT_EVAL_K = 10;

export const EVAL_USAGE = `Usage: npm run eval -- --content DIR --questions FILE.jsonl [--k N] [--json OUT] [--compare]

Ingests DIR (into a temporary embedded database, or the one DATABASE_URL names: use a database
of its own, since the eval adds a source named "eval:<folder>"), asks every question with the
server's retrieval and a new user's default settings (minScore ${DEFAULT_RETRIEVAL_SETTINGS.minScore}), and prints the metrics.

Options:
  --content DIR      docs folder the gold paths are relative to (required)
  --questions FILE   JSON Lines: {"id","question","gold":[{"path","heading"}],"answer"?} ([] = unanswerable;
                     "answer", a reference answer, for answer recall) (required)
  --k N              results per question (default ${DEFAULT_EVAL_K})
  --json OUT         also write every metric and every question's ranked results as JSON
  --compare          also run Docent without its threshold, BM25 only and vector only (the
                     same search code in another mode, without a threshold) and a naive pipeline (1,000-character chunks, 200
                     overlap, pure vector search), in one table
  -h, --help         show this help`;

export interface PipelineReport {
  pipeline: string;
  metrics: EvalMetrics;
  runs: RankedRun[];
}

export interface EvalCliIO {
  argv: string[];
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd?: string;
  /** Builds the embedder. Default: from the configuration (`EMBEDDING_PROVIDER`, USE-Lite offline). */
  createEmbedder?: () => EmbeddingProvider;
}

class UsageError extends Error {}

const PIPELINES: { name: string; mode: SearchMode; threshold: boolean }[] = [
  { name: 'docent (hybrid)', mode: 'hybrid', threshold: true },
  // Ranking alone, to compare with the baselines on equal terms (they have no threshold).
  { name: 'docent, no threshold', mode: 'hybrid', threshold: false },
  { name: 'BM25 only', mode: 'lexical', threshold: false },
  { name: 'vector only', mode: 'vector', threshold: false },
];

export async function runEvalCli(io: EvalCliIO): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const err = (line: string) => io.stderr.write(`${line}\n`);
  const out = (line: string) => io.stdout.write(`${line}\n`);
  // `npm run eval --compare -- --content …` (an option before `--`): npm keeps it, and the run
  // would go without it (or stop on its value, read as a stray argument).
  const swallowed = swallowedNpmFlag('eval', ['compare', 'content', 'questions', 'json'], io.argv, io.env);
  if (swallowed) {
    err(`eval: ${swallowed}`);
    return 2;
  }
  let read;
  try {
    read = readCommandLine(io.argv, {
      content: { type: 'string' },
      questions: { type: 'string' },
      k: { type: 'string' },
      json: { type: 'string' },
      compare: { type: 'boolean' },
    });
  } catch (error) {
    err(`eval: ${(error as Error).message}\n\n${EVAL_USAGE}`);
    return 2;
  }
  if (read === 'help') {
    out(EVAL_USAGE);
    return 0;
  }
  const { values } = read;
  let questions: EvalQuestion[];
  let contentDir: string;
  let k = DEFAULT_EVAL_K;
  try {
    if (!values.content) throw new UsageError('--content DIR is required');
    if (!values.questions) throw new UsageError('--questions FILE.jsonl is required');
    contentDir = resolve(cwd, values.content);
    if (!existsSync(contentDir) || !statSync(contentDir).isDirectory()) throw new UsageError(`--content: not a folder: ${contentDir}`);
    if (values.k !== undefined) {
      try {
        k = wholeNumberOption('k', values.k, 1, 100);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    }
    if (values.json !== undefined && values.json.trim() === '') throw new UsageError('--json needs a file name');
    questions = readEvalQuestions(resolve(cwd, values.questions));
  } catch (error) {
    if (error instanceof UsageError) {
      err(`eval: ${error.message}\n\n${EVAL_USAGE}`);
      return 2;
    }
    if (error instanceof QuestionFileError) {
      err(`eval: ${error.message}`);
      return 2;
    }
    throw error;
  }
  // Checked before the run (minutes on a real corpus), which must not end in an error that loses it.
  const jsonProblem =
    values.json === undefined
      ? undefined
      : (outputFileProblem(resolve(cwd, values.json), [resolve(cwd, values.questions)]) ??
        contentFileProblem(resolve(cwd, values.json), contentDir, { what: 'results', earlier: 'earlier results', wroteBefore: (value) => 'pipelines' in value }));
  if (jsonProblem) {
    err(`eval: cannot write --json ${values.json}: ${jsonProblem}`);
    return 2;
  }

  let embedder: EmbeddingProvider;
  let sharedBuffers: SharedBuffersSetting;
  try {
    const config = loadConfig(io.env);
    sharedBuffers = config.pgliteSharedBuffers;
    embedder = io.createEmbedder ? io.createEmbedder() : createEmbeddingProvider(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      err(error.message);
      return 2;
    }
    throw error;
  }
  const location = io.env.DATABASE_URL?.trim() || 'memory://';
  let handle: DatabaseHandle;
  try {
    handle = await openDatabase(location, { purpose: 'eval', cwd, sharedBuffers });
  } catch (error) {
    if (!(error instanceof DatabaseLockedError || error instanceof DataFolderError)) throw error;
    err(`eval: ${error.message} (Without DATABASE_URL, eval uses a database of its own in memory.)`);
    await embedder.close();
    return 2;
  }
  try {
    await migrateDatabase(handle);
    const started = performance.now();
    const { source, chunks, skipped } = await ingestCorpus(handle.db, embedder, contentDir, { skipBadFiles: true });
    out(`Ingested ${contentDir} as "${source}" into ${location === 'memory://' ? 'a temporary database' : handle.description}: ${chunks} chunks (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    if (skipped.length) {
      warnList(err, `${skipped.length} file(s) could not be parsed and are left out (their gold sections count as misses):`, skipped.map((issue) => formatIssue(issue)));
    }
    const gold = checkGold(questions, await corpusSections(handle.db, source), (path) => titleHeadingOf(contentDir, path));
    for (const note of gold.notes) err(`eval: ${note}`);
    if (gold.problems.length) warnList(err, `${gold.problems.length} gold section(s) are not in the corpus and can never be hit:`, gold.problems);
    questions = gold.questions;

    const reports: PipelineReport[] = [];
    for (const p of values.compare ? PIPELINES : PIPELINES.slice(0, 1)) {
      // The single-signal baselines have no calibrated score, so no threshold: they always answer.
      const settings = p.threshold ? DEFAULT_RETRIEVAL_SETTINGS : { ...DEFAULT_RETRIEVAL_SETTINGS, minScore: 0 };
      const runs = await runSearch({ db: handle.db, embedder, questions, source, k, mode: p.mode, settings, topScores: true });
      reports.push({ pipeline: p.name, metrics: scoreQuestions(questions, runs), runs });
    }
    if (values.compare) {
      const naive = await runNaiveBaseline({ contentDir, embedder, questions: questions.map((q) => ({ id: q.id, question: q.question })), k });
      const runs: RankedRun[] = naive.map((r) => ({
        id: r.id,
        latencyMs: r.latencyMs,
        results: r.results.map((x) => ({ path: x.path, headings: x.headings, score: x.score, text: x.text })),
      }));
      reports.push({ pipeline: 'naive (1,000-char chunks, vector)', metrics: scoreQuestions(questions, runs), runs });
    }

    out('');
    out(`${questions.length} questions (${reports[0]!.metrics.answerable} answerable, ${reports[0]!.metrics.unanswerable} unanswerable), k=${k}, minScore ${DEFAULT_RETRIEVAL_SETTINGS.minScore}, ${embedder.modelId}`);
    out('');
    out(formatTable(reports));
    const near = nearThreshold(questions, reports[0]!.runs, DEFAULT_RETRIEVAL_SETTINGS.minScore);
    if (near) {
      out('');
      out(
        `Near the threshold (best source within ${near.minScore} ± ${near.margin}): ${near.answerable} answerable and ${near.unanswerable} unanswerable question(s); a small change of the model or of minScore can move them.`,
      );
    }
    const byKind = scoreByKind(questions, reports[0]!.runs);
    if (byKind.size > 1) {
      out('');
      out(`By kind of question, ${reports[0]!.pipeline}:`);
      out('');
      out(formatKindTable(byKind));
    }
    if (values.json) {
      const file = resolve(cwd, values.json);
      writeFileSync(file, `${JSON.stringify(toJson(reports, questions, { contentDir, questionsFile: resolve(cwd, values.questions!), k, embeddingModel: embedder.modelId }), null, 2)}\n`);
      out(`\nWrote ${values.json}`);
    }
    return 0;
  } catch (error) {
    err(`eval: ${(error as Error).message}`);
    return 2;
  } finally {
    await embedder.close();
    await handle.close();
  }
}

/** A warning with its first lines (the rest counted). */
function warnList(err: (line: string) => void, title: string, lines: readonly string[], max = 10): void {
  err(`eval: warning: ${title}`);
  for (const line of lines.slice(0, max)) err(`  ${line}`);
  if (lines.length > max) err(`  … and ${lines.length - max} more`);
}

const fmt = (x: number | null) => (x === null ? 'n/a' : x.toFixed(3));

/** The metrics of each pipeline as one markdown table. */
export function formatTable(reports: readonly PipelineReport[]): string {
  const lines = [
    '| pipeline | hit@1 | hit@3 | hit@5 | hit@10 | MRR@10 | doc hit@5 | answer rate | abstain rate | answer recall | p50 ms | p95 ms |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const { pipeline, metrics: m } of reports) {
    lines.push(
      `| ${pipeline} | ${fmt(m.hitAt1)} | ${fmt(m.hitAt3)} | ${fmt(m.hitAt5)} | ${fmt(m.hitAt10)} | ${fmt(m.mrrAt10)} | ${fmt(m.docHitAt5)} | ${fmt(m.answerRate)} | ${fmt(m.abstainRate)} | ${fmt(m.answerRecall)} | ${m.latencyP50Ms.toFixed(1)} | ${m.latencyP95Ms.toFixed(1)} |`,
    );
  }
  return lines.join('\n');
}

/** One pipeline's metrics per kind of question, as a markdown table. */
export function formatKindTable(byKind: ReadonlyMap<string, EvalMetrics>): string {
  const lines = ['| kind | questions | hit@1 | hit@5 | MRR@10 | answer rate | abstain rate |', '|---|---|---|---|---|---|---|'];
  for (const [kind, m] of byKind) {
    lines.push(`| ${kind} | ${m.questions} | ${fmt(m.hitAt1)} | ${fmt(m.hitAt5)} | ${fmt(m.mrrAt10)} | ${fmt(m.answerRate)} | ${fmt(m.abstainRate)} |`);
  }
  return lines.join('\n');
}

function toJson(reports: readonly PipelineReport[], questions: readonly EvalQuestion[], meta: Record<string, unknown>) {
  const byId = new Map(questions.map((q) => [q.id, q]));
  return {
    ...meta,
    minScore: DEFAULT_RETRIEVAL_SETTINGS.minScore,
    pipelines: reports.map((r) => ({
      pipeline: r.pipeline,
      metrics: r.metrics,
      nearThreshold: nearThreshold(questions, r.runs, DEFAULT_RETRIEVAL_SETTINGS.minScore),
      byKind: Object.fromEntries(scoreByKind(questions, r.runs)),
      questions: r.runs.map((run) => {
        const q = byId.get(run.id)!;
        const hit = firstHit(run.results, q.gold);
        return {
          id: run.id,
          question: q.question,
          gold: q.gold,
          firstHitRank: hit >= 0 ? hit + 1 : null,
          latencyMs: Math.round(run.latencyMs * 10) / 10,
          ...(run.topScore !== undefined ? { topScore: run.topScore } : {}),
          ...(run.answerRecall !== undefined ? { answerRecall: run.answerRecall === null ? null : Math.round(run.answerRecall * 1000) / 1000 } : {}),
          results: run.results.map((x, i) => ({ rank: i + 1, score: x.score, path: x.path, headings: x.headings })),
        };
      }),
    })),
  };
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  loadDotEnv();
  runEvalCli({ argv: process.argv.slice(2), env: process.env, stdout: process.stdout, stderr: process.stderr }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error('eval: unexpected failure:', error instanceof Error ? redactUrl(error.stack ?? error.message) : error);
      process.exitCode = 2;
    },
  );
}
