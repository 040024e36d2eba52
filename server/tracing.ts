/**
 * LangSmith tracing, optional and bounded.
 *
 * When `LANGSMITH_TRACING=true` with a key, each chat turn is one trace (a `chain` run with
 * `rewrite`, `retrieve` and `generate` children); its run id is stored on the assistant message,
 * and feedback on the message is forwarded to that run with `createFeedback`.
 *
 * Guarantees, because an unreachable LangSmith otherwise stalls for a minute: runs are recorded
 * locally while the answer streams and sent in the background after it ends; every LangSmith
 * call is bounded by `timeoutMs` and its failure is only logged (once); nothing awaits LangSmith
 * on the answer or feedback path. When tracing is not configured, no LangSmith client exists at
 * all: no network calls, no timers, no exit delay.
 */
import { Client, type CreateFeedbackParams } from 'langsmith/client';
import { RunTree } from 'langsmith/run_trees';
import type { Config } from './config';

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
  /** Where failures are reported. Default: `console.warn`, once per kind of failure. */
  onError?: (message: string) => void;
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

/** `promise`, or a rejection after `ms`. */
async function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The tracer the configuration asks for: LangSmith when enabled, else {@link noopTracer}. */
export function createTracer(config: Pick<Config, 'langsmith'>, options: TracerOptions = {}): Tracer {
  const { enabled, apiKey, endpoint, project } = config.langsmith;
  if (!enabled || !apiKey) return noopTracer;

  const timeoutMs = options.timeoutMs ?? 5_000;
  const warned = new Set<string>();
  const report =
    options.onError ??
    ((message: string) => {
      const kind = message.split(':')[0]!;
      if (warned.has(kind)) return;
      warned.add(kind);
      console.warn(`[docent] LangSmith: ${message} (tracing continues; answers are not affected)`);
    });

  const client = new Client({
    apiKey,
    ...(endpoint ? { apiUrl: endpoint } : {}),
    timeout_ms: timeoutMs,
    callerOptions: { maxRetries: 1 },
    autoBatchTracing: true,
    blockOnRootRunFinalization: false,
  });
  const pending = new Set<Promise<unknown>>();
  // The project's id, which LangSmith wants with feedback; looked up once (undefined if it fails).
  let project$: Promise<string | undefined> | undefined;
  const projectId = () =>
    (project$ ??= bounded(client.readProject({ projectName: project }), timeoutMs, 'looking up the project')
      .then((p) => p.id)
      .catch(() => undefined));
  const background = (what: string, work: () => Promise<unknown>) => {
    const p = bounded(work(), timeoutMs * 2, what)
      .catch((error: unknown) => report(`${what}: ${(error as Error).message}`))
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
            await child.end(undefined, (error as Error).message ?? String(error));
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
          void child.end(run.outputs ?? {}, run.error, run.endTime ?? Date.now());
          children.push(child);
        },
        end(outputs, error) {
          if (ended) return;
          ended = true;
          void root.end(outputs ?? {}, error);
          background('sending a trace', async () => {
            await root.postRun();
            for (const child of children) await child.postRun();
          });
        },
      };
    },
    sendFeedback(feedback) {
      const score = feedback.vote === 'up' ? 1 : 0;
      const create = async () => {
        await client.createFeedback({
          runId: feedback.runId,
          traceId: feedback.runId,
          ...((await projectId()) ? { sessionId: await projectId() } : {}),
          feedbackId: feedback.feedbackId,
          key: 'user_feedback',
          score,
          value: feedback.rating ?? undefined,
          comment: feedback.comment ?? undefined,
        } as unknown as CreateFeedbackParams);
      };
      background('sending feedback', async () => {
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
        })().catch((error: unknown) => report(`flushing: ${(error as Error).message}`)),
        deadline,
      ]);
    },
  };
}
