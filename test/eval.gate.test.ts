/**
 * Quality gate: retrieval quality on the committed question sets (real embedder, real ingest,
 * a new user's default settings) must not drop below `eval/recorded-levels.json`.
 * To accept a change that moves the numbers, run `npm run eval:record` and commit the file.
 * One test per corpus, each with its own time limit: a slow machine cannot push the whole gate
 * over one limit, and a failure names its corpus.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalEmbeddingProvider } from '../server/embed/local';
import { GATE_SETS, type Levels, measureGateGroup, readRecordedLevels, regressions } from '../eval/gate';

/** Per corpus; the largest (about 1 MB of docs) takes 1–3 minutes on 2 cores. */
const CORPUS_TIMEOUT_MS = 600_000;

describe('retrieval quality gate', () => {
  const embedder = createLocalEmbeddingProvider();
  afterAll(() => embedder.close());
  const levels = readRecordedLevels();

  it('records a level for every gate set, and none for a set the gate no longer runs', () => {
    const gated = GATE_SETS.flatMap((group) => [...group.sets]);
    for (const set of gated) expect(levels[set], set).toBeDefined();
    expect(Object.keys(levels).filter((set) => !gated.includes(set as (typeof gated)[number]))).toEqual([]);
  });

  for (const group of GATE_SETS) {
    it(`stays at or above the recorded levels on ${group.corpus}`, { timeout: CORPUS_TIMEOUT_MS }, async () => {
      const measured = await measureGateGroup(embedder, group);
      const groupLevels: Levels = Object.fromEntries(group.sets.map((set) => [set, levels[set] ?? {}]));
      expect(regressions(measured, groupLevels)).toEqual([]);
    });
  }
});
