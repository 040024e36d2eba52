import { describe, expect, it } from 'vitest';
import { answerSystemPrompt, formatSources, noRetrievalSystemPrompt } from '../server/answer/prompt';
import type { AnswerSource } from '../server/chats/sources';

const source = (rank: number, url: string, text: string): AnswerSource => ({
  rank,
  score: 0.9,
  source: 'docs',
  path: 'guides/deployment.md',
  title: 'Deploying Docent',
  heading: 'Postgres',
  headings: ['Deploying Docent', 'Postgres'],
  anchor: 'postgres',
  url,
  snippet: text,
  chunkId: null,
  text,
});

describe('formatSources()', () => {
  it("gives the model each source's links as they lead on its page, so a link it copies still works", () => {
    const prompt = formatSources([source(1, '/guides/deployment/#postgres', 'Create it [ahead of time](#ahead), see [the spec][1].\n\n```md\n[x](#x)\n```')]);
    expect(prompt).toBe('[1] Deploying Docent › Postgres (/guides/deployment/#postgres)\nCreate it [ahead of time](/guides/deployment/#ahead), see the spec.\n\n```md\n[x](#x)\n```');
  });
});

describe('answerSystemPrompt()', () => {
  const sources = [source(1, '/guides/deployment/#postgres', 'Create the extension.')];

  it("adds the site's instructions after Docent's rules and before the sources", () => {
    const prompt = answerSystemPrompt(sources, '  Call the product Acme.  ');
    expect(prompt).toContain('Instructions from the maintainers of this documentation site');
    expect(prompt).toContain('\nCall the product Acme.\n');
    expect(prompt.indexOf('Call the product Acme.')).toBeGreaterThan(prompt.indexOf('Cite every statement'));
    expect(prompt.indexOf('Call the product Acme.')).toBeLessThan(prompt.indexOf('Sources:'));
  });

  it('is the same without instructions as with blank ones', () => {
    expect(answerSystemPrompt(sources, ' \n')).toBe(answerSystemPrompt(sources));
    expect(answerSystemPrompt(sources)).not.toContain('Instructions from the maintainers');
  });
});

describe('noRetrievalSystemPrompt()', () => {
  it("says there are no sources, and adds the site's instructions", () => {
    expect(noRetrievalSystemPrompt()).toContain('no documentation sources');
    expect(noRetrievalSystemPrompt('Answer in French.')).toMatch(/no documentation sources[\s\S]*Answer in French\.$/);
  });
});
