import { describe, expect, it } from 'vitest';
import { definesSubject, definitionSubject, homePageIntroduces, introducesSubject, isSiteSubject, openingSentence, openingSentences } from '../server/retrieval/definitions';

describe('definitionSubject()', () => {
  it('finds the subject of questions that ask what something is', () => {
    expect(definitionSubject('What is Docent?')).toEqual(['docent']);
    expect(definitionSubject("what's the chat widget")).toEqual(['chat', 'widget']);
    expect(definitionSubject('What are helpers?')).toEqual(['helper']);
    expect(definitionSubject('what can docent do')).toEqual(['docent']);
    expect(definitionSubject('What does the router do?')).toEqual(['router']);
    expect(definitionSubject('Tell me about LangSmith tracing')).toEqual(['langsmith', 'tracing']);
    expect(definitionSubject('what is langsmith used for')).toEqual(['langsmith']);
    expect(definitionSubject('What is the purpose of the review page?')).toEqual(['review', 'page']);
    expect(definitionSubject('what does minScore mean')).toEqual(['minscore']);
  });

  it('reads identifiers whole, and takes no pronoun for a subject', () => {
    expect(definitionSubject('What is DATABASE_URL?')).toEqual(['database_url']);
    expect(definitionSubject('What is it?')).toBeUndefined();
    expect(definitionSubject('what does that mean?')).toBeUndefined();
  });

  it('answers at once on a long question full of spaces (no backtracking blow-up)', () => {
    const started = performance.now();
    expect(definitionSubject(`what is${' '.repeat(5000)}a\nb`)).toEqual(['b']);
    expect(definitionSubject(`what does${' '.repeat(5000)}x`)).toBeUndefined();
    expect(definitionSubject(`what is ${'x '.repeat(3000)}?`)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('drops a trailing qualifier: the page about JSX is wanted, whichever product it is in', () => {
    expect(definitionSubject('What is JSX in Hono?')).toEqual(['jsx']);
  });

  it('is undefined for other questions, and for how-to questions phrased as "what is"', () => {
    expect(definitionSubject('How do I set a cookie?')).toBeUndefined();
    expect(definitionSubject('What status code does c.redirect() use if I do not pass one?')).toBeUndefined();
    expect(definitionSubject('What is the best way to deploy Docent behind a reverse proxy?')).toBeUndefined();
  });
});

describe('openingSentence()', () => {
  it('skips code, lists and markup, and returns the first sentence of prose', () => {
    const text = '```ts\nconst app = new Hono()\n```\n\n- a list item.\n\n**Hono** - _means flame_ - is a small framework. It is fast.';
    expect(openingSentence(text)).toBe('Hono - means flame - is a small framework.');
  });
});

describe('definesSubject()', () => {
  const section = (title: string, headings: string[], text: string) => ({ title, headings, text });

  it('is true for the lead of the page titled after the subject', () => {
    expect(definesSubject(['helper'], section('Helpers', ['Helpers'], 'For instance, here is a cookie helper.'))).toBe(true);
    expect(definesSubject(['hono', 'router'], section('Routers', ['Routers'], 'Hono has five routers.'))).toBe(true);
    expect(definesSubject(['langsmith', 'tracing'], section('Tracing with LangSmith', ['Tracing with LangSmith'], 'Send traces.'))).toBe(true);
  });

  it('is true for sentences opening with an article, an identifier, or an aside in unspaced dashes', () => {
    expect(introducesSubject(['chunk'], 'A chunk is a piece of a section.')).toBe(true);
    expect(introducesSubject(['database_url'], '`DATABASE_URL` is the database to use.')).toBe(true);
    expect(introducesSubject(['hono'], 'Hono—a small framework—is fast.')).toBe(true);
  });

  it('is false for a page titled only part of the subject (the product page for "the Docent server")', () => {
    expect(definesSubject(['docent', 'server'], section('Docent', ['Docent'], 'Welcome to the docs.'))).toBe(false);
  });

  it('is false for other sections of that page and for pages whose title says more', () => {
    expect(definesSubject(['helper'], section('Helpers', ['Helpers', 'Available helpers'], 'A list.'))).toBe(false);
    expect(definesSubject(['middleware'], section('Combine Middleware', ['Combine Middleware'], 'Combine several middleware into one.'))).toBe(false);
  });

  it('is true for a section whose opening sentence has the subject as its subject', () => {
    expect(definesSubject(['docent'], section('Introduction', ['Introduction'], 'Docent is an open-source chatbot for documentation sites.'))).toBe(true);
    expect(definesSubject(['hono'], section('Home', ['Home', 'About'], 'Hono - means flame in Japanese - is a small web framework.'))).toBe(true);
    expect(definesSubject(['rpc'], section('Guides', ['Guides', 'Client'], 'The RPC feature allows sharing of the API specifications.'))).toBe(true);
  });

  it('is false when the subject is only part of a longer subject, or the sentence does not introduce it', () => {
    expect(definesSubject(['docent'], section('Deploying', ['Deploying', 'Scaling'], 'Docent servers are stateless apart from the database.'))).toBe(false);
    expect(definesSubject(['docent'], section('Deploying', ['Deploying', 'Proxy'], 'Run Docent behind a reverse proxy.'))).toBe(false);
  });
});

describe('openingSentences()', () => {
  it('returns the first sentences of prose, across paragraphs, skipping code and lists', () => {
    const text = 'HTTPX\n\n```sh\npip install httpx\n```\n\n- a list item.\n\nA next-generation HTTP client. HTTPX is fully featured.\n\nMore text.';
    expect(openingSentences(text, 3)).toEqual(['HTTPX', 'A next-generation HTTP client.', 'HTTPX is fully featured.']);
    expect(openingSentences(text, 1)).toEqual([openingSentence(text)]);
    expect(openingSentences('', 3)).toEqual([]);
  });
});

describe('homePageIntroduces()', () => {
  const home = (text: string, title = 'Introduction') => ({ title, headings: [title], text });

  it('is true when one of the lead\'s first three sentences introduces the subject, after a tagline', () => {
    expect(homePageIntroduces(['poetry'], home('Poetry is a tool for dependency management in Python.'))).toBe(true);
    expect(homePageIntroduces(['httpx'], home('HTTPX\n\nA next-generation HTTP client for Python.\n\nHTTPX is a fully featured HTTP client.'))).toBe(true);
    expect(homePageIntroduces(['httpx'], home('Text.', 'HTTPX'))).toBe(true);
  });

  it('is false when the subject comes later or is not what the lead introduces', () => {
    expect(homePageIntroduces(['httpx'], home('One. Two. Three. HTTPX is a client.'))).toBe(false);
    expect(homePageIntroduces(['middleware'], home('Hono is a web framework. It has middleware.'))).toBe(false);
    expect(homePageIntroduces(['hono', 'stack'], home('Hono is a web framework.'))).toBe(false);
  });
});

describe('isSiteSubject()', () => {
  it('is true for "this" or "these" and a noun naming the whole of what the docs document', () => {
    for (const q of ['What is this project?', 'what are these docs about?', 'What does this library do?', 'tell me about this tool', 'what is this package used for?']) {
      expect(isSiteSubject(definitionSubject(q)!), q).toBe(true);
    }
  });

  it('is false for a named subject, "the project", other nouns, and has no subject for "what is it?"', () => {
    for (const q of ['What is Acme?', 'What is the project?', 'What is this option?', 'What is this library\'s license?']) {
      expect(isSiteSubject(definitionSubject(q) ?? []), q).toBe(false);
    }
    expect(definitionSubject('What is this?')).toBeUndefined();
  });
});
