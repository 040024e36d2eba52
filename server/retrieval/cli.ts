/**
 * `npm run search -- "question" [--k 10] [--json FILE]`
 * `npm run search -- --questions FILE.jsonl [--k 10] --json OUT.jsonl`
 *
 * Runs the server's own retrieval ({@link search}) with a new user's default settings, so what
 * it prints is what Docent would answer from; no results means Docent would abstain.
 * Used by the evaluation and by people debugging retrieval.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { swallowedNpmFlag } from '../cli/npm-options';
import { readCommandLine, wholeNumberOption } from '../cli/options';
import { requireServerIndex } from '../cli/server-index';
import { isServerStartingResponse, waitForServerStart } from '../cli/server-start';
import { outputFileProblem } from '../cli/output-file';
import { openPastShuttingDownServer } from '../cli/shutting-down-server';
import { EXIT_TRY_LATER, isServerWaitOver, isTryLaterStatus } from '../cli/try-later';
import { ConfigError, type Config, loadConfig, loadDotEnv } from '../config';
import { describeDatabaseError } from '../db/connect-error';
import { DatabaseLockedError } from '../db/lock';
import type { Database, DatabaseHandle } from '../db/open';
import { NoIndexError, openExistingIndex } from '../db/open-index';
import { createEmbeddingProvider } from '../embed';
import type { EmbeddingProvider } from '../embed/provider';
import { MAX_QUESTION_CHARS } from '../question-limit';
import { embeddingCoverage, embeddingMismatchWarning } from './embedding-coverage';
import { QuestionFileError, readQuestionLines } from './questions';
import { search } from './search';
import { DEFAULT_RETRIEVAL_SETTINGS } from './settings';
import type { SearchResult } from './types';

/** Results per question when `--k` is not given. */
export const DEFAULT_K = 10;

/** Most results `GET /api/search` returns (its `k`). */
const MAX_SERVER_K = 50;

export const USAGE = `Usage: npm run search -- "question" [--k N] [--json FILE]
       npm run search -- --questions FILE.jsonl [--k N] --json OUT.jsonl

Searches the index (DATABASE_URL) with the server's retrieval and a new user's default settings
(score threshold ${DEFAULT_RETRIEVAL_SETTINGS.minScore}): no results means Docent would abstain. If a Docent server
holds the embedded database, searches through that server (GET /api/search, --k at most ${MAX_SERVER_K}).

Options:
  --k N              results per question, at most (default ${DEFAULT_K}; a new user sees ${DEFAULT_RETRIEVAL_SETTINGS.maxResults}).
                     The score threshold still applies, so there may be fewer.
  --json FILE        write the results as JSON: {"results":[...]} for one question; for
                     --questions, one line per question: {"id","results":[...]}
  --questions FILE   a JSON Lines file, one {"id","question"} per line (other fields are ignored)
  -h, --help         show this help

Each result: {"rank","score","path","title","headings","anchor","url","text"}.`;

/** One result as the search command writes it. */
export type SearchOutput = Pick<SearchResult, 'rank' | 'score' | 'path' | 'title' | 'headings' | 'anchor' | 'url' | 'text'>;

export interface Question {
  id: string;
  question: string;
}

export interface SearchCliIO {
  argv: string[];
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd?: string;
  /** Builds the embedder from the configuration. Default `createEmbeddingProvider` (tests pass a deterministic one). */
  createEmbedder?: (config: Config) => EmbeddingProvider;
  /** Longest wait for a Docent server that is still starting, in ms. Default 10 minutes (tests shorten it). */
  serverStartTimeoutMs?: number;
}

class UsageError extends Error {}

/** A result's fields the command writes (a search result, or one the server sent, which may carry more). */
export function toSearchOutput(r: SearchOutput): SearchOutput {
  return { rank: r.rank, score: r.score, path: r.path, title: r.title, headings: r.headings, anchor: r.anchor, url: r.url, text: r.text };
}

/** Searches one question with a new user's default settings, `k` results at most. */
export async function searchQuestion(db: Database, embedder: EmbeddingProvider, question: string, k: number): Promise<SearchOutput[]> {
  const results = await search(db, { query: question, embedder, settings: DEFAULT_RETRIEVAL_SETTINGS, limit: k });
  return results.map(toSearchOutput);
}

