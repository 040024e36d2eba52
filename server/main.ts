/**
 * Composition root: configuration → port (bound first, answering `starting`) → database → migrations → serve, with the content ingested in the background
 * (and, under `npm start`, the docs site rebuilt in the background when it is out of date).
 * `npm start` runs this file. It takes no arguments (its settings are environment variables):
 * `--help` prints the usage (exit code 0), any other argument the usage and exit code 2, without starting.
 * Exit code 2 also when it cannot start (invalid configuration, a database locked, too new or unreachable).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { type Config, ConfigError, loadConfig, loadDotEnv, siteUrlWarning } from './config';
import { describeDatabaseError, isDatabaseError } from './db/connect-error';
import { DatabaseLockedError } from './db/lock';
import { type DatabaseHandle, DataFolderError, parseDatabaseLocation } from './db/open';
import { answerClientErrorsWithJson } from './http/client-errors';
import { suggestFreePort } from './http/free-port';
import { createStartingApp } from './http/starting-app';
import { buildSiteInBackground, type SiteBuild } from './site-build';
import type { IngestRunner } from './http/app';

/**
 * The rest of Docent, loaded once the port is bound (about a second of module loading that
 * readers would otherwise meet as "connection refused"). The only server module that imports
 * ingest/ (see ../shared/ARCHITECTURE.md).
 */
async function loadDocent() {
  const [turn, chatsStore, migrate, bufferCache, open, vacuum, embed, app, auth, backgroundIngest, indexStatus, coverage, tracing, ingest, onStart] = await Promise.all([
    import('./answer/turn'),
    import('./chats/store'),
    import('./db/migrate'),
    import('./db/buffer-cache'),
    import('./db/open'),
    import('./db/vacuum'),
    import('./embed'),
    import('./http/app'),
    import('./http/auth'),
    import('./background-ingest'),
    import('./index-status'),
    import('./retrieval/embedding-coverage'),
    import('./tracing'),
    import('../ingest/index'),
    import('../ingest/on-start'),
  ]);
  return { ...turn, ...chatsStore, ...migrate, ...bufferCache, ...open, ...vacuum, ...embed, ...app, ...auth, ...backgroundIngest, ...indexStatus, ...coverage, ...tracing, ...ingest, ...onStart };
}

/** The modules {@link loadDocent} loads. */
type Docent = Awaited<ReturnType<typeof loadDocent>>;

const USAGE = `Usage: npm start

Starts Docent: applies database migrations, serves the docs site, the chat widget and the API on
PORT (default 4321), and ingests CONTENT_DIR meanwhile (unless INGEST_ON_START=false); the first
time, questions are answered once that ingest is done. Under npm start, the docs site is rebuilt
meanwhile when CONTENT_DIR or site/ changed (the site built before is served until then). It takes no
options: set environment variables (or .env) instead, e.g. PORT=8080 npm start.
See content/reference/configuration.md for every setting.`;

/** How often a server whose first index is incomplete checks whether another process finished it, in ms. */
const FINISHED_CHECK_MS = 30_000;

