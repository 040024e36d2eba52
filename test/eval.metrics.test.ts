import { describe, expect, it } from 'vitest';
import { extractiveAnswerRecall, referenceRecall } from '../eval/answer-recall';
import { EXTRACTIVE_LABEL } from '../server/answer/extractive';
import type { SearchResult } from '../server/retrieval/types';
import { type EvalQuestion, isSectionHit, nearThreshold, normalizeHeading, type QuestionRun, scoreByKind, scoreQuestions } from '../eval/metrics';

const result = (path: string, ...headings: string[]) => ({ path, headings });

const questions: EvalQuestion[] = [
  { id: 'a', question: 'set a cookie', gold: [{ path: 'cookies.md', heading: 'Set a cookie' }], kind: 'howto' },
  { id: 'b', question: 'route groups', gold: [{ path: 'routing.md', heading: 'Grouping' }], kind: 'howto' },
  { id: 'c', question: 'what is hono', gold: [{ path: 'index.md', heading: 'Hono' }], kind: 'definition' },
  { id: 'd', question: 'kafka topics', gold: [], kind: 'unanswerable' },
  { id: 'e', question: 'pricing', gold: [], kind: 'unanswerable' },
];

const runs: QuestionRun[] = [
  // Gold first.
  { id: 'a', latencyMs: 10, results: [result('cookies.md', 'Cookies', 'Set a cookie'), result('routing.md', 'Routing')] },
  // Gold page third, but another section of it: a document hit only.
  { id: 'b', latencyMs: 20, results: [result('a.md', 'A'), result('b.md', 'B'), result('routing.md', 'Routing', 'Path parameters')] },
  // Any section of the page titled "Hono" matches a gold heading that is the page title.
  { id: 'c', latencyMs: 30, results: [result('x.md', 'X'), result('index.md', 'Hono', 'Quick start')] },
  { id: 'd', latencyMs: 40, results: [] },
  { id: 'e', latencyMs: 50, results: [result('x.md', 'X')] },
];

describe('scoreQuestions()', () => {
  it('scores section hits at 1/3/5/10, MRR@10 and document hits over the answerable questions', () => {
    const m = scoreQuestions(questions, runs);
    expect(m).toMatchObject({ questions: 5, answerable: 3, unanswerable: 2 });
    expect(m.hitAt1).toBe(0.333);
    expect(m.hitAt3).toBe(0.667);
    expect(m.hitAt10).toBe(0.667);
    expect(m.mrrAt10).toBe(0.5); // (1 + 0 + 1/2) / 3
    expect(m.docHitAt5).toBe(1);
  });

  it('answer rate counts answerable questions with any result; abstain rate, unanswerable ones with none', () => {
    const m = scoreQuestions(questions, runs);
    expect(m.answerRate).toBe(1);
    expect(m.abstainRate).toBe(0.5);
    expect(scoreQuestions(questions.slice(0, 3), runs).abstainRate).toBeNull();
  });

  it('answer recall is the mean over the answerable questions where it was measured (null when none was)', () => {
    // An unanswerable question's recall (d) never counts.
    const measured = [{ ...runs[0]!, answerRecall: 1 }, { ...runs[1]!, answerRecall: 0.5 }, { ...runs[2]!, answerRecall: null }, { ...runs[3]!, answerRecall: 0 }, runs[4]!];
    expect(scoreQuestions(questions, measured).answerRecall).toBe(0.75);
    expect(scoreQuestions(questions, runs).answerRecall).toBeNull();
  });

  it('counts only the first 10 results', () => {
    const deep = { id: 'a', latencyMs: 1, results: [...Array.from({ length: 10 }, (_, i) => result(`p${i}.md`, 'P')), result('cookies.md', 'Cookies', 'Set a cookie')] };
    const m = scoreQuestions(questions.slice(0, 1), [deep]);
    expect(m.hitAt10).toBe(0);
    expect(m.mrrAt10).toBe(0);
  });
});

describe('scoreByKind()', () => {
  it('scores each kind of question on its own, in the order the kinds first appear', () => {
    const byKind = scoreByKind(questions, runs);
    expect([...byKind.keys()]).toEqual(['howto', 'definition', 'unanswerable']);
    expect(byKind.get('howto')).toMatchObject({ questions: 2, hitAt1: 0.5, mrrAt10: 0.5, docHitAt5: 1 });
    expect(byKind.get('definition')).toMatchObject({ questions: 1, hitAt1: 0, mrrAt10: 0.5 });
    // No answerable question of that kind: its ranking metrics are not measured (null), not 0.
    expect(byKind.get('unanswerable')).toMatchObject({ questions: 2, answerable: 0, abstainRate: 0.5, hitAt1: null, hitAt5: null, mrrAt10: null, docHitAt5: null, answerRate: null });
  });
});