/** Runs the search command; returns its exit code (0 ok, 2 bad usage, nothing indexed (here or on the running server) or failure, 75 try again later: a running server still starting or shutting down after the longest wait, or answering 503 or 429). */
export async function runSearchCli(io: SearchCliIO): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const err = (line: string) => io.stderr.write(`${line}\n`);
  let read;
  try {
    read = readCommandLine(io.argv, { k: { type: 'string' }, json: { type: 'string' }, questions: { type: 'string' } }, Infinity);
  } catch (error) {
    err(`search: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (read === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { values, positionals } = read;
  // `npm run search --json out.json "q"` (no `--`): npm keeps --json, and its file name would be
  // searched as part of the question, with no file written.
  const swallowed = swallowedNpmFlag('search', ['json', 'questions'], io.argv, io.env);
  if (swallowed) {
    err(`search: ${swallowed}`);
    return 2;
  }

  let k = DEFAULT_K;
  let questions: Question[];
  try {
    if (values.k !== undefined) {
      try {
        k = wholeNumberOption('k', values.k, 1, 100);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    }
    if (values.json !== undefined && values.json.trim() === '') throw new UsageError('--json needs a file name');
    if (values.questions !== undefined) {
      if (positionals.length > 0) throw new UsageError('give either a question or --questions FILE, not both');
      if (!values.json) throw new UsageError('--questions needs --json OUT.jsonl for the results');
      const file = resolve(cwd, values.questions);
      if (!existsSync(file)) throw new UsageError(`questions file not found: ${file}`);
      const lines = readQuestionLines(file);
      // As a running server would refuse it (GET /api/search), whichever way this search goes.
      const long = lines.find((q) => q.question.length > MAX_QUESTION_CHARS);
      if (long) throw new UsageError(`${long.where}: the question is ${long.question.length} characters; the limit is ${MAX_QUESTION_CHARS}`);
      questions = lines.map(({ id, question }) => ({ id, question }));
    } else {
      const question = positionals.join(' ').trim();
      if (question === '') throw new UsageError('what should I search for? Pass a question in quotes.');
      if (question.length > MAX_QUESTION_CHARS) throw new UsageError(`the question is ${question.length} characters; the limit is ${MAX_QUESTION_CHARS}`);
      questions = [{ id: '', question }];
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof QuestionFileError) {
      err(`search: ${error.message}${/^--|question\?/.test(error.message) ? `\n\n${USAGE}` : ''}`);
      return 2;
    }
    throw error;
  }
  // Checked before searching: a batch of questions must not end in an error that loses its results.
  const jsonProblem = values.json === undefined ? undefined : outputFileProblem(resolve(cwd, values.json), values.questions === undefined ? [] : [resolve(cwd, values.questions)]);
  if (jsonProblem) {
    err(`search: cannot write --json ${values.json}: ${jsonProblem}`);
    return 2;
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

  let handle: DatabaseHandle | undefined;
  let serverUrl: string | undefined;
  try {
    // A server stopped while it opened the database holds it a few seconds more: waited for.
    handle = await openPastShuttingDownServer(() => openExistingIndex(config.databaseUrl, { purpose: 'search', cwd, sharedBuffers: config.pgliteSharedBuffers }), {
      onWait: (message) => err(`(${message})`),
    });
  } catch (error) {
    if (isServerWaitOver(error)) {
      err(`search: ${(error as Error).message}`);
      return EXIT_TRY_LATER;
    }
    if (!(error instanceof DatabaseLockedError && error.owner.url)) {
      err(`search: ${error instanceof NoIndexError || error instanceof DatabaseLockedError ? error.message : describeDatabaseError(error, config.databaseUrl)}`);
      return 2;
    }
    // The running server holds the embedded database: it searches for us (`GET /api/search`),
    // with the same defaults, as `npm run ask` and `npm run ingest` hand their work to it.
    if (k > MAX_SERVER_K) {
      err(`search: the database is in use by the Docent server at ${error.owner.url}, which returns at most ${MAX_SERVER_K} results: use --k ${MAX_SERVER_K} or less, or stop the server.`);
      return 2;
    }
    serverUrl = error.owner.url;
    err(`(searching through the running Docent server at ${serverUrl})`);
  }

  const embedder = handle ? (io.createEmbedder ?? createEmbeddingProvider)(config) : undefined;
  if (handle && embedder) {
    const mismatch = embeddingMismatchWarning(await embeddingCoverage(handle.db, embedder.modelId), embedder.modelId);
    if (mismatch) err(`search: warning: ${mismatch}`);
  }
  // The server's warning about its index, printed once (a questions file asks many times).
  let warned = false;
  const serverWarning = (warning: string) => {
    if (!warned) err(`search: warning: ${warning}`);
    warned = true;
  };
  const searchOne = (question: string) => (handle ? searchQuestion(handle.db, embedder!, question, k) : searchServer(serverUrl!, question, k, serverWarning, io.serverStartTimeoutMs));
  try {
    // An empty index is said as such, as it is of a local database, not searched for abstentions.
    if (serverUrl) await requireServerIndex(serverUrl, { onWait: err, ...(io.serverStartTimeoutMs === undefined ? {} : { startTimeoutMs: io.serverStartTimeoutMs }) });
    if (values.questions !== undefined) {
      const out: string[] = [];
      let empty = 0;
      for (const q of questions) {
        const results = await searchOne(q.question);
        if (results.length === 0) empty++;
        out.push(JSON.stringify({ id: q.id, results }));
      }
      writeFileSync(resolve(cwd, values.json!), `${out.join('\n')}\n`);
      io.stdout.write(
        `Searched ${questions.length} questions (k=${k}); ${empty} with no results (Docent would abstain). Wrote ${values.json}\n`,
      );
      return 0;
    }
    const results = await searchOne(questions[0]!.question);
    io.stdout.write(`${formatResults(results)}\n`);
    if (values.json) writeFileSync(resolve(cwd, values.json), `${JSON.stringify({ results }, null, 2)}\n`);
    return 0;
  } catch (error) {
    err(`search: ${(error as Error).message}`);
    return isServerWaitOver(error) || (error instanceof SearchServerError && isTryLaterStatus(error.status)) ? EXIT_TRY_LATER : 2;
  } finally {
    await embedder?.close();
    await handle?.close();
  }
}

/** A Docent server refused a search (its HTTP status), or answered something that is not results. */
export class SearchServerError extends Error {
  override readonly name = 'SearchServerError';
  constructor(
    message: string,
    /** The server's HTTP status (`429`, `503`: try again later). */
    readonly status: number,
  ) {
    super(message);
  }
}

/** Longest wait for the server's search rate limit (`Retry-After`) before giving up. */
const MAX_RATE_LIMIT_WAIT_MS = 70_000;

/**
 * One question searched by the Docent server at `url` (`GET /api/search`, a new reader's default
 * settings, as {@link searchQuestion}). A `429` (a questions file passing the server's search rate
 * limit) waits as long as the server asks and tries again; so does a server still starting (`503 server_starting`). `onWarning` gets the server's
 * `warning` (its chunks embedded with another model than its own), when there is one.
 * `startTimeoutMs`: the longest wait for a server still starting (default 10 minutes).
 */
export async function searchServer(url: string, question: string, k: number, onWarning?: (warning: string) => void, startTimeoutMs?: number): Promise<SearchOutput[]> {
  const query = new URLSearchParams({ q: question, k: String(k) });
  for (;;) {
    const res = await fetch(`${url}/api/search?${query}`);
    // Still opening its database (`503 server_starting`): asked again once it serves.
    if (await isServerStartingResponse(res)) {
      await waitForServerStart(url, startTimeoutMs === undefined ? {} : { timeoutMs: startTimeoutMs });
      continue;
    }
    if (res.status === 429) {
      const wait = Math.max(1, Number(res.headers.get('retry-after')) || 1) * 1000;
      if (wait > MAX_RATE_LIMIT_WAIT_MS) throw new SearchServerError(`the server at ${url} limits searches; try again in ${Math.round(wait / 1000)} s`, 429);
      await new Promise((resolve) => setTimeout(resolve, wait));
      continue;
    }
    const body = (await res.json().catch(() => undefined)) as { results?: SearchOutput[]; warning?: unknown; error?: { message?: string } } | undefined;
    if (!res.ok || !Array.isArray(body?.results)) throw new SearchServerError(`the server at ${url} answered ${res.status}: ${body?.error?.message ?? res.statusText}`, res.status);
    if (typeof body.warning === 'string') onWarning?.(body.warning);
    return body.results.map(toSearchOutput);
  }
}

/** Results for a person: rank, score, where, and the start of the text. */
export function formatResults(results: SearchOutput[]): string {
  if (results.length === 0) return 'No results above the score threshold: Docent would abstain.';
  return results
    .map((r) => {
      const preview = r.text.replace(/\s+/g, ' ').slice(0, 160);
      return `${r.rank}. ${r.score.toFixed(4)}  ${r.path}  ${r.headings.join(' > ')}\n   ${r.url}\n   ${preview}${r.text.length > 160 ? '…' : ''}`;
    })
    .join('\n\n');
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  loadDotEnv();
  runSearchCli({ argv: process.argv.slice(2), env: process.env, stdout: process.stdout, stderr: process.stderr }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error('search: unexpected failure:', error);
      process.exitCode = 2;
    },
  );
}
