/**
 * A deterministic embedder for tests: hashed bag of lower-cased words, unit length, 512-d.
 * Texts sharing words get similar vectors, so retrieval tests behave like the real thing
 * without loading a model.
 */
import { createHash } from 'node:crypto';
import { type EmbeddingProvider, normalize } from '../../server/embed/provider';

export function createHashingEmbedder(modelId = 'test:hashing@512'): EmbeddingProvider & { calls: number } {
  const dimensions = 512;
  const embed = (text: string) => {
    const v = new Array<number>(dimensions).fill(0);
    for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
      const h = createHash('sha1').update(word).digest();
      v[h.readUInt16BE(0) % dimensions]! += h[2]! & 1 ? 1 : -1;
    }
    return normalize(v);
  };
  const provider = {
    modelId,
    dimensions,
    maxInputTokens: 10_000,
    calls: 0,
    async embedDocuments(texts: string[]) {
      provider.calls += texts.length;
      return texts.map(embed);
    },
    async embedQuery(text: string) {
      return embed(text);
    },
    async close() {},
  };
  return provider;
}

/** An embedder that fails once it is asked to embed a text containing `marker` (a run stopped half-way). */
export function failingOn(marker: string, inner: EmbeddingProvider): EmbeddingProvider {
  return {
    ...inner,
    async embedDocuments(texts, options) {
      if (texts.some((t) => t.includes(marker))) throw new Error('embedding service unavailable');
      return inner.embedDocuments(texts, options);
    },
  };
}
