import { describe, expect, it } from 'vitest';
import { isProblemSection, isRemedyOf, remedyBeforeProblem } from '../server/retrieval/remedies';

const item = (documentId: string, headings: string[], score: number) => ({ documentId, headings, score });

describe('isProblemSection()', () => {
  it('is true for a section headed as the problem, not for the page lead or other headings', () => {
    expect(isProblemSection(['useChat "An error occurred"', 'Issue'])).toBe(true);
    expect(isProblemSection(['Timeouts', 'Deploying', 'Problem'])).toBe(true);
    expect(isProblemSection(['Page', 'Symptoms'])).toBe(true);
    expect(isProblemSection(['Issue'])).toBe(false); // a page titled "Issue" is no section of one
    expect(isProblemSection(['Contributing', 'Issue triage'])).toBe(false);
    expect(isProblemSection(['Errors', 'Error codes'])).toBe(false);
  });
});

describe('isRemedyOf()', () => {
  const problem = item('d1', ['Page', 'Issue'], 0.9);
  it('is true for the remedy sibling and its subsections, on the same page and under the same parent', () => {
    expect(isRemedyOf(item('d1', ['Page', 'Solution'], 0.2), problem)).toBe(true);
    expect(isRemedyOf(item('d1', ['Page', 'Solution', 'Upgrade Zod to 4.1.8'], 0.2), problem)).toBe(true);
    expect(isRemedyOf(item('d1', ['Page', 'Workaround'], 0.2), problem)).toBe(true);
  });
  it('is false for another page, another parent or another heading', () => {
    expect(isRemedyOf(item('d2', ['Page', 'Solution'], 0.2), problem)).toBe(false);
    expect(isRemedyOf(item('d1', ['Page', 'Background'], 0.2), problem)).toBe(false);
    expect(isRemedyOf(item('d1', ['Page'], 0.2), problem)).toBe(false);
    expect(isRemedyOf(item('d1', ['Page', 'Deploying', 'Solution'], 0.2), item('d1', ['Page', 'Testing', 'Issue'], 0.9))).toBe(false);
  });
});

describe('remedyBeforeProblem()', () => {
  it('moves the best-ranked remedy of a problem section just before it, with its score', () => {
    const ranked = [
      item('d1', ['Page', 'Issue'], 0.9),
      item('d2', ['Other', 'Errors'], 0.8),
      item('d1', ['Page', 'Background'], 0.7),
      item('d1', ['Page', 'Solution', 'Alternative'], 0.4),
      item('d1', ['Page', 'Solution'], 0.3),
    ];
    expect(remedyBeforeProblem(ranked).map((r) => [r.headings.slice(1).join(' > '), r.score])).toEqual([
      ['Solution > Alternative', 0.9],
      ['Issue', 0.9],
      ['Errors', 0.8],
      ['Background', 0.7],
      ['Solution', 0.3],
    ]);
    expect(ranked[3]!.score).toBe(0.4); // the input is left as it was
  });

  it('leaves the ranking as it is when the remedy is ranked first already, or when the page has none', () => {
    const first = [item('d1', ['Page', 'Fix'], 0.95), item('d1', ['Page', 'Problem'], 0.9), item('d2', ['B', 'Usage'], 0.5)];
    expect(remedyBeforeProblem(first)).toEqual(first);
    const none = [item('d1', ['Page', 'Issue'], 0.9), item('d2', ['B', 'Solution'], 0.5)];
    expect(remedyBeforeProblem(none)).toEqual(none);
  });

  it('handles each problem section of a page with several, each with its own remedy', () => {
    const ranked = [
      item('d1', ['FAQ', 'Deploying', 'Problem'], 0.9),
      item('d1', ['FAQ', 'Testing', 'Problem'], 0.8),
      item('d1', ['FAQ', 'Testing', 'Solution'], 0.2),
      item('d1', ['FAQ', 'Deploying', 'Solution'], 0.1),
    ];
    expect(remedyBeforeProblem(ranked).map((r) => `${r.headings[1]} ${r.headings[2]} ${r.score}`)).toEqual([
      'Deploying Solution 0.9',
      'Deploying Problem 0.9',
      'Testing Solution 0.8',
      'Testing Problem 0.8',
    ]);
  });
});
