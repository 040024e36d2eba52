/**
 * `npm run bench:ingest` — ingest speed on ../shared/corpora/hono with the local embedder.
 *
 * Measures, in one process and on one machine state:
 * - the embedder alone: the exact inputs a full ingest embeds, straight through the provider
 *   (before and after the full ingest, to bracket noise from other load on the machine);
 * - a full ingest into a fresh embedded database (file-backed PGlite, as `npm start` uses);
 * - an unchanged re-run, and a re-run after editing one paragraph of one file;
 * - a 500-file corpus (the Hono docs copied six times, each copy varied): its first ingest
 *   (vectors reused from the first corpus) and its unchanged re-run, in-process and as a
 *   fresh `npm run ingest` process.
 * Targets (issue 3): full run ≥ 90% of the embedder-only rate; unchanged 500-file re-run < 2 s.
 *
 * Env: CORPUS (default ../shared/corpora/hono), EMBEDDING_WORKERS (default: one per core).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { chunkSections, DEFAULT_CHUNK_OPTIONS } from '../ingest/chunk';
import { DEFAULT_EMBEDDING_INPUT, embeddingInputs } from '../ingest/embed-input';
import { ingestContent } from '../ingest/index';
import { parseDocument } from '../ingest/parse';
import type { IngestSummary } from '../ingest/types';
import { migrateDatabase } from '../server/db/migrate';
import { openDatabase } from '../server/db/open';
import { createLocalEmbeddingProvider } from '../server/embed/local';
import { scriptArguments } from '../server/cli/script-args';

const ROOT = join(import.meta.dirname, '..');
const CORPUS = process.env.CORPUS ?? join(ROOT, '../shared/corpora/hono');
const WORKERS = Number(process.env.EMBEDDING_WORKERS ?? 0) || availableParallelism();

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return listFiles(full);
    return /\.mdx?$/.test(name) ? [full] : [];
  });
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);

const USAGE = `Usage: npm run bench:ingest

Ingest speed on ../shared/corpora/hono with the local embedder: the embedder alone, a full ingest,
unchanged and one-paragraph re-runs, and a 500-file corpus (also as a fresh npm run ingest).

Env: CORPUS (default ../shared/corpora/hono), EMBEDDING_WORKERS (default: one per core).`;

async function main() {
  scriptArguments({ command: 'bench:ingest', usage: USAGE });
  const work = mkdtempSync(join(tmpdir(), 'docent-bench-'));
  const content = join(work, 'hono');
  cpSync(CORPUS, content, { recursive: true });
  const load = [loadavg()[0]!.toFixed(2)];
  const embedder = createLocalEmbeddingProvider({ workers: WORKERS });

  // The inputs a full ingest embeds.
  const inputs: string[] = [];
  let chunkCount = 0;
  const files = listFiles(content).sort();
  for (const file of files) {
    const path = relative(content, file).split('\\').join('/');
    const doc = parseDocument(readFileSync(file, 'utf8'), path);
    for (const chunk of chunkSections(doc.sections, DEFAULT_CHUNK_OPTIONS)) {
      inputs.push(...embeddingInputs(chunk, embedder, DEFAULT_EMBEDDING_INPUT));
      chunkCount++;
    }
  }
  console.log(`${files.length} files · ${chunkCount} chunks · ${inputs.length} embedding inputs · ${WORKERS} workers`);

  await embedder.embedDocuments(inputs.slice(0, WORKERS * 8)); // load the model in every worker
  const embedOnly = async () => {
    const t = performance.now();
    await embedder.embedDocuments(inputs);
    return performance.now() - t;
  };
  const embedBeforeMs = await embedOnly();
  console.log(`embedder only: ${seconds(embedBeforeMs)} s (${(chunkCount / (embedBeforeMs / 1000)).toFixed(1)} chunks/s)`);

  const dataDir = join(work, 'pglite');
  let t = performance.now();
  let handle = await openDatabase(dataDir, { purpose: 'bench' });
  await migrateDatabase(handle);
  const openMs = performance.now() - t;
  const full = await ingestContent(handle.db, embedder, { contentDir: content, source: 'hono' });
  console.log(`full ingest: ${seconds(full.durationMs)} s (${(full.chunks.total / (full.durationMs / 1000)).toFixed(1)} chunks/s)`);
  const embedAfterMs = await embedOnly();
  console.log(`embedder only (again): ${seconds(embedAfterMs)} s`);

  const unchanged = await ingestContent(handle.db, embedder, { contentDir: content, source: 'hono' });
  const routing = join(content, 'docs/api/routing.md');
  writeFileSync(routing, readFileSync(routing, 'utf8').replace('Routing of Hono is flexible and intuitive.', 'Routing in Hono is flexible, intuitive and fast.'));
  const oneEdit = await ingestContent(handle.db, embedder, { contentDir: content, source: 'hono' });

  // 500+ files: six copies of the docs, each file varied (its own hash, same chunks).
  const big = join(work, 'hono-500');
  for (let copy = 1; copy <= 6; copy++) {
    for (const file of files) {
      const target = join(big, `v${copy}`, relative(content, file));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, `${readFileSync(file, 'utf8')}\n<!-- copy ${copy} -->\n`);
    }
  }
  const bigFiles = listFiles(big).length;
  const bigFirst = await ingestContent(handle.db, embedder, { contentDir: big, source: 'hono-500' });
  const bigUnchanged = await ingestContent(handle.db, embedder, { contentDir: big, source: 'hono-500' });
  await embedder.close();
  await handle.close();

  // The same unchanged re-run as a person or CI runs it: a fresh process.
  t = performance.now();
  const cliOut = execFileSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'ingest/cli.ts'), '--content', big, '--source', 'hono-500', '--json', join(work, 'cli.json')], {
    env: { ...process.env, DATABASE_URL: dataDir },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const cliMs = performance.now() - t;
  const cli = JSON.parse(readFileSync(join(work, 'cli.json'), 'utf8')) as IngestSummary;
  load.push(loadavg()[0]!.toFixed(2));

  const embedRate = chunkCount / (((embedBeforeMs + embedAfterMs) / 2) / 1000);
  const fullRate = full.chunks.total / (full.durationMs / 1000);
  const rows: [string, string, string][] = [
    ['embedder only (mean of before/after)', `${seconds((embedBeforeMs + embedAfterMs) / 2)} s (${seconds(embedBeforeMs)} / ${seconds(embedAfterMs)})`, `${embedRate.toFixed(1)} chunks/s`],
    ['full ingest (fresh database)', `${seconds(full.durationMs)} s`, `${fullRate.toFixed(1)} chunks/s = ${((fullRate / embedRate) * 100).toFixed(0)}% of embedder-only (target ≥ 90%)`],
    ['open + migrate a new database', `${seconds(openMs)} s`, 'not part of the ingest time'],
    ['unchanged re-run', `${seconds(unchanged.durationMs)} s`, `${unchanged.chunks.embedded} embedded`],
    ['one-paragraph edit re-run', `${seconds(oneEdit.durationMs)} s`, `${oneEdit.chunks.embedded} embedded, ${oneEdit.chunks.reused} reused`],
    [`${bigFiles}-file corpus, first ingest`, `${seconds(bigFirst.durationMs)} s`, `${bigFirst.chunks.embedded} embedded, ${bigFirst.chunks.reused} reused`],
    [`${bigFiles}-file corpus, unchanged re-run`, `${seconds(bigUnchanged.durationMs)} s`, 'target < 2 s'],
    [`${bigFiles}-file corpus, unchanged, \`npm run ingest\` process`, `${seconds(cliMs)} s wall`, `${seconds(cli.durationMs)} s in ingest; the rest is start-up and opening the database`],
  ];
  console.log(`\n${files.length} files, ${chunkCount} chunks, ${inputs.length} inputs, ${WORKERS} workers, load average ${load.join(' → ')}\n`);
  console.log('| measurement | time | notes |');
  console.log('|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  if (process.env.BENCH_VERBOSE) console.log(cliOut);
  rmSync(work, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
