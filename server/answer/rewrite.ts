/**
 * Rewrites a follow-up question ("and how do I delete it?") into a standalone query for
 * retrieval, using the chat so far. With a model: a short `generateText` call, bounded by a
 * timeout, falling back to the heuristic on any failure. Without one: the heuristic alone.
 */
import { generateText } from 'ai';
import { storableText } from '../db/text';
import type { ChatModel } from './model';
import { REWRITE_SYSTEM_PROMPT, rewritePrompt } from './prompt';

export interface RewriteOptions {
  /** The chat model; without it only the heuristic runs. */
  chatModel?: ChatModel;
  /** Earlier turns of the chat, oldest first. */
  history: readonly { role: 'user' | 'assistant'; content: string }[];
  /** The new question. */
  question: string;
  /** Time allowed for the model call, in ms. Default 8000. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface Rewrite {
  /** The query retrieval runs with (the question itself when no rewrite was needed). */
  query: string;
  /** How it was made. */
  method: 'none' | 'model' | 'heuristic';
  /** Why the model rewrite was not used, when it failed. */
  error?: string;
}

const FOLLOW_UP = /\b(it|its|it's|this|that|these|those|them|they|their|there|one|ones|same|above|previous|former|latter)\b/i;
const CONTINUATION = /^(and|but|also|so|then|what about|how about|why|or)\b/i;

/** Whether `question` reads like it depends on earlier turns. */
export function looksLikeFollowUp(question: string): boolean {
  const words = question.trim().split(/\s+/).length;
  return FOLLOW_UP.test(question) || CONTINUATION.test(question.trim()) || words <= 3;
}

/** Heuristic standalone query: the previous question prepended to a follow-up. */
export function heuristicRewrite(history: RewriteOptions['history'], question: string): string {
  const previous = [...history].reverse().find((m) => m.role === 'user');
  if (!previous || !looksLikeFollowUp(question)) return question;
  return `${previous.content.trim()} ${question.trim()}`;
}

export async function rewriteQuestion(options: RewriteOptions): Promise<Rewrite> {
  const { history, question } = options;
  if (!history.some((m) => m.role === 'user')) return { query: question, method: 'none' };
  const fallback = heuristicRewrite(history, question);
  if (!options.chatModel) {
    return { query: fallback, method: fallback === question ? 'none' : 'heuristic' };
  }
  try {
    const signals = [AbortSignal.timeout(options.timeoutMs ?? 8_000)];
    if (options.signal) signals.push(options.signal);
    const { text } = await generateText({
      model: options.chatModel.model,
      system: REWRITE_SYSTEM_PROMPT,
      prompt: rewritePrompt(history, question),
      temperature: 0,
      maxOutputTokens: 120,
      maxRetries: 0,
      abortSignal: AbortSignal.any(signals),
    });
    const query = text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '')
      ?.replace(/^["'`]+|["'`]+$/g, '')
      .slice(0, 500);
    // Stored with the answer and sent to retrieval's SQL: no NUL, no lone surrogate (the cut can make one).
    const storable = query && storableText(query);
    if (!storable) return { query: fallback, method: 'heuristic', error: 'the model returned an empty query' };
    return { query: storable, method: 'model' };
  } catch (error) {
    return { query: fallback, method: 'heuristic', error: (error as Error).message };
  }
}
