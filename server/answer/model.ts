/**
 * The chat model from the configuration: OpenAI, or any OpenAI-compatible server through
 * `OPENAI_BASE_URL`. Always the chat-completions API (`openai.chat(...)`), which is what
 * Ollama, vLLM and LM Studio speak. `undefined` when no LLM is configured.
 */
import { createOpenAI } from '@ai-sdk/openai';
import type { LanguageModel } from 'ai';
import type { Config } from '../config';
import { fetchWithoutLongRetryWaits } from './model-fetch';

export interface ChatModel {
  /** The model for `streamText` / `generateText`. */
  model: LanguageModel;
  /** The model's name, stored on every answer (`CHAT_MODEL`). */
  name: string;
  /** The site's own instructions for every answer (`ANSWER_INSTRUCTIONS`), added after Docent's rules. Default: none. */
  instructions?: string;
  /** The model's context window in tokens (`CHAT_CONTEXT_TOKENS`), which prompts are fitted into. Default: no limit. */
  contextTokens?: number;
}

export function createChatModel(config: Pick<Config, 'llm'>): ChatModel | undefined {
  if (!config.llm.enabled) return undefined;
  const provider = createOpenAI({
    baseURL: config.llm.baseURL,
    // Local OpenAI-compatible servers usually need no key, but the provider insists on one.
    apiKey: config.llm.apiKey ?? 'not-needed',
    // A long Retry-After is told to the reader, not waited out by the SDK's retry.
    fetch: fetchWithoutLongRetryWaits(),
  });
  return {
    model: provider.chat(config.llm.model),
    name: config.llm.model,
    instructions: config.llm.instructions,
    contextTokens: config.llm.contextTokens,
  };
}
