/**
 * Streams an answer from the chat model (`streamText` over chat completions), as text deltas.
 * Errors from the model, including failures in the middle of the stream (an error object in it,
 * or `finish_reason: "error"`) and a stream that ends without the model's finish reason, are
 * thrown from the iterator; an abort ends it with an `AbortError`. The deltas are storable text
 * (`storableText`: no NUL, no lone surrogate), so what the reader is streamed is what Docent
 * stores, without a `<think>…</think>` reasoning block that opens the text (`./think-block`). How the model ended (`finishReason()`) tells an answer cut
 * off by the token limit or a content filter from a whole one.
 */
import { type FinishReason, type ModelMessage, streamText } from 'ai';
import type { TokenUsage } from '../db/schema';
import { storableText } from '../db/text';
import type { ChatModel } from './model';
import { createThinkBlockFilter } from './think-block';

/** Most tokens an answer may take, unless `maxOutputTokens` says otherwise. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 1_200;

export interface GenerateOptions {
  chatModel: ChatModel;
  system: string;
  messages: ModelMessage[];
  /** Most tokens generated. Default 1200. */
  maxOutputTokens?: number;
  /** Sampling temperature. Default 0.2 (factual answers). */
  temperature?: number;
  signal?: AbortSignal;
}

export interface Generation {
  /** The answer's text deltas, in order. */
  deltas: AsyncIterable<string>;
  /** Token usage, known once `deltas` is done. */
  usage(): TokenUsage | undefined;
  /**
   * Why the model stopped, known once `deltas` is done: `stop` (the answer is whole), `length`
   * (the token limit cut it off), `content-filter` (the provider's filter stopped it),
   * `tool-calls` (it asked for a tool instead of answering) or `other`.
   */
  finishReason(): FinishReason | undefined;
}

/**
 * Thrown when the model fails, with the provider's error as `cause`. Neither is for readers (see
 * `./errors`: `readerErrorMessage` for them, `errorDetails` for the log).
 */
export class GenerationError extends Error {
  override readonly name = 'GenerationError';
}

/**
 * The `cause` of a {@link GenerationError} when the model's stream ended without a finish reason:
 * the HTTP response ended cleanly but early (a proxy's timeout, a server that stopped), so the
 * answer is cut short. `./errors` tells readers it as a failed connection to the model server.
 */
export class IncompleteStreamError extends Error {
  override readonly name = 'IncompleteStreamError';
}

/**
 * The `cause` of a {@link GenerationError} when the model server reported a failure inside the
 * stream: an error object in place of a chunk (Ollama, OpenAI), or `finish_reason: "error"`, as
 * OpenRouter ends a stream whose provider failed mid-answer (its chunk also carries an `error`
 * object, whose message this takes). The answer is cut short, not finished.
 */
export class ModelStreamError extends Error {
  override readonly name = 'ModelStreamError';
}

/** The message of an `error` object a raw chunk carries (`{"error":{"message":…}}`), if any. */
function chunkErrorMessage(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null || !('error' in raw)) return undefined;
  const error = (raw as { error: unknown }).error;
  if (typeof error === 'string') return error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { message, code } = error as { message?: unknown; code?: unknown };
  return [code !== undefined && code !== null ? `(${String(code)})` : '', typeof message === 'string' ? message : '']
    .filter(Boolean)
    .join(' ');
}

/**
 * Thrown by the turn when the model's answer has nothing to read (no text, only whitespace, or a
 * tool call): told to readers as "The language model returned no answer".
 */
export class EmptyAnswerError extends Error {
  override readonly name = 'EmptyAnswerError';
}

/**
 * The token counts the model server reported, or `undefined` when it reported none (Ollama and
 * some proxies send no `usage`): stored as SQL null, never as an empty object.
 */
export function tokenUsage(counts: { inputTokens?: number | undefined; outputTokens?: number | undefined; totalTokens?: number | undefined }): TokenUsage | undefined {
  const usage: TokenUsage = {};
  for (const key of ['inputTokens', 'outputTokens', 'totalTokens'] as const) {
    const n = counts[key];
    if (typeof n === 'number' && Number.isFinite(n)) usage[key] = n;
  }
  return Object.keys(usage).length > 0 ? usage : undefined;
}

/** A high surrogate at the end of a delta, whose low half may start the next one. */
const TRAILING_HIGH_SURROGATE = /[\uD800-\uDBFF]$/;

export function generateAnswer(options: GenerateOptions): Generation {
  let usage: TokenUsage | undefined;
  let finishReason: FinishReason | undefined;
  const result = streamText({
    model: options.chatModel.model,
    system: options.system,
    messages: options.messages,
    maxOutputTokens: options.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
    temperature: options.temperature ?? 0.2,
    maxRetries: 1,
    abortSignal: options.signal,
    // Raw chunks: an `error` object beside `finish_reason: "error"` is dropped from the parsed ones.
    includeRawChunks: true,
    // Errors are read from the stream below; the default handler would also log them.
    onError: () => {},
  });

  async function* deltas(): AsyncGenerator<string> {
    let finished = false;
    /** The message of an `error` object a chunk carried, for the log. */
    let streamError: string | undefined;
    /** A high surrogate held back until the next delta shows whether its low half follows. */
    let pending = '';
    const think = createThinkBlockFilter();
    for await (const part of result.fullStream) {
      switch (part.type) {
        case 'text-delta': {
          let text = pending + part.text;
          pending = TRAILING_HIGH_SURROGATE.test(text) ? text.slice(-1) : '';
          if (pending) text = text.slice(0, -1);
          text = think.push(storableText(text));
          if (text) yield text;
          break;
        }
        case 'raw':
          streamError ||= chunkErrorMessage(part.rawValue);
          break;
        case 'error':
          // An error object the server sent in the stream (Ollama's, OpenAI's) is not an Error.
          throw new GenerationError('The language model failed while answering.', {
            cause:
              part.error instanceof Error
                ? part.error
                : new ModelStreamError(`The model server sent an error in its stream: ${chunkErrorMessage({ error: part.error }) || 'no message'}.`),
          });
        case 'abort':
          throw Object.assign(new Error('The answer was aborted.'), { name: 'AbortError' });
        case 'finish':
          // No raw finish reason: the body ended without a `finish_reason` (the OpenAI provider
          // then reports the unified reason `other`), so the answer was cut off.
          finished = part.rawFinishReason !== undefined;
          if (part.rawFinishReason === 'error') {
            throw new GenerationError('The language model failed while answering.', {
              cause: new ModelStreamError(`The model server ended its stream with an error: ${streamError || 'no message'}.`),
            });
          }
          finishReason = part.finishReason;
          usage = tokenUsage(part.totalUsage);
          break;
        default:
          break;
      }
    }
    const rest = think.push(storableText(pending)) + think.flush();
    if (rest) yield rest;
    if (!finished) {
      throw new GenerationError('The language model failed while answering.', {
        cause: new IncompleteStreamError('The model server ended its stream without a finish reason.'),
      });
    }
  }

  return { deltas: deltas(), usage: () => usage, finishReason: () => finishReason };
}
