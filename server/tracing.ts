/**
 * LangSmith tracing, optional and bounded.
 *
 * When `LANGSMITH_TRACING=true` with a key, each chat turn is one trace (a `chain` run with
 * `rewrite`, `retrieve` and `generate` children); its run id is stored on the assistant message,
 * and feedback on the message is forwarded to that run with `createFeedback`.
 *
 * Guarantees, because an unreachable LangSmith otherwise stalls for a minute: runs are recorded
 * locally while the answer streams and sent in the background after it ends; every LangSmith
 * call is bounded by `timeoutMs` and its failure is only logged; nothing awaits LangSmith on the
 * answer or feedback path. When tracing is not configured, no LangSmith client exists at all: no
 * network calls, no timers, no exit delay.
 *
 * How it uses the SDK, so that failures reach Docent's log and only it (the SDK's auto-batch
 * queue and `RunTree.postRun()` catch their errors and print their own lines, on every trace,
 * fetching `/info` again after each failure): each trace is sent as one `POST /runs/batch` of its
 * finished runs (`client.batchIngestRuns`), feedback with `createFeedback` (`POST /feedback`,
 * with the project's id, so the SDK has no reason to read `/info`) and `updateFeedback`. These
 * throw on failure; Docent logs one line per kind of failure (operation and cause), again at
 * most every 10 minutes while it lasts. Every error text sent to LangSmith is redacted like the
 * log's ({@link errorDetails}), and the SDK always gets an explicit API URL, so it never reads
 * `LANGSMITH_ENDPOINT` (or `LANGCHAIN_ENDPOINT`) from the environment itself.
 */
import { Client, type CreateFeedbackParams } from 'langsmith/client';
import { RunTree } from 'langsmith/run_trees';
import { errorDetails, redactSecrets } from './answer/errors';
import type { Config } from './config';

/** LangSmith's API when `LANGSMITH_ENDPOINT` is unset (the SDK's own default). */
export const DEFAULT_LANGSMITH_ENDPOINT = 'https://api.smith.langchain.com';

type KV = Record<string, unknown>;

export interface TraceStepOptions<T> {
  /** LangSmith run type (`chain`, `retriever`, `llm`, …). Default `chain`. */
  runType?: string;
  inputs?: KV;
  /** The outputs recorded for the step's result. Default: none. */
  outputs?: (result: T) => KV;
}

/** One traced chat turn. */
export interface Trace {
  /** The root run's id (stored on the message), or `undefined` when tracing is off. */
  readonly runId: string | undefined;
  /** Runs `fn` as a child run named `name`; its error is recorded and rethrown. */
  step<T>(name: string, fn: () => Promise<T>, options?: TraceStepOptions<T>): Promise<T>;
  /** Records a child run that was measured elsewhere (e.g. a streamed generation). */
  record(name: string, run: { runType?: string; inputs?: KV; outputs?: KV; error?: string; startTime: number; endTime?: number }): void;
  /** Ends the trace and sends it in the background. */
  end(outputs?: KV, error?: string): void;
}

export interface FeedbackForward {
  /** The traced run (the message's `langsmith_run_id`). */
  runId: string;
  /** Our feedback row's id, used as LangSmith's feedback id. */
  feedbackId: string;
  /**
   * Whether this is the user's first feedback on the message. A change to earlier feedback
   * updates LangSmith's copy (`PATCH /feedback/:id`) instead of adding a second one, and creates
   * it when LangSmith never got the first (it was down then).
   */
  created: boolean;
  vote: 'up' | 'down';
  rating: number | null;
  comment: string | null;
}

export interface Tracer {
  readonly enabled: boolean;
  /** Starts the trace of one chat turn. */
  startTrace(name: string, inputs: KV, metadata?: KV): Trace;
  /** Forwards a user's feedback to the traced run, in the background. */
  sendFeedback(feedback: FeedbackForward): void;
  /** Waits for pending sends, at most `timeoutMs` (default 2000). For shutdown and CLIs. */
  flush(timeoutMs?: number): Promise<void>;
}

