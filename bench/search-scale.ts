/**
 * `npm run bench` — retrieval speed at scale on a synthetic corpus (see `search-scale/run.ts`).
 * Prints a table and, with `--json FILE`, writes the full report. CPU-heavy: at the default
 * 100,000 chunks it takes several minutes; `--chunks 2000` is a quick smoke run.
 * Exit codes: 0 done · 1 the run failed · 2 bad options (nothing was run).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readCommandLine, wholeNumberOption } from '../server/cli/options';
import { unwritable } from '../server/cli/output-file';
import { parseSharedBuffers, type SharedBuffersSetting } from '../server/db/buffer-cache';
import type { CorpusText } from './search-scale/corpus';
import { BenchOptionError, runSearchScaleBench, type SearchScaleReport } from './search-scale/run';
import type { LatencySummary } from './search-scale/stats';

export const USAGE = `Usage: npm run bench -- [options]

  --chunks N              chunks in the synthetic corpus (default 100000)
  --queries N             queries per measurement (default 200)
  --sources N             content sources the documents are spread over (default 10)
  --clusters N            topic clusters of the vectors (default 200)
  --seed N                seed of the corpus and queries (default 1)
  --text T                the chunks' text: docs (default: real chunk lengths, words of each
                          document's own) or uniform (the text of runs before 2026-12-03)
  --ef-search N           hnsw.ef_search for the timed vector queries (default: the server's, 400)
  --compare-ef-search L   also measure the vector query at these ef_search values (e.g. 100,200)
  --m N                   HNSW m (default: the migration's index definition)
  --ef-construction N     HNSW ef_construction (default: the migration's index definition)
  --maintenance-work-mem  e.g. 256MB, for the index builds (default: the database's)
  --shared-buffers S      the embedded database's buffer cache: auto (default, as the server:
                          128–512 MB by database size) or e.g. 256MB
  --warmup N              untimed questions (others than the timed ones) before each measurement
                          (default 10; a few hundred: a server answering for a while)
  --no-hybrid             skip timing the full hybrid search()
  --json FILE             write the report as JSON
  --keep DIR              build the database in DIR (new or empty) and keep it afterwards
  --reuse DIR             measure the database kept in DIR by an earlier --keep run, without
                          loading or building it (give the --chunks, --sources, --clusters,
                          --seed and --text it was built with: they make the queries)
  -h, --help              show this help

Exit codes: 0 done · 1 the run failed · 2 bad options (nothing was run).`;

function wholeNumber(name: string, value: string | undefined, min = 1): number | undefined {
  if (value === undefined) return undefined;
  try {
    return wholeNumberOption(name, value, min);
  } catch (error) {
    throw new BenchOptionError((error as Error).message);
  }
}

function corpusText(value: string | undefined): CorpusText | undefined {
  if (value === undefined || value === 'docs' || value === 'uniform') return value;
  throw new BenchOptionError(`--text must be docs or uniform (got "${value}")`);
}

/** The options of {@link runSearchScaleBench} its messages name, as this command's flags. */
const FLAG_OF_OPTION: Record<string, string> = {
  maintenanceWorkMem: '--maintenance-work-mem',
  efConstruction: '--ef-construction',
  compareEfSearch: '--compare-ef-search',
  efSearch: '--ef-search',
  reuse: '--reuse',
  keep: '--keep',
  m: '--m',
};

/** A message of {@link runSearchScaleBench} about its options, with the flags the reader typed (`--maintenance-work-mem`, not `maintenanceWorkMem`). */
function withFlagNames(message: string): string {
  return message.replace(/(?<![-\w])(maintenanceWorkMem|efConstruction|compareEfSearch|efSearch|reuse|keep|m)\b(?=[ ,:])/g, (name) => FLAG_OF_OPTION[name]!);
}

