/**
 * Quality gate: retrieval quality on the committed question sets (real embedder, real ingest,
 * a new user's default settings) must not drop below `eval/recorded-levels.json`.
 * To accept a change that moves the numbers, run `npm run eval:record` and commit the file.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalEmbeddingProvider } from '../server/embed/local';
import { GATE_SETS, measureGate, readRecordedLevels, regressions } from '../eval/gate';

describe('retrieval quality gate', () => {
  const embedder = createLocalEmbeddingProvider();
  afterAll(() => embedder.close());

  it('records a level for every gate set', () => {
    const levels = readRecordedLevels();
    for (const group of GATE_SETS) for (const set of group.sets) expect(levels[set], set).toBeDefined();
  });

  it('stays at or above the recorded levels on every committed question set', { timeout: 1_500_000 }, async () => {
    const measured = await measureGate(embedder);
    expect(regressions(measured, readRecordedLevels())).toEqual([]);
  });
});
