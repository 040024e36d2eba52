/**
 * Hosted embeddings through the AI SDK: OpenAI's `text-embedding-3-small` (or any model of an
 * OpenAI-compatible server) at 512 dimensions, batched by `embedMany` and retried on failure.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { embedMany } from 'ai';
import { EMBEDDING_DIMENSIONS } from '../db/schema';
import { type EmbeddingProvider, type EmbedOptions, normalize } from './provider';

export interface OpenAIEmbeddingOptions {
  /** Model name. Default `text-embedding-3-small`. */
  model?: string;
  apiKey?: string;
  /** An OpenAI-compatible server, e.g. `http://localhost:11434/v1`. Default: OpenAI. */
  baseURL?: string;
  /** Inputs per request. Default 256. */
  batchSize?: number;
  /** Retries per request. Default 3. */
  maxRetries?: number;
}

export function createOpenAIEmbeddingProvider(options: OpenAIEmbeddingOptions = {}): EmbeddingProvider {
  const modelName = options.model ?? 'text-embedding-3-small';
  const provider = createOpenAI({ apiKey: options.apiKey ?? 'not-needed', baseURL: options.baseURL });
  const model = provider.embedding(modelName);
  const batchSize = options.batchSize ?? 256;

  async function embedDocuments(texts: string[], opts: EmbedOptions = {}): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += batchSize) {
      const { embeddings } = await embedMany({
        model,
        values: texts.slice(i, i + batchSize),
        maxRetries: options.maxRetries ?? 3,
        abortSignal: opts.signal,
        providerOptions: { openai: { dimensions: EMBEDDING_DIMENSIONS } },
      });
      for (const e of embeddings) {
        if (e.length !== EMBEDDING_DIMENSIONS) {
          throw new Error(
            `The embedding model "${modelName}" returned ${e.length} dimensions; Docent stores ${EMBEDDING_DIMENSIONS}. ` +
              `Use a model that supports the dimensions parameter (text-embedding-3-*) or returns ${EMBEDDING_DIMENSIONS}.`,
          );
        }
        out.push(normalize(e));
      }
      opts.onProgress?.(out.length);
    }
    return out;
  }

  return {
    modelId: `openai:${modelName}@${EMBEDDING_DIMENSIONS}`,
    dimensions: EMBEDDING_DIMENSIONS,
    maxInputTokens: 8191,
    embedDocuments,
    async embedQuery(text, opts) {
      const [v] = await embedDocuments([text], opts);
      return v!;
    },
    async close() {},
  };
}
