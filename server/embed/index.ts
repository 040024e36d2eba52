/** Picks the embedding provider the configuration asks for. */
import type { Config } from '../config';
import { createLocalEmbeddingProvider } from './local';
import { createOpenAIEmbeddingProvider } from './openai';
import type { EmbeddingProvider } from './provider';

export type { EmbeddingProvider } from './provider';

export function createEmbeddingProvider(config: Pick<Config, 'embedding' | 'llm'>): EmbeddingProvider {
  if (config.embedding.provider === 'openai') {
    return createOpenAIEmbeddingProvider({
      model: config.embedding.model,
      apiKey: config.llm.apiKey,
      baseURL: config.llm.baseURL,
    });
  }
  return createLocalEmbeddingProvider({ workers: config.embedding.workers });
}
