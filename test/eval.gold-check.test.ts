import { describe, expect, it } from 'vitest';
import { checkGold } from '../eval/gold-check';
import type { EvalQuestion } from '../eval/metrics';

const SECTIONS = [
  { path: 'api/context.md', headings: ['Context', 'set() / get()'] },
  { path: 'api/routing.md', headings: ['Routing', 'Path Parameter'] },
  { path: 'v2/api/routing.md', headings: ['Routing (v2)', 'Path Parameter'] },
];
const question = (id: string, ...gold: [string, string][]): EvalQuestion => ({ id, question: id, gold: gold.map(([path, heading]) => ({ path, heading })) });

describe('checkGold()', () => {
  it('accepts gold sections of the corpus, headings compared with their markup normalised', () => {
    const questions = [question('a', ['api/context.md', '`set()` / `get()`']), question('b'), question('c', ['api/routing.md', 'Routing'])];
    expect(checkGold(questions, SECTIONS)).toEqual({ questions, notes: [], problems: [] });
  });

  it('reads gold paths with the one prefix that makes every missing one a page: dropped or added', () => {
    const dropped = checkGold([question('a', ['docs/api/context.md', 'set() / get()']), question('b', ['docs/api/routing.md', 'Path Parameter'])], SECTIONS);
    expect(dropped.questions.map((q) => q.gold[0]!.path)).toEqual(['api/context.md', 'api/routing.md']);
    expect(dropped.notes).toEqual(['gold paths are written from another folder than --content: 2 of them read with "docs/" dropped in front (e.g. docs/api/context.md → api/context.md)']);
    expect(dropped.problems).toEqual([]);
    const added = checkGold([question('a', ['context.md', 'set() / get()'])], [{ path: 'docs/api/context.md', headings: ['Context', 'set() / get()'] }]);
    expect(added.questions[0]!.gold[0]!.path).toBe('docs/api/context.md');
  });

  it("reads a gold heading that is a page's # Title as the title its breadcrumb shows", () => {
    const sections = [{ path: 'embed-many.mdx', headings: ['embedMany', 'Parameters'] }];
    const h1 = (path: string) => (path === 'embed-many.mdx' ? '`embedMany()`' : undefined);
    const checked = checkGold([question('a', ['embed-many.mdx', 'embedMany()']), question('b', ['embed-many.mdx', 'Returns'])], sections, h1);
    expect(checked.questions[0]!.gold[0]!.heading).toBe('embedMany');
    expect(checked.notes).toEqual(["1 gold heading(s) are a page's # Title, which its frontmatter title replaces in breadcrumbs: read as that title"]);
    expect(checked.problems).toEqual(['b: "Returns" is not a heading of embed-many.mdx']);
  });

  it('does not guess when no single prefix explains every missing path, and names what cannot be hit', () => {
    // "routing.md" is api/routing.md or v2/api/routing.md: ambiguous, so nothing is re-read.
    const ambiguous = checkGold([question('a', ['routing.md', 'Path Parameter'])], SECTIONS);
    expect(ambiguous.notes).toEqual([]);
    expect(ambiguous.problems).toEqual(['a: gold path "routing.md" is not a page of the corpus']);
    const wrongHeading = checkGold([question('b', ['api/context.md', 'set()'])], SECTIONS);
    expect(wrongHeading.problems).toEqual(['b: "set()" is not a heading of api/context.md']);
  });
});