/** Runs the benchmark command; returns its exit code. Never throws. */
async function main(argv: string[]): Promise<number> {
  let read;
  try {
    read = readCommandLine(argv, {
      chunks: { type: 'string' },
      queries: { type: 'string' },
      sources: { type: 'string' },
      clusters: { type: 'string' },
      seed: { type: 'string' },
      text: { type: 'string' },
      'ef-search': { type: 'string' },
      'compare-ef-search': { type: 'string' },
      m: { type: 'string' },
      'ef-construction': { type: 'string' },
      'maintenance-work-mem': { type: 'string' },
      'shared-buffers': { type: 'string' },
      'no-hybrid': { type: 'boolean' },
      warmup: { type: 'string' },
      json: { type: 'string' },
      keep: { type: 'string' },
      reuse: { type: 'string' },
    });
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (read === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const args = read.values;
  // Checked before the run (minutes at 100,000 chunks), which must not end in an error that loses its report.
  const jsonProblem = args.json === undefined ? undefined : args.json.trim() === '' ? 'no file name' : unwritable(resolve(args.json));
  if (jsonProblem) {
    process.stderr.write(`bench: cannot write --json ${args.json}: ${jsonProblem}\n`);
    return 2;
  }
  let report: SearchScaleReport;
  try {
    let sharedBuffers: SharedBuffersSetting;
    try {
      sharedBuffers = parseSharedBuffers(args['shared-buffers']);
    } catch (error) {
      throw new BenchOptionError(`--shared-buffers: ${(error as Error).message}`);
    }
    report = await runSearchScaleBench({
      chunks: wholeNumber('chunks', args.chunks),
      queries: wholeNumber('queries', args.queries),
      sources: wholeNumber('sources', args.sources),
      clusters: wholeNumber('clusters', args.clusters),
      seed: wholeNumber('seed', args.seed),
      text: corpusText(args.text),
      efSearch: wholeNumber('ef-search', args['ef-search']),
      compareEfSearch: args['compare-ef-search']?.split(',').map((v) => wholeNumber('compare-ef-search', v.trim())!),
      m: wholeNumber('m', args.m),
      efConstruction: wholeNumber('ef-construction', args['ef-construction']),
      maintenanceWorkMem: args['maintenance-work-mem'],
      hybrid: !args['no-hybrid'],
      warmup: wholeNumber('warmup', args.warmup, 0),
      keep: args.keep,
      reuse: args.reuse,
      sharedBuffers,
      log: (line) => process.stderr.write(`${line}\n`),
    });
  } catch (error) {
    if (!(error instanceof BenchOptionError)) {
      process.stderr.write(`bench: ${(error as Error).message}\n`);
      return 1;
    }
    process.stderr.write(`bench: ${withFlagNames(error.message)}\n`);
    return 2;
  }
  report.command = `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
  process.stdout.write(formatReport(report));
  if (args.json) {
    try {
      writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
    } catch (error) {
      // Not lost: the report was printed above.
      process.stderr.write(`bench: the report is printed above, but could not be written to ${args.json}: ${(error as Error).message}\n`);
      return 1;
    }
    process.stdout.write(`\nReport written to ${args.json}\n`);
  }
  return 0;
}

const ms = (s: LatencySummary) => `${s.p50Ms.toFixed(1)} / ${s.p95Ms.toFixed(1)} ms`;

/** The report as a readable table. */
export function formatReport(r: SearchScaleReport): string {
  const lines = [
    `${r.command}`,
    `machine: ${r.machine.cpus} cores (${r.machine.cpuModel}), ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, load ${r.machine.loadAverage.before} → ${r.machine.loadAverage.after}`,
    `corpus: ${r.corpus.chunks.toLocaleString('en')} chunks in ${r.corpus.documents.toLocaleString('en')} documents, ${r.corpus.sources} sources, ` +
      `${r.corpus.dimensions}-d clustered vectors, ${r.corpus.meanChunkChars} chars/chunk of ${r.corpus.text} text ` +
      `(${r.corpus.vocabularyWords.toLocaleString('en')} real words${r.corpus.text === 'docs' ? ' and made-up document-specific ones' : ''})`,
    '',
    `| step | time |`,
    `|---|---|`,
    `| generate corpus (in memory) | ${r.corpus.generateSeconds} s |`,
    ...(r.reused === null
      ? [
          `| open + migrate a new database | ${r.load.openAndMigrateSeconds} s |`,
          `| load (indexes dropped, ${r.options.batchSize} rows per INSERT) | ${r.load.seconds} s (${(r.load.chunksPerSecond ?? 0).toLocaleString('en')} chunks/s) |`,
          `| HNSW build | ${r.indexes.hnswBuildSeconds} s (index ${r.indexes.hnswIndexMB} MB; maintenance_work_mem ${r.options.maintenanceWorkMem}) |`,
          `| full-text (GIN) build | ${r.indexes.fullTextBuildSeconds} s |`,
          `| ANALYZE | ${r.indexes.analyzeSeconds} s |`,
        ]
      : [`| open + migrate the database kept in ${r.reused} (not loaded or built again; HNSW index ${r.indexes.hnswIndexMB} MB) | ${r.load.openAndMigrateSeconds} s |`]),
    '',
    `${r.indexes.hnswDefinition}; hnsw.ef_search = ${r.options.efSearch}; shared_buffers = ${r.options.sharedBuffers}; ${r.options.queries} queries per row, after ${r.options.warmup} warm-up questions`,
    '',
    `| vector search (as the server runs it) | p50 / p95 | recall@10 (min) | results | exact scan p50 / p95 | HNSW used |`,
    `|---|---|---|---|---|---|`,
    ...(
      [
        ['no filter', r.vectorSearch.none],
        ['excluding 1 source', r.vectorSearch.excludeOneSource],
        ['only 1 source', r.vectorSearch.onlyOneSource],
      ] as const
    ).map(
      ([name, s]) =>
        `| ${name} | ${ms(s)} | ${s.recallAt10.toFixed(3)} (${s.minRecallAt10.toFixed(1)}) | ${s.meanResults} | ${ms(s.exact)} | ${s.usesHnswIndex ? 'yes' : 'no'} |`,
    ),
    '',
  ];
  if (r.efSearchComparison.length) {
    lines.push(
      `| hnsw.ef_search | no filter p50 / p95, recall | excluding 1 source | only 1 source |`,
      `|---|---|---|---|`,
      ...r.efSearchComparison.map(
        (row) =>
          `| ${row.efSearch} | ${(['none', 'excludeOneSource', 'onlyOneSource'] as const)
            .map((c) => `${row.cases[c].p50Ms.toFixed(1)} / ${row.cases[c].p95Ms.toFixed(1)} ms, ${row.cases[c].recallAt10.toFixed(3)}`)
            .join(' | ')} |`,
      ),
      '',
    );
  }
  if (r.hybridSearch && 'error' in r.hybridSearch) lines.push(`hybrid search(): failed: ${r.hybridSearch.error}`, '');
  else if (r.hybridSearch) {
    const hybrid = r.hybridSearch;
    const unlimited = (c: 'none' | 'excludeOneSource') => {
      const u = hybrid[c].unlimitedBudget;
      return `${u.sharedAt10.toFixed(3)} ${c === 'none' ? 'with no filter' : 'excluding 1 source'} (same first result ${u.sameFirst} / ${u.questions})`;
    };
    lines.push(
      `| full hybrid search() | p50 / p95 |`,
      `|---|---|`,
      `| no filter | ${ms(r.hybridSearch.none)} |`,
      `| excluding 1 source | ${ms(r.hybridSearch.excludeOneSource)} |`,
      '',
      `search() stages, p50 (no filter): ${Object.entries(r.hybridSearch.none.stagesP50Ms)
        .map(([stage, p50]) => `${stage} ${p50.toFixed(1)} ms`)
        .join(' · ')}`,
      `BM25's candidate budget: top 10 shared with an unlimited budget ${unlimited('none')}, ${unlimited('excludeOneSource')}`,
      '',
    );
  }
  const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
  lines.push(
    `targets (p50 ≤ ${r.targets.p50Ms} ms and recall@10 ≥ ${r.targets.recallAt10}): with filters ${verdict(r.targets.metWithFilters)}, ` +
      `without ${verdict(r.targets.metWithoutFilter)}`,
    `peak RSS ${r.peakRssMB} MB; total ${r.totalSeconds} s`,
    '',
  );
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  });
}