async function main() {
  const args = process.argv.slice(2);
  if (args.length > 0) {
    const help = args.length === 1 && (args[0] === '--help' || args[0] === '-h');
    (help ? console.log : console.error)(`${help ? '' : `[docent] npm start takes no arguments (got ${args.map((a) => JSON.stringify(a)).join(' ')}).\n\n`}${USAGE}`);
    process.exit(help ? 0 : 2);
  }
  loadDotEnv();
  const config = loadConfig();
  const siteWarning = siteUrlWarning(config.siteUrl);
  if (siteWarning) console.log(`[docent] warning: ${siteWarning}`);

  // The port is bound first: while the database opens and migrates (seconds, minutes for a long
  // migration), a reverse proxy or a reader gets the docs site, `GET /api/health` says `starting`
  // and the rest of the API `503 server_starting`, rather than "connection refused".
  /** Under `npm start`, the build of the docs site when it is out of date, started once the port is bound. */
  let siteBuild: SiteBuild | undefined;
  const siteBuildState = () => siteBuild?.state();
  let handler: (request: Request, env: unknown) => Response | Promise<Response> = createStartingApp({
    config,
    databaseKind: parseDatabaseLocation(config.databaseUrl).kind,
    siteBuild: siteBuildState,
  }).fetch;
  const server = serve({ fetch: (request, env) => handler(request, env), hostname: config.host, port: config.port });
  answerClientErrorsWithJson(server);
  const listenError = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    server.once('listening', () => resolve(undefined));
    server.once('error', resolve);
  });
  if (listenError) {
    // A busy port, a HOST that is not this machine's: one line, before any database is opened,
    // and exit code 2, as nothing was started (a process manager or script can tell it from a crash).
    console.error(`[docent] ${await listenFailure(listenError, config.host, config.port)}`);
    process.exit(2);
  }
  // `npm start` (not `node server/main.ts`, as a deployment that builds the site once runs it)
  // rebuilds the docs site when the content or the site changed: in a child process, after the
  // port is bound, so the site built before (or a page saying it is being built) is served
  // meanwhile, and the new one from the moment it is swapped in.
  if (process.env.npm_lifecycle_event === 'start') siteBuild = buildSiteInBackground({ contentDir: config.content.dir, siteDir: 'site/dist' });

  // A stop signal while Docent loads its modules or opens the database closes the port at once; a
  // database being opened is closed (its lock released) once opening and migrating end, rather
  // than killed part way. Taken from the moment the port is bound, as health then says `starting`.
  let stopRequested = false;
  const onStartingSignal = (signal: string) => {
    if (stopRequested) return;
    stopRequested = true;
    console.log(`[docent] ${signal}: shutting down`);
    server.close();
    void siteBuild?.stop();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  const onStartingSigint = () => onStartingSignal('SIGINT');
  const onStartingSigterm = () => onStartingSignal('SIGTERM');
  process.on('SIGINT', onStartingSigint);
  process.on('SIGTERM', onStartingSigterm);

  const docent = await loadDocent();
  // Stopped while loading: nothing was opened.
  if (stopRequested) process.exit(0);
  const {
    createApp,
    createEmbeddingProvider,
    createIndexStatus,
    createTracer,
    embeddingCoverage,
    embeddingMismatchWarning,
    grownCacheHint,
    hasFinishedIngest,
    incompleteIndexReason,
    ingestContent,
    ingestOnStart,
    ingestSource,
    isIngestRunning,
    isWorthRetrying,
    otherModelChunksOutside,
    runBackgroundIngest,
    stopAnswering,
    unfinishedSources,
    waitForActiveTurns,
  } = docent;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}`;

  let database: DatabaseHandle;
  try {
    database = await openMigratedDatabase(docent, config, url);
  } catch (error) {
    server.close();
    throw error;
  }
  if (stopRequested) {
    await database.close();
    process.exit(0);
  }

  const embedder = createEmbeddingProvider(config);
  const tracer = createTracer(config);
  console.log(
    `[docent] answers: ${config.llm.enabled ? `${config.llm.model} (chat completions)` : 'extractive (no OPENAI_API_KEY or OPENAI_BASE_URL)'}` +
      `${tracer.enabled ? '; LangSmith tracing on' : ''}`,
  );

  // The ingest on start runs in the background: the docs site is served meanwhile. A first index (this content folder was
  // never ingested to the end) takes minutes on a large folder: meanwhile questions get `503
  // index_building` and the health check says `building`. A restart with an index serves it while
  // changed pages are re-ingested, each switching to its new version when it is written.
  const indexStatus = createIndexStatus();
  const ingestsOnStart = config.content.ingestOnStart;
  const contentSource = ingestSource(resolve(config.content.dir), config.content.source);
  const firstIndex = ingestsOnStart && !(await hasFinishedIngest(database.db, config));
  if (ingestsOnStart) indexStatus.begin(firstIndex ? 'building' : 'updating');
  // A source no run ever finished (a first `npm run ingest` that failed, was stopped or still runs
  // elsewhere) holds only its first pages: not answered from, until a run of it finishes. The
  // content folder's own source is the ingest on start's to finish, when there is one.
  const unfinished = (await unfinishedSources(database.db)).filter((source) => !ingestsOnStart || source !== contentSource);
  const unfinishedLabel = unfinished.map((source) => `source "${source}"`).join(', ');
  let holdingUnfinished = unfinished.length > 0;
  if (holdingUnfinished) {
    indexStatus.holdIncomplete(
      `No ingest of ${unfinishedLabel} ever finished (npm run ingest failed, was stopped, or is still running): the index holds only some of its pages. ` +
        'Questions are answered once a run finishes.',
    );
  }
  /** Whether the first index of the content folder was left incomplete by the ingest on start (until a run finishes it). */
  let contentIncomplete = false;
  /** Aborted when a run through this server finished the content folder's source: the ingest on start's retries end. */
  const contentFinishedElsewhere = new AbortController();
  /**
   * Whether the ingest on start, when it runs, re-embeds every chunk of another embedding model:
   * they all belong to the content folder's source (it leaves other sources as they are).
   */
  const reembedsEveryOtherModelChunk = async () => {
    const contentDir = resolve(config.content.dir);
    return existsSync(contentDir) && (await otherModelChunksOutside(database.db, embedder.modelId, ingestSource(contentDir, config.content.source))) === 0;
  };
  /** Whether the ingest on start runs now (or waits to try again) and re-embeds every chunk of another model: for health and search. */
  const reembeddingOnStart = async () => {
    const { state } = indexStatus.report();
    return ingestsOnStart && (state === 'building' || state === 'updating') && (await reembedsEveryOtherModelChunk());
  };
  /**
   * Warnings about the index as it is: printed before the server answers questions from it.
   * `reembedding`: the ingest on start is about to run, so chunks of another model in the content
   * folder's source are re-embedded by it, and the warning says so rather than ask for an ingest.
   */
  const warnAboutIndex = async (reembedding = false) => {
    const coverage = await embeddingCoverage(database.db, embedder.modelId);
    if (coverage.matching === coverage.total) return;
    const reembeds = reembedding && (await reembedsEveryOtherModelChunk());
    const mismatch = embeddingMismatchWarning(coverage, embedder.modelId, { reembedding: reembeds });
    if (mismatch) console.log(`[docent] warning: ${mismatch}`);
  };
  if (!firstIndex) await warnAboutIndex(ingestsOnStart);
  /** Whether the ingest on start left the first index incomplete at some point. */
  let wasIncomplete = false;
  let toldComplete = false;
  let finishedCheck: NodeJS.Timeout | undefined;
  /**
   * An incomplete index (a first index left so by a failed ingest on start, sources no run ever
   * finished) is finished by a later ingest (`npm run ingest`, through this server or, on
   * Postgres, another process): then the server answers.
   */
  const answerOnceFinished = async () => {
    const finished: string[] = [];
    if (holdingUnfinished && (await unfinishedSources(database.db)).every((source) => !unfinished.includes(source))) {
      holdingUnfinished = false;
      indexStatus.holdIncomplete(undefined);
      finished.push(unfinishedLabel);
    }
    if (contentIncomplete && (await hasFinishedIngest(database.db, config))) {
      contentIncomplete = false;
      contentFinishedElsewhere.abort();
      indexStatus.end();
      finished.push(config.content.dir);
    }
    if (finished.length === 0) return;
    if (!holdingUnfinished && !contentIncomplete) clearInterval(finishedCheck);
    const answering = indexStatus.report().state === 'ready' || indexStatus.report().state === 'updating';
    if (answering) {
      toldComplete = true;
      await warnAboutIndex().catch(() => {});
    }
    console.log(`[docent] the index of ${finished.join(', ')} is complete${answering ? `; serving ${url}` : ''}`);
  };
  /** The index is incomplete: check now and then whether another process's ingest finished it. */
  const watchForFinishedIndex = () => {
    finishedCheck ??= setInterval(() => void answerOnceFinished().catch(() => {}), FINISHED_CHECK_MS);
    finishedCheck.unref();
  };
  /** `npm run ingest` through this server: while it finishes an incomplete index, the health check shows its progress. */
  const runIngest: IngestRunner = async (options, onProgress) => {
    const source = ingestSource(resolve(options.contentDir), options.source);
    const finishing = !options.dryRun && ((contentIncomplete && source === contentSource) || (holdingUnfinished && unfinished.includes(source)));
    const untrack = finishing ? indexStatus.track() : undefined;
    try {
      return await ingestContent(database.db, embedder, {
        maxPageBytes: config.content.maxPageBytes,
        ...options,
        onProgress: (event) => {
          onProgress(event);
          if (untrack) indexStatus.progress(event);
        },
      });
    } finally {
      untrack?.();
      await answerOnceFinished().catch(() => {});
    }
  };

  const app = createApp({ database, config, embedder, tracer, runIngest, ingestRunning: isIngestRunning, indexStatus, reembeddingOnStart, siteBuild: siteBuildState, contentSource });
  handler = app.fetch;
  const stopIngest = new AbortController();
  let ingesting: Promise<void> | undefined;
  /** The ingest on start, in the background (tried again after a failure worth it); the lines saying when the server answers. */
  const ingestInBackground = async () => {
    const outcome = await runBackgroundIngest({
      attempt: async (first, onFailure) => {
        await ingestOnStart(database.db, config, { embedder, firstIndex: first, onProgress: indexStatus.progress, signal: stopIngest.signal, onFailure });
      },
      isFinished: () => hasFinishedIngest(database.db, config),
      isWorthRetrying,
      incompleteReason: incompleteIndexReason,
      status: indexStatus,
      firstIndex,
      label: config.content.dir,
      signal: stopIngest.signal,
      finishedElsewhere: contentFinishedElsewhere.signal,
      onIncomplete: () => {
        contentIncomplete = true;
        wasIncomplete = true;
        console.log(`[docent] listening on ${url}, but not answering questions: the index of ${config.content.dir} is incomplete (GET /api/health says so)`);
        watchForFinishedIndex();
      },
    });
    if (outcome === 'stopped' || outcome === 'incomplete') return;
    contentIncomplete = false;
    const hint = grownCacheHint(config.pgliteSharedBuffers, database.sharedBuffersMb, database.dataDir);
    if (hint) console.log(`[docent] ${hint}`);
    if (!holdingUnfinished) clearInterval(finishedCheck);
    if (toldComplete) return;
    if (holdingUnfinished) {
      if (firstIndex || wasIncomplete) console.log(`[docent] the index of ${config.content.dir} is complete, but not answering questions: no ingest of ${unfinishedLabel} ever finished`);
      return;
    }
    await warnAboutIndex().catch(() => {});
    if (wasIncomplete) console.log(`[docent] the index of ${config.content.dir} is complete; serving ${url}`);
    else if (firstIndex) console.log(`[docent] serving ${url}`);
    toldComplete = true;
  };

  let stopping = false;
  /** Stops serving, closes the database (which releases its lock) and exits with `exitCode`. */
  const stop = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    // An ingest on start still running stops after the page it is writing; the next start finishes it.
    stopIngest.abort();
    // A site build still running stops; the site built before stays, and the next start builds again.
    const stoppingBuild = siteBuild?.stop();
    clearInterval(finishedCheck);
    // Stop accepting connections; answers still streaming get a few seconds to finish and be recorded.
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      setTimeout(() => {
        // Answers still streaming are stopped and stored as cut off by the server (not by their
        // readers), and a reader still connected is told so before the connections close.
        stopAnswering();
        void waitForActiveTurns(1_000).then(() => {
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
          resolve();
        });
      }, 5_000).unref();
    });
    // Answers cut off just now are recorded as aborted before the database closes.
    await waitForActiveTurns(2_000);
    await tracer.flush(2_000);
    await ingesting;
    await stoppingBuild;
    await embedder.close();
    await database.close();
    process.exit(exitCode);
  };
  const onSignal = (signal: string) => {
    if (!stopping) console.log(`[docent] ${signal}: shutting down`);
    void stop(0);
  };
  process.off('SIGINT', onStartingSigint);
  process.off('SIGTERM', onStartingSigterm);
  if (stopRequested) {
    await embedder.close();
    await database.close();
    process.exit(0);
  }
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  // "serving" means the server answers questions: at once, or once the first index is built.
  if (unfinished.length > 0) {
    console.log(`[docent] listening on ${url}, but not answering questions: no ingest of ${unfinishedLabel} ever finished (GET /api/health says so)`);
    watchForFinishedIndex();
  } else if (firstIndex) {
    console.log(`[docent] listening on ${url}; questions are answered once the first index of ${config.content.dir} is built (GET /api/health shows how far it is)`);
  } else {
    console.log(`[docent] serving ${url}`);
  }
  // Load the embedding model now rather than on the first reader's question (~1–2 s).
  embedder.warmUp?.();
  if (ingestsOnStart) ingesting = ingestInBackground();
}

