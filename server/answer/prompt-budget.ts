/**
 * Fits an answer's prompt into the model's context window (`CHAT_CONTEXT_TOKENS`), for servers
 * whose window is small: Ollama's default is 4,096 tokens, and it silently drops the START of a
 * longer prompt (the rules and the best sources), while vLLM and llama.cpp refuse it.
 *
 * Tokens are estimated from characters ({@link CHARS_PER_TOKEN}, on the safe side: English runs
 * about 4 characters a token, code and other languages fewer). What is kept, in this order: the
 * rules and the question (always); the sources in rank order while they fit, the first one cut
 * short if even it does not; the earlier turns of the chat, newest first, with what is left (up
 * to a quarter of the room is kept for them before the sources take the rest).
 */
import type { AnswerSource } from '../chats/sources';

/** Characters counted as one token. */
export const CHARS_PER_TOKEN = 3;
/** Tokens counted for each message's framing in the chat template. */
const MESSAGE_OVERHEAD = 8;
/** Fewest characters of the first source worth sending when it has to be cut. */
const MIN_SOURCE_CHARS = 400;

/** One earlier turn as the model gets it. */
export interface PromptTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface PromptBudgetInput {
  /** The model's context window, in tokens. */
  contextTokens: number;
  /** Tokens kept free for the answer (its `maxOutputTokens`). */
  outputTokens: number;
  /** The system prompt for a list of sources. */
  system: (sources: readonly AnswerSource[]) => string;
  /** The sources, best first (`[n]` cites the n-th). */
  sources: readonly AnswerSource[];
  /** The earlier turns, oldest first. */
  history: readonly PromptTurn[];
  question: string;
}

export interface FittedPrompt {
  /** The first sources, the last kept one perhaps cut short. */
  sources: AnswerSource[];
  /** The newest earlier turns, oldest first, starting with the reader's. */
  history: PromptTurn[];
}

/** Estimated tokens of one message holding `text`. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / CHARS_PER_TOKEN) + MESSAGE_OVERHEAD;

/** Keeps what fits of `input`'s sources and history; see the module comment for the order. */
export function fitPrompt(input: PromptBudgetInput): FittedPrompt {
  const room = input.contextTokens - input.outputTokens - estimateTokens(input.system([])) - estimateTokens(input.question);
  const sourceTokens = (kept: readonly AnswerSource[], next: AnswerSource) =>
    estimateTokens(input.system([...kept, next])) - estimateTokens(input.system(kept));

  // The newest turns, up to a quarter of the room, held for the chat before the sources.
  const newestFirst = [...input.history].reverse();
  let historyTokens = 0;
  let historyKept = 0;
  for (const turn of newestFirst) {
    const t = estimateTokens(turn.content);
    if (historyTokens + t > room / 4) break;
    historyTokens += t;
    historyKept++;
  }

  const sources: AnswerSource[] = [];
  let used = historyTokens;
  for (const source of input.sources) {
    const t = sourceTokens(sources, source);
    if (used + t <= room) {
      sources.push(source);
      used += t;
      continue;
    }
    if (sources.length === 0) {
      // Even the best source does not fit whole: send its start.
      const chars = Math.max(MIN_SOURCE_CHARS, (room - used - MESSAGE_OVERHEAD * 4) * CHARS_PER_TOKEN);
      const cut = { ...source, text: `${source.text.slice(0, chars)}…` };
      sources.push(cut);
      used += sourceTokens([], cut);
    }
    break;
  }

  // Older turns with what the sources left.
  for (const turn of newestFirst.slice(historyKept)) {
    const t = estimateTokens(turn.content);
    if (used + t > room) break;
    used += t;
    historyKept++;
  }
  const history = newestFirst.slice(0, historyKept).reverse();
  // Chat templates expect the reader to speak first.
  while (history[0]?.role === 'assistant') history.shift();
  return { sources, history };
}
