/**
 * `npm run ask` through a running Docent server (when it holds the embedded database): the
 * question goes to its `POST /api/chat`, as one reader across runs. The session cookie the server
 * sets is kept in a file (mode 0600, beside the database's lock) and sent back on the next run, so
 * the command does not make a new anonymous reader each time, nor run into the server's limit on
 * new readers per address. The cookie is never printed.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { renderAnswer, sseChunks, type RenderedAnswer } from './answer/ui-stream';
import { requireServerIndex, SERVER_STARTING_WAIT } from './cli/server-index';
import { isServerStartingResponse, waitForServerStart } from './cli/server-start';
import type { NoIndexError } from './db/open-index';
import { SESSION_COOKIE } from './http/auth';

/** A refusal from the server, with a message for the terminal (no stack trace needed) and the HTTP status. */
export class AskServerError extends Error {
  override readonly name = 'AskServerError';
  constructor(
    message: string,
    /** The server's HTTP status: 429 when one of its rate limits refused the question, 503 while it cannot answer for now. */
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface AskServerOptions {
  /**
   * The file that keeps the session cookie between runs ({@link sessionFileFor}). Default: none,
   * a new reader each run.
   */
  sessionFile?: string;
  /** Where the answer is written. Default `process.stdout`. */
  out?: { write(text: string): unknown };
  /** Dim the sources list (a terminal). Default false. */
  color?: boolean;
  /** Told when the session cannot be kept (the file is not writable). Default: one line on `console.error`. */
  onWarning?: (message: string) => void;
  /** Longest wait for a server still starting, in ms. Default 10 minutes (tests shorten it). */
  startTimeoutMs?: number;
}

/** Where `ask` keeps its session with the server that holds the embedded database at `dataDir`: beside the lock. */
export function sessionFileFor(dataDir: string): string {
  return `${dataDir}.ask-session`;
}

/** What a session token looks like (`base64url`; the server ignores longer ones). */
const TOKEN = /^[A-Za-z0-9_-]{1,200}$/;

function readSession(file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    const token = readFileSync(file, 'utf8').trim();
    return TOKEN.test(token) ? token : undefined;
  } catch {
    return undefined;
  }
}

/** Writes (or, with `undefined`, removes) the session file; readable by its owner only. */
function writeSession(file: string, token: string | undefined): void {
  if (token === undefined) {
    rmSync(file, { force: true });
    return;
  }
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${token}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/**
 * The session cookie's state after the response's `Set-Cookie` headers, in order: a new token,
 * `null` when the server cleared it (a session it does not know), `undefined` when untouched.
 */
function sessionFromResponse(headers: Headers): string | null | undefined {
  let session: string | null | undefined;
  for (const header of headers.getSetCookie()) {
    const [pair = '', ...attributes] = header.split(';');
    const eq = pair.indexOf('=');
    if (eq === -1 || pair.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = pair.slice(eq + 1).trim();
    const cleared = attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a)) || !TOKEN.test(value);
    session = cleared ? null : value;
  }
  return session;
}

/** The start of a 429's message ("Too many questions: at most 30 per 60 s"), without the advice meant for HTTP clients. */
function limitOf(message: string | undefined): string {
  const first = message?.split(/\.(?:\s|$)/)[0]?.trim();
  return first ? `${first[0]!.toLowerCase()}${first.slice(1)}` : 'too many requests';
}

/**
 * Asks the Docent server at `url` and renders its answer; throws {@link AskServerError} when it
 * refuses, and {@link NoIndexError} when it serves an empty index (nothing ingested: asked
 * locally, the command says so too, rather than print an abstention). A server still starting
 * (opening its database) is waited for.
 */
export async function askServer(url: string, question: string, options: AskServerOptions = {}): Promise<RenderedAnswer> {
  const { sessionFile } = options;
  const token = readSession(sessionFile);
  const warn = options.onWarning ?? ((m: string) => console.error(m));
  const { startTimeoutMs } = options;
  await requireServerIndex(url, { onWait: warn, ...(startTimeoutMs === undefined ? {} : { startTimeoutMs }) });
  const ask = () =>
    fetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { cookie: `${SESSION_COOKIE}=${token}` } : {}) },
      body: JSON.stringify({
        id: `ask-${Date.now()}`,
        messages: [{ id: 'q', role: 'user', parts: [{ type: 'text', text: question }] }],
        trigger: 'submit-message',
      }),
    });
  let res = await ask();
  // Still opening its database (it answers `503 server_starting`): asked again once it serves.
  if (await isServerStartingResponse(res)) {
    warn(SERVER_STARTING_WAIT);
    await waitForServerStart(url, startTimeoutMs === undefined ? {} : { timeoutMs: startTimeoutMs });
    res = await ask();
  }
  const session = sessionFromResponse(res.headers);
  if (sessionFile && session !== undefined && session !== token) {
    try {
      writeSession(sessionFile, session ?? undefined);
    } catch (error) {
      warn(
        `(could not keep the session in ${sessionFile}, so the next run is a new reader: ${(error as Error).message})`,
      );
    }
  }
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    if (res.status === 429) {
      const wait = Number(res.headers.get('retry-after'));
      throw new AskServerError(
        `the server at ${url} refused the question: ${limitOf(body?.error?.message)}. ` +
          `Try again ${wait > 0 ? `in ${wait} s` : 'in a minute'}.`,
        429,
      );
    }
    throw new AskServerError(`the server at ${url} answered ${res.status}: ${body?.error?.message ?? res.statusText}`, res.status);
  }
  return renderAnswer(sseChunks(res.body), options.out ?? process.stdout, { color: options.color });
}
