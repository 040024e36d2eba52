import { describe, expect, it } from 'vitest';
import { formatSources } from '../server/answer/prompt';
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
