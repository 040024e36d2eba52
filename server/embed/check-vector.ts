/**
 * Checks a vector an embedding provider returned before anything stores or compares it: a hosted
 * (or any) model can send NaN, ±Infinity or a vector of the wrong length, which pgvector refuses
 * with a message that names neither the model nor the input, or which would rank nonsense.
 * Ingest checks every vector right after embedding (`ingest/sync.ts`), retrieval the question's
 * (`server/retrieval/search.ts`).
 */

/**
 * What is wrong with a vector. `shape`: not an array of the index's length (the model does not
 * fit the index: every input would fail the same way). `value`: NaN, ±Infinity or a non-number
 * in this one vector.
 */
export interface VectorProblem {
  kind: 'shape' | 'value';
  /** What the model returned, e.g. `a vector with NaN at position 17 (of 512)`, `a vector of 384 dimensions instead of 512`. */
  message: string;
}

/** The problem of `vector` (a vector of `dimensions` finite numbers is fine: `undefined`). */
export function checkVector(vector: unknown, dimensions: number): VectorProblem | undefined {
  const typeName = (x: unknown) => (x === null ? 'null' : typeof x);
  if (!Array.isArray(vector)) return { kind: 'shape', message: `no vector (got ${typeName(vector)})` };
  if (vector.length !== dimensions) {
    return { kind: 'shape', message: `a vector of ${vector.length} dimensions instead of ${dimensions}` };
  }
  for (let i = 0; i < vector.length; i++) {
    const x: unknown = vector[i];
    const what = typeof x === 'number' ? (Number.isFinite(x) ? undefined : String(x)) : `a value of type ${typeName(x)}`;
    if (what !== undefined) return { kind: 'value', message: `a vector with ${what} at position ${i} (of ${dimensions})` };
  }
  return undefined;
}
