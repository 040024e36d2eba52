/**
 * Runs an ingest through a running Docent server, for when that server holds the embedded
 * database (only one process can open it).
 *
 * Protocol (the server side lives in `server/http`): `POST {url}/api/admin/ingest` with
 * `Authorization: Bearer <ADMIN_TOKEN>` and a JSON body
 * `{"content": "<absolute dir>", "source"?, "baseUrl"?, "force"?, "dryRun"?, "allowEmpty"?}`. The response is
 * `application/x-ndjson`, one JSON object per line: `{"type":"progress", ...IngestProgress}`
 * while the run goes, then `{"type":"summary","summary":IngestSummary}` or
 * `{"type":"error","error":{"code","message"}}`. Errors before the stream starts are HTTP 4xx/5xx
 * with a JSON body `{"error":{"code","message"}}`; `503` `server_starting` (the server still opens
 * its database) is waited out and the request sent again.
 */
import { isServerStartingBody, ServerStartTimeoutError, waitForServerStart } from '../server/cli/server-start';
import type { IngestProgress, IngestSummary } from './types';

export interface RemoteIngestRequest {
  /** Absolute path of the content folder, as the server's machine sees it. */
  content: string;
  source?: string;
  baseUrl?: string;
  force?: boolean;
  dryRun?: boolean;
  /** Sent only when true (a server from before it refuses fields it does not know). */
  allowEmpty?: boolean;
}

export interface RemoteIngestOptions {
  /** The server's base URL (`http://localhost:4321`). */
  url: string;
  /** The server's `ADMIN_TOKEN`. */
  adminToken: string;
  onProgress?: (event: IngestProgress) => void;
  signal?: AbortSignal;
  /**
   * Called once when the server is still starting (opening its database, `503 server_starting`):
   * the run is sent once it serves, waited for up to `startTimeoutMs` (default 10 minutes).
   */
  onServerStarting?: () => void;
  /** Longest wait for a server that is still starting, in ms. */
  startTimeoutMs?: number;
}

/** A failure reported by the server (or in reaching it). `code` is the server's error code, or `unreachable` / `protocol`. */
export class RemoteIngestError extends Error {
  override readonly name = 'RemoteIngestError';
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

type StreamLine =
  | ({ type: 'progress' } & IngestProgress)
  | { type: 'summary'; summary: IngestSummary }
  | { type: 'error'; error: { code: string; message: string } };

/**
 * Sends the ingest job to the server and follows its progress until the summary arrives. A server
 * still starting is waited for (see {@link RemoteIngestOptions.onServerStarting}).
 */
export async function ingestViaServer(request: RemoteIngestRequest, options: RemoteIngestOptions): Promise<IngestSummary> {
  const endpoint = `${options.url.replace(/\/+$/, '')}/api/admin/ingest`;
  const unreachable = (error: unknown) => {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return new RemoteIngestError(
      'unreachable',
      `Could not reach the Docent server at ${options.url} (${cause?.code ?? cause?.message ?? (error as Error).message}). ` +
        `It may be shutting down: run this again in a few seconds (a lock left by a server that stopped is taken over by itself on this machine).`,
    );
  };
  let response: Response;
  let waited = false;
  for (;;) {
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.adminToken}`,
          'content-type': 'application/json',
          accept: 'application/x-ndjson',
        },
        body: JSON.stringify(request),
        signal: options.signal,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw unreachable(error);
    }
    if (response.ok) break;
    const body = await response.text();
    // Still opening its database: nothing was started. Wait until it serves, then send the run again.
    if (response.status === 503 && isServerStartingBody(body)) {
      if (!waited) options.onServerStarting?.();
      waited = true;
      try {
        await waitForServerStart(options.url, { signal: options.signal, ...(options.startTimeoutMs !== undefined ? { timeoutMs: options.startTimeoutMs } : {}) });
      } catch (error) {
        if (options.signal?.aborted) throw error;
        if (error instanceof ServerStartTimeoutError) throw new RemoteIngestError('server_starting', error.message, 503);
        throw unreachable(error);
      }
      continue;
    }
    let code = `http_${response.status}`;
    let message = body.trim().slice(0, 300) || response.statusText;
    try {
      const parsed = JSON.parse(body) as { error?: { code?: string; message?: string } };
      if (parsed.error?.message) message = parsed.error.message;
      if (parsed.error?.code) code = parsed.error.code;
    } catch {
      /* not JSON: keep the text */
    }
    if (response.status === 401 || response.status === 403) {
      message = `The server at ${options.url} refused ADMIN_TOKEN (${response.status}: ${message}). Use the server's own ADMIN_TOKEN.`;
    } else if (response.status === 404) {
      message = `The server at ${options.url} has no ingest endpoint (404). Is it an up-to-date Docent server?`;
    }
    throw new RemoteIngestError(code, message, response.status);
  }
  if (!response.body) throw new RemoteIngestError('protocol', `The server at ${options.url} sent an empty response.`);

  const decoder = new TextDecoder();
  let buffered = '';
  let summary: IngestSummary | undefined;
  const handle = (line: string) => {
    if (line.trim() === '') return;
    let event: StreamLine;
    try {
      event = JSON.parse(line) as StreamLine;
    } catch {
      throw new RemoteIngestError('protocol', `The server sent a line that is not JSON: ${line.slice(0, 200)}`);
    }
    if (event.type === 'progress') {
      const { type: _type, ...progress } = event;
      options.onProgress?.(progress);
    } else if (event.type === 'summary') {
      summary = event.summary;
    } else if (event.type === 'error') {
      throw new RemoteIngestError(event.error?.code ?? 'error', event.error?.message ?? 'The server reported an error');
    }
  };
  const cutOff = (why?: string) =>
    new RemoteIngestError(
      'protocol',
      `The server at ${options.url} closed the connection before the run finished${why ? ` (${why})` : ''}. ` +
        'The pages it wrote stay written: run the command again to finish the job.',
    );
  try {
    for await (const part of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(part, { stream: true });
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        handle(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
      }
    }
  } catch (error) {
    // The server stopped or died mid-run: fetch's `TypeError: terminated`, not a stack trace.
    if (error instanceof RemoteIngestError || options.signal?.aborted) throw error;
    throw cutOff((error as Error).message);
  }
  handle(buffered + decoder.decode());
  if (!summary) throw cutOff();
  return summary;
}
