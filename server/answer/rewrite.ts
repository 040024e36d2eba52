/**
 * Rewrites a follow-up question ("and how do I delete it?") into a standalone query for
 * retrieval, using the chat so far. With a model: a short `generateText` call, bounded by a
 * timeout, falling back to the heuristic on any failure. A `<think>` block a reasoning model
 * writes before the query is dropped. Without a model: the heuristic alone.
 */
import { generateText } from 'ai';
import { storableText } from '../db/text';
import type { ChatModel } from './model';
import { REWRITE_SYSTEM_PROMPT, rewritePrompt } from './prompt';
import { createThinkBlockFilter } from './think-block';

export interface RewriteOptions {
  /** The chat model; without it only the heuristic runs. */
  chatModel?: ChatModel;
  /** Earlier turns of the chat, oldest first; an answer with the query its question was rewritten to, if it was. */
  history: readonly { role: 'user' | 'assistant'; content: string; retrievalQuery?: string }[];
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

/** Words that point back at something said before: "how do I delete it?" ("that" is read apart, below). */
const REFERS_BACK = /\b(it|its|it's|this|these|those|them|they|their|same|above|previous|former|latter)\b/i;
/** Words a clause opens with: "make sure that the cache…", "is it true that you…". */
const CLAUSE_OPENERS = new Set(['the', 'a', 'an', 'my', 'your', 'our', 'their', 'his', 'her', 'i', 'you', 'we', 'he', 'she', 'there', 'all', 'every', 'each', 'no', 'only']);
/** Verbs a relative clause opens with: "a middleware that can…", "an option that sets…". */
const CLAUSE_VERB = /^(?:is|are|was|were|can|could|will|would|should|may|might|must|has|have|had|does|do|did|lets|[a-z]+[^s\W]s)$/;
/** Words after which "that" opens a clause: "so that two instances…", "make sure that…". */
const BEFORE_CLAUSE = new Set(['so', 'such', 'sure', 'ensure', 'verify', 'check', 'says', 'say', 'means', 'mean', 'true', 'know']);
/** Words after which "that" points back: "is that…", "what does that…", "about that". */
const BEFORE_POINTER = new Set('is are was were can could will would should does do did how what why where when which about for with from to in on of than like use using change set try'.split(' '));
/** An "it" that points at nothing: "is it possible to…". */
const EMPTY_IT = /\b(?:is it|it is|it's|isn't it)\s+(?:possible|safe|ok|okay|fine|necessary|required|recommended|better|worth|normal|true|a good idea)\b/gi;
/** Openings that continue the previous question: "and on Windows?", "what about MySQL?". */
const CONTINUATION = /^(and|but|also|so|then|or|plus|what about|how about|what if|same for)\b/i;
/** Words that make a question, and words that say nothing of its subject. */
const QUESTION_WORDS = new Set(['what', "what's", 'how', 'where', 'when', 'which', 'who', 'why', 'is', 'are', 'can', 'could', 'does', 'do', 'did', 'should', 'would', 'will', 'list', 'show', 'explain', 'describe']);
const NO_SUBJECT = new Set([
  ...QUESTION_WORDS,
  'a', 'an', 'the', 'i', 'you', 'we', 'to', 'not', 'else', 'more', 'one', 'ones', 'about', 'any', 'some', 'example',
  'examples', 'please', 'there', 'here', 'now', 'instead', 'exactly', 'again', 'so', 'come', 'mean', 'work', 'default',
]);
/** Longest heuristic query: the previous query is cut (its start, the topic, kept) to fit. */
const MAX_QUERY_CHARS = 500;

/**
 * Whether `question` reads like it depends on earlier turns: it opens like a continuation ("and
 * …", "what about …"), points back ("it", "that", "those"; not the empty "is it possible"), or is
 * a short fragment that names no subject of its own ("Why?", "Postgres?", "Any example?"). A
 * short question that does ("What is Docent?", "How to install?" is not one) stands alone.
 */
export function looksLikeFollowUp(question: string): boolean {
  const text = question.trim();
  if (CONTINUATION.test(text) || REFERS_BACK.test(text.replace(EMPTY_IT, ''))) return true;
  const words = text.toLowerCase().split(/\s+/).map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')).filter(Boolean);
  if (words.some((w, i) => w === 'that' && pointsBack(words[i - 1], words[i + 1]))) return true;
  if (words.length > 3) return false;
  return !(QUESTION_WORDS.has(words[0] ?? '') && words.some((w) => !NO_SUBJECT.has(w)));
}

/**
 * Whether a "that" between `before` and `after` points back ("Is that the default?", "How do I
 * change that option?") rather than opening a clause ("make sure that the port is free", "a
 * middleware that compresses responses").
 */
function pointsBack(before: string | undefined, after: string | undefined): boolean {
  if (after === undefined || before === undefined || BEFORE_POINTER.has(before)) return true;
  return !BEFORE_CLAUSE.has(before) && !CLAUSE_OPENERS.has(after) && !CLAUSE_VERB.test(after);
}

/**
 * Heuristic standalone query for a follow-up: the query the previous question was retrieved with
 * (its own rewrite, when it had one, so a chain of follow-ups keeps the topic), then the
 * follow-up. Any other question is returned as it is.
 */
export function heuristicRewrite(history: RewriteOptions['history'], question: string): string {
  const last = history.findLastIndex((m) => m.role === 'user');
  if (last === -1 || !looksLikeFollowUp(question)) return question;
  const answer = history.slice(last + 1).find((m) => m.role === 'assistant');
  const previous = (answer?.retrievalQuery ?? history[last]!.content).trim();
  const follow = question.trim();
  const room = Math.max(100, MAX_QUERY_CHARS - follow.length - 1);
  const topic = previous.length <= room ? previous : previous.slice(0, previous.lastIndexOf(' ', room) + 1 || room).trim();
  return `${topic} ${follow}`;
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
    // A reasoning model's `<think>…</think>` comes first: the query is what follows it (nothing,
    // when the token limit cut the reasoning off).
    const think = createThinkBlockFilter();
    const query = (think.push(text) + think.flush())
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '')
      ?.replace(/^["'`]+|["'`]+$/g, '')
      .slice(0, 500);
    // Stored with the answer and sent to retrieval's SQL: no NUL, no lone surrogate (the cut can make one).
    const storable = query && storableText(query);
    if (!storable) return { query: fallback, method: 'heuristic', error: 'the model returned an empty query (or only its reasoning)' };
    return { query: storable, method: 'model' };
  } catch (error) {
    return { query: fallback, method: 'heuristic', error: (error as Error).message };
  }
}
