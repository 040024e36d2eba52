/**
 * Checks a vector an embedding provider returned before anything stores or compares it: a hosted
 * (or any) model can send NaN, ±Infinity or a vector of the wrong length, which pgvector refuses
 * with a message that names neither the model nor the input, or which would rank nonsense.
 * Ingest checks every vector right after embedding (`ingest/sync.ts`), retrieval the question's
 * (`server/retrieval/search.ts`).
 *
 * A vector of zeros is refused too: it has no direction, so pgvector's cosine distance (`<=>`)
 * from it to any vector is NaN. Stored, it is left out of the HNSW index, and when a question
 * finds its chunk by words the NaN spreads to every candidate's score (the best cosine is a
 * feature of all of them), so the question silently gets no sources. As the question's vector,
 * every score is NaN. No input Docent builds legitimately embeds to zeros: every input starts
 * with the chunk's breadcrumb (`ingest/embed-input.ts`), blank questions are never embedded, and
 * Universal Sentence Encoder Lite gives even an empty text a unit vector; zeros mean a broken model.
 */

/**
 * What is wrong with a vector. `shape`: not an array of the index's length (the model does not
 * fit the index: every input would fail the same way). `value`: NaN, ±Infinity or a non-number
 * in this one vector, or nothing but zeros.
 */
export interface VectorProblem {
  kind: 'shape' | 'value';
  /**
   * What the model returned, e.g. `a vector with NaN at position 17 (of 512)`, `a vector of zeros`,
   * `a vector of 384 dimensions instead of 512`.
   */
  message: string;
}

/** The problem of `vector` (a vector of `dimensions` finite numbers, not all zero, is fine: `undefined`). */
export function checkVector(vector: unknown, dimensions: number): VectorProblem | undefined {
  const typeName = (x: unknown) => (x === null ? 'null' : typeof x);
  if (!Array.isArray(vector)) return { kind: 'shape', message: `no vector (got ${typeName(vector)})` };
  if (vector.length !== dimensions) {
    return { kind: 'shape', message: `a vector of ${vector.length} dimensions instead of ${dimensions}` };
  }
  let zeros = true;
  for (let i = 0; i < vector.length; i++) {
    const x: unknown = vector[i];
    const what = typeof x === 'number' ? (Number.isFinite(x) ? undefined : String(x)) : `a value of type ${typeName(x)}`;
    if (what !== undefined) return { kind: 'value', message: `a vector with ${what} at position ${i} (of ${dimensions})` };
    if (x !== 0) zeros = false;
  }
  if (zeros) return { kind: 'value', message: 'a vector of zeros' };
  return undefined;
}
