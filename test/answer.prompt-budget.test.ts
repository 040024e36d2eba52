import { describe, expect, it } from 'vitest';
import { estimateTokens, fitPrompt, type PromptTurn } from '../server/answer/prompt-budget';
import { answerSystemPrompt } from '../server/answer/prompt';
import type { AnswerSource } from '../server/chats/sources';

const source = (rank: number, chars: number): AnswerSource => ({
  rank,
  score: 0.9 - rank / 100,
  source: 'docs',
  path: `guide-${rank}.md`,
  title: `Guide ${rank}`,
  heading: '',
  anchor: '',
  headings: [`Guide ${rank}`],
  url: `/guide-${rank}/`,
  snippet: '',
  chunkId: null,
  text: `Section ${rank}. ${'word '.repeat(Math.ceil(chars / 5))}`.slice(0, chars),
});

const turns = (n: number, chars: number): PromptTurn[] =>
  Array.from({ length: n }, (_, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', content: `turn ${i} ${'x'.repeat(chars)}` }));

const system = (list: readonly AnswerSource[]) => answerSystemPrompt(list);
const question = 'How do I configure it?';

/** Estimated tokens of the whole prompt as fitted. */
const promptTokens = (fitted: { sources: AnswerSource[]; history: PromptTurn[] }) =>
  estimateTokens(system(fitted.sources)) + fitted.history.reduce((n, t) => n + estimateTokens(t.content), 0) + estimateTokens(question);

describe('fitPrompt()', () => {
  it('keeps every source and turn when they fit the window', () => {
    const sources = [source(1, 800), source(2, 800)];
    const history = turns(4, 200);
    const fitted = fitPrompt({ contextTokens: 32_000, outputTokens: 1_200, system, sources, history, question });
    expect(fitted.sources).toEqual(sources);
    expect(fitted.history).toEqual(history);
  });

  it('keeps the best sources in rank order and the newest turns, within the window less the answer’s tokens', () => {
    const sources = Array.from({ length: 10 }, (_, i) => source(i + 1, 3_000));
    const history = turns(6, 1_500);
    const fitted = fitPrompt({ contextTokens: 4_096, outputTokens: 1_200, system, sources, history, question });
    expect(promptTokens(fitted)).toBeLessThanOrEqual(4_096 - 1_200);
    expect(fitted.sources.length).toBeGreaterThan(0);
    expect(fitted.sources.length).toBeLessThan(10);
    expect(fitted.sources).toEqual(sources.slice(0, fitted.sources.length));
    expect(fitted.history).toEqual(history.slice(history.length - fitted.history.length));
    expect(fitted.history[0]?.role ?? 'user').toBe('user');
    // The rules are never what gives way.
    expect(system(fitted.sources)).toContain('Rules:');
  });

  it('sends the start of the best source when even it does not fit whole', () => {
    const fitted = fitPrompt({ contextTokens: 2_048, outputTokens: 1_200, system, sources: [source(1, 6_000), source(2, 500)], history: [], question });
    expect(fitted.sources).toHaveLength(1);
    expect(fitted.sources[0]!.text.length).toBeLessThan(6_000);
    expect(fitted.sources[0]!.text).toMatch(/^Section 1\. word/);
    expect(promptTokens(fitted)).toBeLessThanOrEqual(2_048 - 1_200);
  });
});