export interface TracerOptions {
  /** Bound on each LangSmith call, in ms. Default 5000. */
  timeoutMs?: number;
  /**
   * Receives every failure, as `operation: what went wrong` (redacted), instead of the log.
   * Default: logged by {@link TracerOptions.log}, once per kind of failure (see {@link createFailureLog}).
   */
  onError?: (message: string) => void;
  /** Where the log lines go. Default `console.warn`. */
  log?: (line: string) => void;
}

/** A failure as Docent reports it: `key` tells kinds apart (`HTTP 401`, `timeout`, `network ECONNREFUSED`, …). */
interface Failure {
  key: string;
  text: string;
}

/**
 * Logs LangSmith failures: the first of each kind (`operation` and `key`) at once, then at most one
 * line per `repeatMs` (default 10 minutes) while it goes on, saying how many were not logged.
 */
export function createFailureLog(options: { log?: (line: string) => void; repeatMs?: number; now?: () => number } = {}) {
  const log = options.log ?? ((line: string) => console.warn(line));
  const repeatMs = options.repeatMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;
  const kinds = new Map<string, { at: number; skipped: number }>();
  return (operation: string, failure: Failure): void => {
    const kind = `${operation}\n${failure.key}`;
    const seen = kinds.get(kind);
    const t = now();
    if (seen && t - seen.at < repeatMs) {
      seen.skipped++;
      return;
    }
    const repeated = seen?.skipped ? `${seen.skipped} more since the last report; ` : '';
    kinds.set(kind, { at: t, skipped: 0 });
    log(`[docent] LangSmith: ${operation}: ${failure.text} (${repeated}tracing continues; answers are not affected)`);
  };
}

const noopTrace: Trace = {
  runId: undefined,
  step: (_name, fn) => fn(),
  record() {},
  end() {},
};

/** A tracer that does nothing (tracing not configured). */
export const noopTracer: Tracer = {
  enabled: false,
  startTrace: () => noopTrace,
  sendFeedback() {},
  flush: async () => {},
};

/** Whether a LangSmith call failed with 404 (the SDK's errors carry the HTTP status). */
function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 404;
}

/** Resolves after `ms` without keeping the process alive. */
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Thrown by {@link bounded}. */
class TookTooLong extends Error {
  constructor(readonly ms: number) {
    super(`no result within ${ms / 1000} s`);
  }
}

/** `promise`, or a rejection after `ms`. */
async function bounded<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TookTooLong(ms)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const SENDING_A_TRACE = 'sending a trace';
const WEB_PAGE_ANSWER = 'answered with a web page (HTML), not as the LangSmith API';
const SENDING_FEEDBACK = 'sending feedback';
const clip = (text: string, max = 200) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** A failed HTTP status as Docent reports it; `detail` is what LangSmith said. */
function statusFailure(status: number, detail: string): Failure {
  const what =
    status === 401 || status === 403
      ? 'LangSmith refused the API key; check LANGSMITH_API_KEY'
      : status === 404
        ? 'not found; check LANGSMITH_ENDPOINT'
        : status === 429
          ? 'rate limited by LangSmith'
          : status >= 500
            ? 'LangSmith failed'
            : 'LangSmith refused the request';
  return { key: `HTTP ${status}`, text: `${what} (HTTP ${status}${detail ? `: ${clip(detail)}` : ''})` };
}

/** A `2xx` answer that is a web page: the address is a website (LangSmith's own UI, a proxy's login page), not the API. */
class WebPageAnswer extends Error {
  override name = 'WebPageAnswer';
}

