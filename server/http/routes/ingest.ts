/**
 * `POST /api/admin/ingest` (admin only): runs an ingest inside the server that holds the embedded
 * database, for `npm run ingest` when it finds the database locked by this server.
 *
 * Body `{"content": "<absolute dir>", "source"?, "baseUrl"?, "force"?, "dryRun"?, "allowEmpty"?}`. The response is
 * `application/x-ndjson`: `{"type":"progress", ...IngestProgress}` lines while it runs, then
 * `{"type":"summary","summary":IngestSummary}` or `{"type":"error","error":{"code","message"}}`.
 * One ingest at a time (409 `ingest_running` while one runs, or while the ingest on start runs for the same source). A client that disconnects stops the run (documents
 * already written stay written).
 *
 * The ingest itself is injected (`runIngest`): server modules never import `ingest/`.
 */
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import type { IngestOptions, IngestProgress, IngestSummary } from '../../../ingest/types';
import { BASE_URL_RULE, isBaseUrl } from '../../base-url';
import { MAX_SOURCE_LENGTH } from '../../db/source-name';
import { requireAdmin } from '../auth';
import type { AppDeps, DocentHono } from '../context';
import { ApiError } from '../errors';
import { readJson } from '../validate';

/** Runs one ingest (the composition root passes `ingestContent` bound to the database and embedder). */
export type IngestRunner = (
  options: IngestOptions,
  onProgress: (event: IngestProgress) => void,
) => Promise<IngestSummary>;

/** Whether an ingest of `contentDir` (as `source`, default the folder's name) runs in this process already. */
export type IngestRunningCheck = (contentDir: string, source: string | undefined) => boolean;

/** The `409` for a request while an ingest it would clash with runs. */
function ingestRunningError(onStart: boolean): ApiError {
  return new ApiError(
    409,
    'ingest_running',
    onStart
      ? 'The ingest on start of this content folder is running on this server; wait for it to finish (GET /api/health shows how far it is).'
      : 'An ingest is already running on this server; wait for it to finish.',
  );
}

export const ingestRequestSchema = z.strictObject({
  content: z.string({ error: 'content (an absolute directory path) is required' }).min(1, 'content is required'),
  source: z
    .string({ error: 'source must be a string' })
    .trim()
    .min(1, 'source cannot be empty')
    .max(MAX_SOURCE_LENGTH, `source is at most ${MAX_SOURCE_LENGTH} characters (a reader's settings could not prefer or exclude a longer one)`)
    .optional(),
  /** The base URL of the source's pages, as `npm run ingest -- --base-url` takes it ({@link isBaseUrl}). */
  baseUrl: z
    .string({ error: 'baseUrl must be a string' })
    .trim()
    .max(500, 'baseUrl is at most 500 characters')
    .refine(isBaseUrl, `baseUrl must be ${BASE_URL_RULE}`)
    .optional(),
  force: z.boolean({ error: 'force must be true or false' }).optional(),
  dryRun: z.boolean({ error: 'dryRun must be true or false' }).optional(),
  allowEmpty: z.boolean({ error: 'allowEmpty must be true or false' }).optional(),
});

export function registerIngestRoutes(app: DocentHono, deps: AppDeps): void {
  let running = false;

  app.post('/api/admin/ingest', requireAdmin(deps.config, deps.adminAttempts), async (c) => {
    const body = await readJson(c, ingestRequestSchema);
    const runIngest = deps.runIngest;
    if (!runIngest) throw new ApiError(501, 'not_available', 'This server was started without ingest support.');
    if (!isAbsolute(body.content)) {
      throw new ApiError(400, 'invalid_body', `content must be an absolute path on the server (got ${JSON.stringify(body.content)}).`);
    }
    let isDir = false;
    try {
      isDir = statSync(body.content).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) throw new ApiError(400, 'invalid_body', `content: ${body.content} is not a directory on the server.`);
    if (running) throw ingestRunningError(false);
    // The ingest on start of the same source: the run itself would refuse it once streaming.
    if (deps.ingestRunning(body.content, body.source)) throw ingestRunningError(true);
    running = true;

    const signal = c.req.raw.signal;
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const send = (line: unknown) => {
          try {
            controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
          } catch {
            /* the client went away; the run stops through the signal */
          }
        };
        try {
          const summary = await runIngest(
            {
              contentDir: body.content,
              source: body.source,
              baseUrl: body.baseUrl,
              force: body.force,
              dryRun: body.dryRun,
              allowEmpty: body.allowEmpty,
              signal,
            },
            (event) => send({ type: 'progress', ...event }),
          );
          send({ type: 'summary', summary });
        } catch (error) {
          const aborted = signal.aborted || (error as Error).name === 'AbortError';
          // A run of the same source started between the check above and this one (`IngestBusyError`).
          const busy = (error as Error).name === 'IngestBusyError';
          send({
            type: 'error',
            error: { code: aborted ? 'aborted' : busy ? 'ingest_running' : 'ingest_failed', message: (error as Error).message ?? String(error) },
          });
        } finally {
          running = false;
          try {
            controller.close();
          } catch {
            /* already closed */
          }
        }
      },
    });
    c.header('content-type', 'application/x-ndjson; charset=utf-8');
    c.header('x-accel-buffering', 'no');
    return c.body(stream, 200);
  });
}
