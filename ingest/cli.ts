/**
 * `npm run ingest -- --content DIR [--source NAME] [--base-url URL] [--force] [--dry-run] [--allow-empty] [--json FILE]`
 *
 * Ingests a folder of markdown/MDX into Docent's database (`DATABASE_URL`). When a running Docent
 * server holds the embedded database, the job is sent to that server (needs `ADMIN_TOKEN`).
 * Exit codes: 0 everything ingested · 1 some files failed (the others landed) · 2 the run could
 * not be done (bad arguments or configuration, database or embedder failure) · 75 try again later
 * (the Docent server holding the database was still starting, or shutting down, after the longest
 * wait) · 130 (143) stopped by Ctrl+C (SIGTERM): the run is recorded as stopped, the pages written so far are kept.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BASE_URL_RULE, isBaseUrl } from '../server/base-url';
import { swallowedNpmFlag } from '../server/cli/npm-options';
import { readCommandLine } from '../server/cli/options';
import { contentFileProblem, unwritable } from '../server/cli/output-file';
import { openPastShuttingDownServer } from '../server/cli/shutting-down-server';
import { EXIT_TRY_LATER, isServerWaitOver } from '../server/cli/try-later';
import { ConfigError, type Config, loadConfig, loadDotEnv } from '../server/config';
import { describeDatabaseError } from '../server/db/connect-error';
import { DatabaseLockedError } from '../server/db/lock';
import { migrateDatabase } from '../server/db/migrate';
import { type DatabaseHandle, openDatabase, parseDatabaseLocation } from '../server/db/open';
import { hasIndexTables } from '../server/db/open-index';
import { MAX_SOURCE_LENGTH } from '../server/db/source-name';
import { createEmbeddingProvider } from '../server/embed';
import type { EmbeddingProvider } from '../server/embed/provider';
import { EmptyContentError, formatSummary, IngestRunError, ingestContent } from './index';
import { createProgressReporter } from './progress';
import { ingestViaServer, RemoteIngestError } from './remote';
import type { IngestSummary } from './types';

export const USAGE = `Usage: npm run ingest -- [options]

Ingests a folder of markdown (.md) and MDX (.mdx) files into Docent's database (DATABASE_URL):
new and changed files are chunked and embedded, unchanged ones cost a hash, deleted ones are purged.

Options:
  --content DIR     the docs folder (default: CONTENT_DIR, else content/)
  --source NAME     source name stored with every document (default: CONTENT_SOURCE for the
                    CONTENT_DIR folder, else the folder's name)
  --base-url URL    base URL of the docs site, for links (default: /)
  --force           re-embed every chunk, even unchanged ones
  --dry-run         report what would change and write nothing at all (no database rows, no
                    ingest_runs record, no migrations; the embedding model is not loaded)
  --allow-empty     run even if the folder has no pages while the source has some, removing
                    them all (without it, such a run is refused: usually a wrong folder)
  --json FILE       also write the run summary as JSON to FILE
  -h, --help        show this help

When a running Docent server holds the embedded database, the run is sent to that server;
set ADMIN_TOKEN to the server's admin token for that.

Exit codes: 0 everything ingested · 1 some files failed (the others were ingested) ·
2 the run could not be done (bad arguments or configuration, database or embedder failure) ·
75 try again later (the Docent server holding the database was still starting, or shutting
down, after the longest wait) · 130 stopped by Ctrl+C (143: SIGTERM); the pages written so far are kept.`;

export interface CliIO {
  argv: string[];
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Working directory for relative paths. Default `process.cwd()`. */
  cwd?: string;
  /** Builds the embedder from the configuration. Default `createEmbeddingProvider` (tests pass a deterministic one). */
  createEmbedder?: (config: Config) => EmbeddingProvider;
  /**
   * Stops the run (the command line: Ctrl+C or SIGTERM), its reason an `AbortError` whose message
   * is the signal's name: the run ends after the page being written and is recorded as cancelled,
   * and the command exits 130 (143 for SIGTERM).
   */
  stopSignal?: AbortSignal;
  /** Longest wait for a Docent server that is still starting, in ms. Default 10 minutes (tests shorten it). */
  serverStartTimeoutMs?: number;
}

