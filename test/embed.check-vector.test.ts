/** `checkVector`: what ingest and retrieval check in every vector an embedding provider returns. */
import { describe, expect, it } from 'vitest';
import { checkVector } from '../server/embed/check-vector';

const unit = (n: number) => new Array<number>(n).fill(1 / Math.sqrt(n));

describe('checkVector', () => {
  it('accepts a vector of the given length of finite numbers (some zeros too)', () => {
    expect(checkVector(unit(512), 512)).toBeUndefined();
    expect(checkVector([0, 0, -0.6, 0.8], 4)).toBeUndefined();
    expect(checkVector([0, 0, 0, 1e-30], 4)).toBeUndefined();
  });

  it('names a vector of zeros: pgvector gives it a NaN cosine distance to every vector (a problem of this one vector)', () => {
    expect(checkVector(new Array<number>(512).fill(0), 512)).toEqual({ kind: 'value', message: 'a vector of zeros' });
    expect(checkVector([0, -0, 0, -0], 4)).toEqual({ kind: 'value', message: 'a vector of zeros' });
    // NaN is named first, by its position.
    expect(checkVector([0, Number.NaN, 0, 0], 4)).toEqual({ kind: 'value', message: 'a vector with NaN at position 1 (of 4)' });
  });

  it('names NaN, Infinity, -Infinity and non-numbers with their position: a problem of this one vector', () => {
    const at = (i: number, x: unknown) => unit(8).map((v, j) => (j === i ? x : v));
    expect(checkVector(at(0, Number.NaN), 8)).toEqual({ kind: 'value', message: 'a vector with NaN at position 0 (of 8)' });
    expect(checkVector(at(3, Infinity), 8)).toEqual({ kind: 'value', message: 'a vector with Infinity at position 3 (of 8)' });
    expect(checkVector(at(7, -Infinity), 8)).toEqual({ kind: 'value', message: 'a vector with -Infinity at position 7 (of 8)' });
    expect(checkVector(at(2, '0.5'), 8)).toEqual({ kind: 'value', message: 'a vector with a value of type string at position 2 (of 8)' });
    expect(checkVector(at(5, null), 8)).toEqual({ kind: 'value', message: 'a vector with a value of type null at position 5 (of 8)' });
  });

  it('names a wrong length or no vector at all: a problem of the model (every vector would have it)', () => {
    expect(checkVector(unit(384), 512)).toEqual({ kind: 'shape', message: 'a vector of 384 dimensions instead of 512' });
    expect(checkVector(undefined, 512)).toEqual({ kind: 'shape', message: 'no vector (got undefined)' });
    expect(checkVector({ embedding: unit(512) }, 512)).toEqual({ kind: 'shape', message: 'no vector (got object)' });
  });
});