/** What went wrong with a LangSmith call, from the SDK's error (or `fetch`'s). */
function describeFailure(error: unknown, apiUrl: string, timeoutMs: number): Failure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { name?: string; message?: string; status?: unknown; cause?: unknown };
  const message = e.message ?? String(error);
  if (typeof e.status === 'number') {
    // The SDK's message: `Failed to <action>. Received status [401]: Unauthorized. Message: <body>`.
    const detail = /Received status \[\d+\]: (.*)$/s.exec(message)?.[1]?.replace('. Message: ', ': ') ?? message;
    return statusFailure(e.status, detail.trim());
  }
  if (e.name === 'TimeoutError') return { key: 'timeout', text: `no answer within ${timeoutMs / 1000} s` };
  const code = (e.cause as { code?: unknown } | undefined)?.code;
  if (message === 'fetch failed' || typeof code === 'string') {
    const cause = typeof code === 'string' ? code : clip((e.cause as Error | undefined)?.message ?? message);
    return { key: `network ${cause}`, text: `cannot connect to ${apiUrl} (${cause})` };
  }
  if (e.name === 'WebPageAnswer' || message.includes(WEB_PAGE_ANSWER)) {
    return {
      key: 'invalid response',
      text: `the server at ${apiUrl} ${WEB_PAGE_ANSWER} does; check LANGSMITH_ENDPOINT (the API's address, such as ${DEFAULT_LANGSMITH_ENDPOINT}, not a website's)`,
    };
  }
  if (e.name === 'SyntaxError') {
    return { key: 'invalid response', text: `the server at ${apiUrl} did not answer as the LangSmith API does (${clip(message)}); check LANGSMITH_ENDPOINT` };
  }
  return { key: e.name ?? 'error', text: clip(message) };
}

/** The operation a request to LangSmith belongs to, by its URL. */
const operationOf = (url: string) => (/\/runs(?:[/?]|$)/.test(new URL(url).pathname) ? SENDING_A_TRACE : SENDING_FEEDBACK);

