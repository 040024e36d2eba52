import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatModel } from '../server/answer/model';
import { heuristicRewrite, looksLikeFollowUp, rewriteQuestion } from '../server/answer/rewrite';
import { loadConfig } from '../server/config';
import { type OpenAIStub, startOpenAIStub } from './helpers/openai-stub';

describe('looksLikeFollowUp()', () => {
  it.each([
    'What is Docent?',
    'What is PGlite?',
    'How to install?',
    'Is there a way to change the port?',
    'Is it possible to use Postgres instead of PGlite?',
    'Which file types does ingest read?',
    'Where are chats stored?',
    'How do I make sure that the port is free?',
    'Is there a middleware that compresses responses?',
    'Is there an option that can limit the body size?',
    'Can I check that my API key works?',
    'How do I set the port so that two instances can run?',
  ])('a question that names its own subject stands alone: %s', (question) => {
    expect(looksLikeFollowUp(question)).toBe(false);
  });

  it.each([
    'and how do I turn it off?',
    'What about the project?',
    'How do I delete it?',
    'Why?',
    'Postgres?',
    'Any example?',
    'Which one?',
    'Is that the default?',
    'How do I change that?',
    'What does that option do?',
    'Can I use that with Bun?',
    'That works on Deno too?',
  ])('a continuation, a pointer back or a fragment is a follow-up: %s', (question) => {
    expect(looksLikeFollowUp(question)).toBe(true);
  });
});

describe('heuristicRewrite()', () => {
  it('leaves a short standalone question as it is', () => {
    const history = [
      { role: 'user' as const, content: 'How do I back up the database?' },
      { role: 'assistant' as const, content: 'Copy `.data/` [1].' },
    ];
    expect(heuristicRewrite(history, 'What is Docent?')).toBe('What is Docent?');
  });

  it('builds a chain of follow-ups on the previous query, so the topic stays', () => {
    const history = [
      { role: 'user' as const, content: 'How do I enable LangSmith tracing?' },
      { role: 'assistant' as const, content: 'Set LANGSMITH_TRACING [1].' },
      { role: 'user' as const, content: 'and how do I turn it off?' },
      {
        role: 'assistant' as const,
        content: 'Unset it [1].',
        retrievalQuery: 'How do I enable LangSmith tracing? and how do I turn it off?',
      },
    ];
    expect(heuristicRewrite(history, 'what about the project?')).toBe(
      'How do I enable LangSmith tracing? and how do I turn it off? what about the project?',
    );
  });

  it('keeps the start of a long previous query (its topic) to stay within 500 characters', () => {
    const long = `How do I enable LangSmith tracing ${'and more words '.repeat(60)}?`;
    const query = heuristicRewrite(
      [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: 'y', retrievalQuery: long },
      ],
      'and the project?',
    );
    expect(query.length).toBeLessThanOrEqual(500);
    expect(query).toMatch(/^How do I enable LangSmith tracing and more words .* and the project\?$/);
  });
});

describe('rewriteQuestion() without a model', () => {
  it('answers a first question, and a standalone one later, with the question itself', async () => {
    const history = [
      { role: 'user' as const, content: 'What is PGlite?' },
      { role: 'assistant' as const, content: 'An embedded Postgres [1].' },
    ];
    expect(await rewriteQuestion({ history: [], question: 'Why?' })).toEqual({ query: 'Why?', method: 'none' });
    expect(await rewriteQuestion({ history, question: 'Is there a way to change the port?' })).toEqual({
      query: 'Is there a way to change the port?',
      method: 'none',
    });
    expect(await rewriteQuestion({ history, question: 'Does it support pgvector?' })).toEqual({
      query: 'What is PGlite? Does it support pgvector?',
      method: 'heuristic',
    });
  });
});

describe('rewriteQuestion() with a reasoning model', () => {
  let stub: OpenAIStub;
  beforeAll(async () => {
    stub = await startOpenAIStub();
  });
  afterAll(async () => {
    await stub?.close();
  });

  const history = [
    { role: 'user' as const, content: 'How do I enable LangSmith tracing?' },
    { role: 'assistant' as const, content: 'Set LANGSMITH_TRACING=true [1].' },
  ];
  const chatModel = () => createChatModel(loadConfig({ OPENAI_BASE_URL: stub.url, CHAT_MODEL: 'reasoner' }))!;

  it('searches with the query after a <think> block, not with the reasoning', async () => {
    stub.setReply(() => ({ text: '<think>\nThe reader means tracing.\n</think>\n\nHow do I turn off LangSmith tracing?' }));
    expect(await rewriteQuestion({ chatModel: chatModel(), history, question: 'and how do I turn it off?' })).toEqual({
      query: 'How do I turn off LangSmith tracing?',
      method: 'model',
    });
  });

  it('falls back to the heuristic when the reasoning never closes (the token limit cut it)', async () => {
    stub.setReply(() => ({ text: '<think>\nThe reader asks about turning something off. Earlier they' }));
    const rewrite = await rewriteQuestion({ chatModel: chatModel(), history, question: 'and how do I turn it off?' });
    expect(rewrite).toMatchObject({ query: 'How do I enable LangSmith tracing? and how do I turn it off?', method: 'heuristic' });
  });
});
