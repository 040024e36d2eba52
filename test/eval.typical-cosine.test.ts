import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fusionModelSource } from '../eval/fusion-model-source';
import { meanCandidateCosine } from '../eval/typical-cosine';
import { FUSION_MODEL, TYPICAL_CANDIDATE_COSINE } from '../server/retrieval/fusion-model';
import { cosinesWithMissingFilled } from '../server/retrieval/missing-vectors';

describe('meanCandidateCosine()', () => {
  it("takes each question's mean, then their mean: a question with many candidates weighs as much as one with few", () => {
    // Pooled, these 5 candidates would give 0.4; per question, (0.8 + 0.3) / 2.
    expect(meanCandidateCosine([[0.8], [0.3, 0.3, 0.3, 0.3]])).toBeCloseTo(0.55, 10);
  });
  it('leaves out questions without candidates', () => {
    expect(meanCandidateCosine([[], [0.4, 0.6], []])).toBeCloseTo(0.5, 10);
  });
  it('has no mean when no question has a candidate', () => {
    expect(meanCandidateCosine([])).toBeUndefined();
    expect(meanCandidateCosine([[], []])).toBeUndefined();
  });
});

describe('eval:fit --write (fusionModelSource)', () => {
  const committed = readFileSync(join(import.meta.dirname, '../server/retrieval/fusion-model.ts'), 'utf8');
  const header = /: (\d+) candidates of (\d+) questions\./.exec(committed);

  it('writes the typical candidate cosine beside the fitted weights, rounded to 3 decimals', () => {
    const source = fusionModelSource({ model: FUSION_MODEL, typicalCandidateCosine: 0.48765, candidates: 10, questions: 2 });
    expect(source).toContain('export const FUSION_MODEL: FusionModel = {');
    expect(source).toMatch(/\nexport const TYPICAL_CANDIDATE_COSINE = 0\.488;\n$/);
  });

  it('is what the committed fusion-model.ts holds: ranking reads the values a fit writes', () => {
    expect(header).not.toBeNull();
    expect(fusionModelSource({ model: FUSION_MODEL, typicalCandidateCosine: TYPICAL_CANDIDATE_COSINE, candidates: Number(header![1]), questions: Number(header![2]) })).toBe(committed);
  });

  it('the fitted value is what a candidate gets when no candidate has a comparable vector', () => {
    expect(cosinesWithMissingFilled([null])).toEqual([TYPICAL_CANDIDATE_COSINE]);
  });
});