/** The tracer the configuration asks for: LangSmith when enabled, else {@link noopTracer}. */
export function createTracer(
  config: Pick<Config, 'langsmith'> & Partial<Pick<Config, 'llm' | 'adminToken'>>,
  options: TracerOptions = {},
): Tracer {
  const { enabled, apiKey, endpoint, project } = config.langsmith;
  if (!enabled || !apiKey) return noopTracer;

  const timeoutMs = options.timeoutMs ?? 5_000;
  // Secrets an error text may quote (the OpenAI key in a model server's error, …).
  const secrets = [apiKey, config.llm?.apiKey, config.adminToken];
  const redact = (text: string) => redactSecrets(text, secrets);
  // Always explicit: the SDK would otherwise read LANGSMITH_ENDPOINT / LANGCHAIN_ENDPOINT itself,
  // blank or not (Docent counts a blank value as unset).
  const apiUrl = endpoint ?? DEFAULT_LANGSMITH_ENDPOINT;
  const failureLog = createFailureLog({ log: options.log });
  const report = (operation: string, failure: Failure) => {
    const redacted = { key: failure.key, text: redact(failure.text) };
    if (options.onError) options.onError(`${operation}: ${redacted.text}`);
    else failureLog(operation, redacted);
  };

  // What the last failed request of each operation got: the SDK retries some failures (5xx,
  // network errors) with back-off, so an operation can run out of time with its real cause
  // only seen here.
  const lastFailure = new Map<string, Failure>();
  const observingFetch: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const operation = operationOf(url);
    try {
      const response = await fetch(input, init);
      // The SDK reads no body of a trace upload, so a website answering 200 would pass as LangSmith.
      if (response.ok && /\btext\/html\b/i.test(response.headers.get('content-type') ?? '')) {
        await response.body?.cancel();
        throw new WebPageAnswer(WEB_PAGE_ANSWER);
      }
      if (response.ok) lastFailure.delete(operation);
      else lastFailure.set(operation, statusFailure(response.status, response.statusText));
      return response;
    } catch (error) {
      lastFailure.set(operation, describeFailure(error, apiUrl, timeoutMs));
      throw error;
    }
  };

  const client = new Client({
    apiKey,
    apiUrl,
    timeout_ms: timeoutMs,
    callerOptions: { maxRetries: 1 },
    // Runs are sent by Docent (one request per trace), not by the SDK's queue: see the top of this file.
    autoBatchTracing: false,
    fetchImplementation: observingFetch,
  });
  const pending = new Set<Promise<unknown>>();
  // The project's id, which LangSmith wants with feedback; looked up once it succeeds.
  let project$: Promise<string> | undefined;
  const projectId = () => {
    project$ ??= client.readProject({ projectName: project }).then((p) => p.id);
    project$.catch(() => (project$ = undefined)); // asked again next time
    return project$;
  };
  const background = (operation: string, work: () => Promise<unknown>) => {
    const p = bounded(work(), timeoutMs * 2)
      .catch((error: unknown) => {
        if (!(error instanceof TookTooLong)) return report(operation, describeFailure(error, apiUrl, timeoutMs));
        const last = lastFailure.get(operation);
        report(operation, last ? { key: last.key, text: `${error.message}; the last attempt: ${last.text}` } : { key: 'timeout', text: error.message });
      })
      .finally(() => pending.delete(p));
    pending.add(p);
  };

  return {
    enabled: true,
    startTrace(name, inputs, metadata) {
      const root = new RunTree({
        name,
        run_type: 'chain',
        inputs,
        client,
        project_name: project,
        tracingEnabled: true,
        ...(metadata ? { metadata } : {}),
      });
      const children: RunTree[] = [];
      let ended = false;
      return {
        runId: root.id,
        async step(stepName, fn, stepOptions) {
          const child = root.createChild({ name: stepName, run_type: stepOptions?.runType ?? 'chain', inputs: stepOptions?.inputs ?? {} });
          children.push(child);
          try {
            const result = await fn();
            await child.end(stepOptions?.outputs?.(result) ?? {});
            return result;
          } catch (error) {
            await child.end(undefined, errorDetails(error, secrets));
            throw error;
          }
        },
        record(stepName, run) {
          const child = root.createChild({
            name: stepName,
            run_type: run.runType ?? 'chain',
            inputs: run.inputs ?? {},
            start_time: run.startTime,
          });
          void child.end(run.outputs ?? {}, run.error === undefined ? undefined : redact(run.error), run.endTime ?? Date.now());
          children.push(child);
        },
        end(outputs, error) {
          if (ended) return;
          ended = true;
          void root.end(outputs ?? {}, error === undefined ? undefined : redact(error));
          background(SENDING_A_TRACE, () =>
            client.batchIngestRuns({ runCreates: [root, ...children].map((run) => ({ ...run.toJSON(), child_runs: [] })) }),
          );
        },
      };
    },
    sendFeedback(feedback) {
      const score = feedback.vote === 'up' ? 1 : 0;
      const create = async () => {
        await client.createFeedback({
          runId: feedback.runId,
          traceId: feedback.runId,
          sessionId: await projectId(),
          feedbackId: feedback.feedbackId,
          key: 'user_feedback',
          score,
          value: feedback.rating ?? undefined,
          comment: feedback.comment ?? undefined,
        } as unknown as CreateFeedbackParams);
      };
      background(SENDING_FEEDBACK, async () => {
        if (feedback.created) return create();
        try {
          // null clears a rating or comment the user removed.
          await client.updateFeedback(feedback.feedbackId, { score, value: feedback.rating, comment: feedback.comment });
        } catch (error) {
          if (!isNotFound(error)) throw error;
          await create();
        }
      });
    },
    async flush(ms = 2_000) {
      const deadline = delay(ms);
      await Promise.race([
        (async () => {
          await Promise.allSettled([...pending]);
          await client.awaitPendingTraceBatches();
        })().catch((error: unknown) => report('flushing', describeFailure(error, apiUrl, timeoutMs))),
        deadline,
      ]);
    },
  };
}