describe('isSectionHit()', () => {
  it('needs the gold path and the gold heading in the breadcrumb, markup normalised on both sides', () => {
    const gold = [{ path: 'api.md', heading: '<Badge text="new" /> realm: `string`' }];
    expect(isSectionHit(result('api.md', 'API', 'realm: string'), gold)).toBe(true);
    expect(isSectionHit(result('other.md', 'API', 'realm: string'), gold)).toBe(false);
    expect(isSectionHit(result('api.md', 'API', 'realm'), gold)).toBe(false);
    expect(normalizeHeading('  `c.req.json()`  and **more** ')).toBe('c.req.json() and more');
  });

  it('matches a gold heading to either heading of a breadcrumb entry two headings share (`A · B`)', () => {
    const shared = result('util.md', 'Util', '`util.inspect(object[, options])` · `util.inspect(object[, showHidden])`');
    expect(isSectionHit(shared, [{ path: 'util.md', heading: '`util.inspect(object[, options])`' }])).toBe(true);
    expect(isSectionHit(shared, [{ path: 'util.md', heading: '`util.inspect(object[, showHidden])`' }])).toBe(true);
    expect(isSectionHit(shared, [{ path: 'util.md', heading: 'util.inspect(object[, options]) · util.inspect(object[, showHidden])' }])).toBe(true);
    expect(isSectionHit(shared, [{ path: 'util.md', heading: 'util.inspect' }])).toBe(false);
    // A heading that writes " / " itself is one heading.
    expect(isSectionHit(result('context.md', 'Context', 'set() / get()'), [{ path: 'context.md', heading: 'set()' }])).toBe(false);
  });

  it('reads a link or an image in a gold heading as its text, as ingest renders headings', () => {
    const gold = [{ path: 'v3.md', heading: 'Changed options ([#2023](https://example.com/pull/2023))' }];
    expect(isSectionHit(result('v3.md', 'Migration', 'Changed options (#2023)'), gold)).toBe(true);
    expect(normalizeHeading('[Core](#core) and ![logo](logo.png) [ref][1]')).toBe('core and logo ref');
    expect(normalizeHeading('## Options {#opts}')).toBe('options');
  });
});

describe('referenceRecall()', () => {
  const question = 'how do I set a cookie?';
  const reference = 'Call setCookie(c, name, value) from hono/cookie; pass maxAge for expiry.';

  it("is the share of the reference's words, other than the question's, found in the answer", () => {
    // Reference words beyond the question: setcooki, valu, hono, maxag, expiri (and "call", "pass", "name"):
    // an answer with all of them scores 1, one restating the question scores 0.
    expect(referenceRecall(question, reference, reference)).toBe(1);
    expect(referenceRecall(question, reference, 'To set a cookie, set a cookie.')).toBe(0);
    const half = referenceRecall(question, reference, 'Use setCookie with a value and maxAge.');
    expect(half).toBeGreaterThan(0.2);
    expect(half).toBeLessThan(0.7);
    // Nothing to measure when the reference only repeats the question.
    expect(referenceRecall(question, 'Set a cookie.', 'anything')).toBeNull();
  });

  it("does not count the extractive answer's own label", () => {
    // The label says "no language model is configured": a reference about configuring a model gets nothing from it.
    expect(referenceRecall('which llm?', 'configure a language model', `${EXTRACTIVE_LABEL}\n\n> Something else. [1]`)).toBe(0);
    // Nor citation markers and link targets: "[10]" is not the "10" of the reference.
    expect(referenceRecall('timeout?', 'Raise it to 10 seconds', '> Something. [10]\n- [Timeouts](/guides/seconds/) [2]')).toBe(0);
  });

  it('extractiveAnswerRecall() measures the extractive answer of the results, and 0 without results', () => {
    const source = (text: string): SearchResult => ({
      rank: 1,
      score: 0.9,
      chunkId: 'c1',
      documentId: 'd1',
      source: 'docs',
      path: 'cookies.md',
      title: 'Cookies',
      headings: ['Cookies', 'Set a cookie'],
      anchor: 'set',
      url: '/cookies/#set',
      text,
    });
    expect(extractiveAnswerRecall(question, reference, [source('Call setCookie(c, name, value) from hono/cookie. Pass maxAge for the expiry.')])).toBe(1);
    expect(extractiveAnswerRecall(question, reference, [])).toBe(0);
  });
});

describe('nearThreshold()', () => {
  const qs: EvalQuestion[] = [
    { id: 'a', question: 'a', gold: [{ path: 'x.md', heading: 'X' }] },
    { id: 'b', question: 'b', gold: [] },
    { id: 'c', question: 'c', gold: [{ path: 'x.md', heading: 'X' }] },
  ];
  it('counts the questions whose best source is within the margin of minScore, either side', () => {
    const runs: QuestionRun[] = [
      { id: 'a', results: [], latencyMs: 1, topScore: 0.44 },
      { id: 'b', results: [], latencyMs: 1, topScore: 0.465 },
      { id: 'c', results: [], latencyMs: 1, topScore: 0.9 },
    ];
    expect(nearThreshold(qs, runs, 0.45)).toEqual({ minScore: 0.45, margin: 0.02, answerable: 1, unanswerable: 1 });
    expect(nearThreshold(qs, runs.map(({ topScore: _t, ...r }) => r), 0.45)).toBeNull();
  });
});
