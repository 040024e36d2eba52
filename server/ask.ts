/**
 * `npm run ask -- "question"`: answers a question in the terminal, streamed, then lists the
 * sources with their scores. Same pipeline as the chat widget (retrieval with a new user's
 * default settings, generated or extractive answer, citations checked, links to files of the docs
 * pointed where the built site serves them: `ask-here.ts`), and the answer is recorded like any
 * other (under one `ask-cli` user).
 *
 * When a running Docent server holds the embedded database, the question goes to that server's
 * `POST /api/chat` instead (no admin token needed), as one reader across runs (`./ask-server`).
 *
 * Exit codes: 0 answered · 1 the answer failed (the model or the server failed while answering) ·
 * 2 the question could not be asked (bad arguments or configuration, no index, the database
 * locked or unreachable) · 75 try again later (the model or embedding server's 429, the
 * Docent server's own limits, an embedding server that timed out, could not be reached or
 * failed, a Docent server still starting or shutting down after the longest wait, or one
 * answering 503 while it builds its first index; sysexits' EX_TEMPFAIL).
 */
import { createChatModel } from './answer/model';
import { askArguments } from './ask-args';
import { answerExitCode, askFailureExitCode } from './ask-exit';
import { answerHere } from './ask-here';
import { AskServerError, askServer, sessionFileFor } from './ask-server';
import { ConfigError, loadConfig, loadDotEnv } from './config';
import { DatabaseLockedError } from './db/lock';
import { describeDatabaseError } from './db/connect-error';
import { migrateDatabase } from './db/migrate';
import { NoIndexError, openExistingIndex } from './db/open-index';
import { chunks } from './db/schema';
import { openPastShuttingDownServer } from './cli/shutting-down-server';
import { isServerWaitOver } from './cli/try-later';
import { createEmbeddingProvider } from './embed';
import { MAX_QUESTION_CHARS } from './question-limit';
import { indexEmbeddingMismatch } from './retrieval/embedding-coverage';
import { createTracer } from './tracing';

const USAGE = `Usage: npm run ask -- "your question"

Answers from the indexed docs in the terminal (streamed), then lists the sources with their
retrieval scores (0–1). Uses OPENAI_API_KEY / OPENAI_BASE_URL when set, else answers
extractively. If a Docent server holds the embedded database, asks that server instead.
A question that starts with - goes after a second --: npm run ask -- -- "-v does what?"

Exit codes: 0 answered · 1 the answer failed · 2 the question could not be asked (bad
arguments or configuration, no index, the database locked or unreachable) · 75 try again
later (rate limited by the model or embedding server or a running Docent server, the
embedding server timed out, could not be reached or failed, or a running Docent server was
still starting or shutting down after the longest wait, or cannot answer yet: 503).`;

/**
 * Tells the answer's error, if any, on stderr; its exit code. `serverUrl`: the running server that
 * answered, whose log (not this terminal) has the failure's details.
 */
function reportAnswer(error: string | undefined, serverUrl?: string): number {
  if (error !== undefined) console.error(`\nask: ${error}${serverUrl ? `\n(the details are in the log of the Docent server at ${serverUrl})` : ''}`);
  return answerExitCode(error);
}

async function main(): Promise<number> {
  const parsed = askArguments(process.argv.slice(2));
  if ('help' in parsed) {
    console.log(USAGE);
    return 0;
  }
  if ('error' in parsed) {
    console.error(`ask: ${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  const { question } = parsed;
  if (question.length > MAX_QUESTION_CHARS) {
    console.error(`ask: the question is ${question.length} characters; the limit is ${MAX_QUESTION_CHARS}.`);
    return 2;
  }

  loadDotEnv();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`ask: ${error.message}`);
    return 2;
  }
  const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

  let database;
  try {
    // Never creates a database: a mistyped DATABASE_URL is said as such, as by `npm run search`.
    // A server stopped while it opened the database holds it a few seconds more: waited for.
    database = await openPastShuttingDownServer(() => openExistingIndex(config.databaseUrl, { purpose: 'ask', sharedBuffers: config.pgliteSharedBuffers }), {
      onWait: (message) => console.error(`(${message})`),
    });
  } catch (error) {
    if (error instanceof DatabaseLockedError && error.owner.url) {
      console.error(`(asking the running Docent server at ${error.owner.url})\n`);
      try {
        const answer = await askServer(error.owner.url, question, { sessionFile: sessionFileFor(error.dataDir), color });
        return reportAnswer(answer.error, error.owner.url);
      } catch (refusal) {
        if (!(refusal instanceof NoIndexError)) throw refusal;
        console.error(`ask: ${refusal.message}`);
        return 2;
      }
    }
    if (isServerWaitOver(error)) {
      console.error(`ask: ${(error as Error).message}`);
      return askFailureExitCode(error);
    }
    if (error instanceof DatabaseLockedError || error instanceof NoIndexError) console.error(`ask: ${error.message}`);
    else console.error(`ask: ${describeDatabaseError(error, config.databaseUrl)}`);
    return 2;
  }

  const embedder = createEmbeddingProvider(config);
  const tracer = createTracer(config);
  try {
    await migrateDatabase(database);
    const [indexed] = await database.db.select({ id: chunks.id }).from(chunks).limit(1);
    if (!indexed) {
      console.error('ask: nothing is indexed yet. Run `npm run ingest` (or `npm start`, which ingests content/) first.');
      return 2;
    }
    const mismatch = await indexEmbeddingMismatch(database.db, embedder.modelId);
    if (mismatch) console.error(`ask: warning: ${mismatch}\n`);
    const deps = { db: database.db, embedder, chatModel: createChatModel(config), tracer, onError: () => {} };
    const answer = await answerHere(deps, config, question, { out: process.stdout, color });
    return reportAnswer(answer.error);
  } finally {
    await tracer.flush(2_000);
    await embedder.close();
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof DatabaseLockedError || error instanceof AskServerError || isServerWaitOver(error)) {
      console.error(`ask: ${(error as Error).message}`);
    } else {
      console.error('ask: failed:', (error as Error).message ?? error);
    }
    process.exit(askFailureExitCode(error));
  },
);