/**
 * Opens the database and brings it up to date: migrations applied, answers left streaming by a
 * previous run marked aborted, expired sessions purged (with the readers they leave with nothing),
 * an embedded database's chat tables vacuumed when due; each step's lines printed. A database this
 * version must not run on (from a newer Docent) is closed, and its lock released, before the error is thrown.
 * An embedded database's lock names `url` (the port is bound already) from the moment it is taken: `npm run ingest`,
 * search and ask find the server there, and wait while it answers `server_starting`.
 */
async function openMigratedDatabase(docent: Docent, config: Config, url: string): Promise<DatabaseHandle> {
  const { abortStaleStreamingMessages, describeBufferCache, migrateDatabase, openDatabase, purgeExpiredSessions, vacuumIfDue } = docent;
  const database = await openDatabase(config.databaseUrl, { purpose: 'server', url, sharedBuffers: config.pgliteSharedBuffers });
  const cache = database.sharedBuffersMb === undefined ? '' : ` (${describeBufferCache(config.pgliteSharedBuffers, database.sharedBuffersMb)})`;
  console.log(`[docent] database: ${database.description}${cache}`);
  const stale = database.lock?.tookOver;
  if (stale) console.log(`[docent] database: took over the lock of ${stale.purpose} pid ${stale.pid} (since ${stale.startedAt}), which is no longer running`);
  try {
    const migrationStart = Date.now();
    const { pending, fresh } = await migrateDatabase(database, {
      onPlan: ({ pending, fresh, warnings }) => {
        for (const warning of warnings) console.log(`[docent] database: warning: ${warning}`);
        if (pending.length > 0 && !fresh) {
          const which = pending.length === 1 ? pending[0] : `${pending[0]} … ${pending.at(-1)}`;
          console.log(`[docent] database: applying ${pending.length} migration(s) (${which}); on a large database this can take minutes`);
        }
      },
    });
    if (pending.length > 0 && !fresh) console.log(`[docent] database: migrations applied in ${((Date.now() - migrationStart) / 1000).toFixed(1)} s`);
    const aborted = await abortStaleStreamingMessages(database.db);
    if (aborted) console.log(`[docent] marked ${aborted} answer(s) left unfinished by a previous run as aborted`);
    await purgeExpiredSessions(database.db);
    // The embedded database has no autovacuum: its chat tables are vacuumed here, before serving, when due.
    const vacuumed = await vacuumIfDue(database);
    if (vacuumed.tables.length > 0) {
      console.log(`[docent] database: vacuumed ${vacuumed.tables.join(', ')} in ${(vacuumed.ms / 1000).toFixed(1)} s (the embedded database has no autovacuum)`);
    }
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

/** What to print when the server cannot listen on `host`:`port`: for a busy port, a free one to use instead. */
async function listenFailure(error: NodeJS.ErrnoException, host: string, port: number): Promise<string> {
  if (error.code === 'EADDRINUSE') {
    const free = await suggestFreePort(host, port);
    return (
      `Port ${port} is already in use on ${host}: another program (often another Docent) is listening on it. ` +
      `Stop it, or start Docent on another port${free === undefined ? ' (PORT=…)' : `, e.g. PORT=${free} (free now)`}.`
    );
  }
  return `Could not listen on ${host}:${port}: ${error.message}`;
}

// Exit code 2 when nothing was started (configuration, a busy port, a database locked, too new,
// unreachable or refusing), as the other commands do; 1 for an unexpected failure.
main().catch((error: unknown) => {
  // By name: the module of DatabaseTooNewError loads after the port is bound.
  if (
    error instanceof ConfigError ||
    error instanceof DatabaseLockedError ||
    error instanceof DataFolderError ||
    (error instanceof Error && error.name === 'DatabaseTooNewError')
  ) {
    console.error(`[docent] ${error.message}`);
    process.exit(2);
  }
  if (isDatabaseError(error)) {
    // An unreachable server, a refused login, a missing extension: the reason, not a stack trace.
    console.error(`[docent] failed to start: database: ${describeDatabaseError(error, process.env.DATABASE_URL)}`);
    process.exit(2);
  }
  console.error('[docent] failed to start:', error);
  process.exit(1);
});