/** The name of the signal that stopped the run (`SIGINT`): the message of the stop signal's reason. */
function stopName(signal: AbortSignal): string {
  return signal.reason instanceof Error ? signal.reason.message : String(signal.reason);
}

/** The exit code of a process stopped by the signal named `name`: 128 + its number, as a shell reports it. */
function signalExitCode(name: string): number {
  return name === 'SIGTERM' ? 143 : 130;
}

/** The exit code of a run stopped by `signal` ({@link signalExitCode} of its {@link stopName}). */
function stoppedExitCode(signal: AbortSignal): number {
  return signalExitCode(stopName(signal));
}

interface CliArgs {
  /** `--content`; `undefined`: the server's `CONTENT_DIR`. */
  content?: string;
  source?: string;
  baseUrl?: string;
  force: boolean;
  dryRun: boolean;
  allowEmpty: boolean;
  json?: string;
}

class UsageError extends Error {}

function parseCliArgs(argv: string[]): CliArgs | 'help' {
  let read;
  try {
    read = readCommandLine(argv, {
      content: { type: 'string' },
      source: { type: 'string' },
      'base-url': { type: 'string' },
      force: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      'allow-empty': { type: 'boolean' },
      json: { type: 'string' },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (read === 'help') return 'help';
  const { values } = read;
  const baseUrl = values['base-url'];
  if (baseUrl !== undefined && !isBaseUrl(baseUrl)) {
    throw new UsageError(`--base-url must be ${BASE_URL_RULE} (got "${baseUrl}")`);
  }
  if (values.source !== undefined && values.source.trim() === '') throw new UsageError('--source cannot be empty');
  if (values.source !== undefined && values.source.trim().length > MAX_SOURCE_LENGTH) {
    throw new UsageError(
      `--source is at most ${MAX_SOURCE_LENGTH} characters, or readers' settings could not prefer or exclude it (got ${values.source.trim().length} characters)`,
    );
  }
  if (values.json !== undefined && values.json.trim() === '') throw new UsageError('--json needs a file name');
  return {
    content: values.content,
    source: values.source,
    baseUrl,
    force: values.force ?? false,
    dryRun: values['dry-run'] ?? false,
    allowEmpty: values['allow-empty'] ?? false,
    json: values.json,
  };
}

/** Whether a JSON file holds a summary an earlier run wrote with `--json` (so writing it again loses nothing). */
function isIngestSummary(value: Record<string, unknown>): boolean {
  return 'documents' in value && 'chunks' in value && 'embeddingModel' in value;
}

/** Runs the ingest command; returns its exit code. */
export async function runIngestCli(io: CliIO): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const err = (line: string) => io.stderr.write(`${line}\n`);
  // `npm run ingest --dry-run` (no `--` before it): npm keeps the option, and the run would write;
  // `npm run ingest --content ../docs`: npm keeps --content and passes on its value alone, which
  // the parser would refuse as a stray argument without a word about the option typed.
  const swallowed = swallowedNpmFlag('ingest', ['dry-run', 'force', 'allow-empty', 'content', 'source', 'base-url', 'json'], io.argv, io.env);
  if (swallowed) {
    err(`ingest: ${swallowed}`);
    return 2;
  }
  let args: CliArgs | 'help';
  try {
    args = parseCliArgs(io.argv);
  } catch (error) {
    err(`ingest: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }

  let config: Config;
  try {
    config = loadConfig(io.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      err(error.message);
      return 2;
    }
    throw error;
  }

  // Without --content, the folder the server ingests on start, under the same source name.
  const contentDir = resolve(cwd, args.content ?? config.content.dir);
  const source = args.source ?? (contentDir === resolve(cwd, config.content.dir) ? config.content.source : undefined);
  if (!existsSync(contentDir)) {
    err(`ingest: content folder not found: ${contentDir} (${args.content === undefined ? 'CONTENT_DIR; ' : ''}pass --content DIR)`);
    return 2;
  }
  // Checked before the run: finding out only at the end would leave a run done but reported as failed.
  const jsonProblem = args.json === undefined ? undefined : (contentFileProblem(resolve(cwd, args.json), contentDir, { what: 'summary', earlier: 'an earlier summary', wroteBefore: isIngestSummary }) ?? unwritable(resolve(cwd, args.json)));
  if (jsonProblem) {
    err(`ingest: cannot write --json ${args.json}: ${jsonProblem}`);
    return 2;
  }
  const reporter = createProgressReporter({ stream: io.stderr });
  const writeJson = (summary: IngestSummary) => {
    if (args.json) writeFileSync(resolve(cwd, args.json), `${JSON.stringify(summary, null, 2)}\n`);
  };
  const finish = (summary: IngestSummary) => {
    reporter.finish();
    writeJson(summary);
    io.stdout.write(`${formatSummary(summary, { dryRun: args.dryRun })}\n`);
    return summary.documents.failed > 0 ? 1 : 0;
  };

  let handle: DatabaseHandle | undefined;
  try {
    // A server stopped while it opened the database holds it a few seconds more: waited for.
    handle = await openPastShuttingDownServer(() => openForIngest(config, args.dryRun, cwd), { onWait: (message) => err(message), signal: io.stopSignal });
  } catch (error) {
    if (isServerWaitOver(error)) {
      err(`ingest: ${(error as Error).message}`);
      return EXIT_TRY_LATER;
    }
    if (!(error instanceof DatabaseLockedError)) {
      err(`ingest: ${describeDatabaseError(error, config.databaseUrl)}`);
      return 2;
    }
    return runRemote(error, config, { ...args, source }, contentDir, io, reporter, finish);
  }

  const embedder = (io.createEmbedder ?? createEmbeddingProvider)(config);
  try {
    const summary = await ingestContent(handle?.db, embedder, {
      contentDir,
      source,
      baseUrl: args.baseUrl,
      force: args.force,
      dryRun: args.dryRun,
      allowEmpty: args.allowEmpty,
      maxPageBytes: config.content.maxPageBytes,
      signal: io.stopSignal,
      onProgress: (event) => reporter.onProgress(event),
    });
    return finish(summary);
  } catch (error) {
    reporter.finish();
    if (io.stopSignal?.aborted && error instanceof IngestRunError) {
      writeJson(error.summary);
      err(`ingest: stopped (${stopName(io.stopSignal)}). The pages written before it are in place; run the command again to finish the job.`);
      return stoppedExitCode(io.stopSignal);
    }
    if (error instanceof IngestRunError && error.cause instanceof EmptyContentError) {
      err(`ingest: ${error.message}`);
      return 2;
    }
    if (error instanceof IngestRunError) {
      writeJson(error.summary);
      err(`ingest: the run stopped: ${error.message}`);
      err('Documents written before the failure are in place; run the command again to finish the job.');
      return 2;
    }
    err(`ingest: ${(error as Error).message}`);
    return 2;
  } finally {
    await embedder.close();
    await handle?.close();
  }
}

/**
 * Opens the database for a run. A dry run never migrates or creates anything: when there is no
 * database yet (no embedded database in the folder, `memory://`, or no tables) it gets none
 * (`undefined`) and compares with an empty index: creating an empty embedded database, even in
 * memory, takes seconds (PGlite runs initdb), far longer than the dry run itself.
 */
async function openForIngest(config: Config, dryRun: boolean, cwd: string): Promise<DatabaseHandle | undefined> {
  if (dryRun) {
    const location = parseDatabaseLocation(config.databaseUrl, cwd);
    if (location.kind === 'pglite' && !isEmbeddedDatabase(location.dataDir)) return undefined;
    const handle = await openDatabase(config.databaseUrl, { purpose: 'ingest', cwd, sharedBuffers: config.pgliteSharedBuffers });
    const hasTables = await hasIndexTables(handle.db).catch(async (error: unknown) => {
      await handle.close();
      throw error;
    });
    if (hasTables) return handle;
    await handle.close();
    return undefined;
  }
  const handle = await openDatabase(config.databaseUrl, { purpose: 'ingest', cwd, sharedBuffers: config.pgliteSharedBuffers });
  try {
    await migrateDatabase(handle);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

/** Whether `dataDir` holds an embedded database (a Postgres data folder has `PG_VERSION`); `undefined` is `memory://`. */
function isEmbeddedDatabase(dataDir: string | undefined): boolean {
  return dataDir !== undefined && existsSync(join(dataDir, 'PG_VERSION'));
}

async function runRemote(
  locked: DatabaseLockedError,
  config: Config,
  args: CliArgs,
  contentDir: string,
  io: CliIO,
  reporter: ReturnType<typeof createProgressReporter>,
  finish: (summary: IngestSummary) => number,
): Promise<number> {
  const err = (line: string) => io.stderr.write(`${line}\n`);
  const url = locked.owner.url;
  if (!url) {
    err(`ingest: ${locked.message}`);
    return 2;
  }
  if (!config.adminToken) {
    err(
      `ingest: the database is in use by the Docent server at ${url} (pid ${locked.owner.pid}). ` +
        `To ingest through that server, set ADMIN_TOKEN to the server's admin token ` +
        `(e.g. ADMIN_TOKEN=… npm run ingest -- …, or in .env); or stop the server and run the command again.`,
    );
    return 2;
  }
  io.stderr.write(`The database is in use by the Docent server at ${url}: sending the run to it.\n`);
  /** Whether the server was still starting when last asked: a stop then ends a wait, not a run. */
  let waitingForStart = false;
  try {
    const summary = await ingestViaServer(
      {
        content: contentDir,
        source: args.source,
        baseUrl: args.baseUrl,
        force: args.force,
        dryRun: args.dryRun,
        ...(args.allowEmpty ? { allowEmpty: true } : {}),
      },
      // Stopping closes the connection, which stops the server's run after the page being written.
      {
        url,
        adminToken: config.adminToken,
        onProgress: (event) => {
          waitingForStart = false;
          reporter.onProgress(event);
        },
        signal: io.stopSignal,
        ...(io.serverStartTimeoutMs !== undefined ? { startTimeoutMs: io.serverStartTimeoutMs } : {}),
        onServerStarting: () => {
          waitingForStart = true;
          io.stderr.write(`The server is still starting (opening its database): waiting for it to serve, then sending the run (Ctrl+C stops waiting).\n`);
        },
      },
    );
    return finish(summary);
  } catch (error) {
    reporter.finish();
    if (io.stopSignal?.aborted && waitingForStart) {
      err(`ingest: stopped (${stopName(io.stopSignal)}) while waiting for the server to start: nothing was sent to it.`);
      return stoppedExitCode(io.stopSignal);
    }
    if (io.stopSignal?.aborted) {
      err(`ingest: stopped (${stopName(io.stopSignal)}); the server stops the run. The pages written before it are in place; run the command again to finish the job.`);
      return stoppedExitCode(io.stopSignal);
    }
    if (error instanceof RemoteIngestError) {
      err(`ingest: ${error.message}`);
      // The server was still starting after the longest wait: nothing was sent, running it later can work.
      return error.code === 'server_starting' ? EXIT_TRY_LATER : 2;
    }
    throw error;
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  loadDotEnv();
  // Ctrl+C stops the run after the page being written, so it is recorded as stopped (a run left
  // `running` on Postgres is waited for by the next one until it is taken for dead); a second
  // Ctrl+C quits at once.
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) process.exit(signalExitCode(signal));
    process.stderr.write(`\ningest: ${signal}: stopping after the page being written (press Ctrl+C again to quit at once)…\n`);
    stop.abort(new DOMException(signal, 'AbortError'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  runIngestCli({ argv: process.argv.slice(2), env: process.env, stdout: process.stdout, stderr: process.stderr, stopSignal: stop.signal }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error('ingest: unexpected failure:', error);
      process.exitCode = 2;
    },
  );
}
