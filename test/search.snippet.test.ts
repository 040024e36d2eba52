/** The docs search's snippets and breadcrumbs (site/src/search/snippet.ts). */
import { describe, expect, it } from 'vitest';
import { breadcrumb, markedSnippet, markedText, plainText, queryTerms, type SnippetPart } from '../site/src/search/snippet';

/** The snippet with its marked parts in brackets: "the [port] the site listens on". */
const shown = (parts: SnippetPart[]) => parts.map((p) => (p.marked ? `[${p.text}]` : p.text)).join('');

describe('queryTerms', () => {
  it('keeps the words worth marking, folded and without repeats', () => {
    expect(queryTerms('How do I change the PORT? port, Café')).toEqual(['change', 'port', 'cafe']);
  });
  it('drops one-letter words', () => {
    expect(queryTerms('a b c x')).toEqual([]);
  });
});

describe('plainText', () => {
  it('turns a section of markdown into one line of text', () => {
    const markdown = '## Options\n\nSee [the guide](./guide.md) for **all** of `them`.\n\n```ts\nconst port = 1;\n```\n\n| a | b |\n|---|---|\n| <b>x</b> | y |';
    expect(plainText(markdown)).toBe('Options See the guide for all of them. const port = 1; | a | b | | x | y |');
  });
});

describe('markedSnippet', () => {
  it('marks the words of the query, whatever their case, and their longer and shorter forms', () => {
    expect(shown(markedSnippet('Set PORT to change the ports; the configuration file wins.', 'port config'))).toBe(
      'Set [PORT] to change the [ports]; the [configuration] file wins.',
    );
  });

  it('marks words with accents as the query without them, and words of any script', () => {
    expect(shown(markedSnippet('Le café ouvre à 7 h. Пример конфигурации.', 'cafe пример'))).toBe('Le [café] ouvre à 7 h. [Пример] конфигурации.');
  });

  it('does not mark common words or parts of other words', () => {
    expect(shown(markedSnippet('The support team reports the export.', 'the port'))).toBe('The support team reports the export.');
  });

  it('shows a long text around the place holding most words of the query, cut between words', () => {
    const before = 'Docent reads its settings from the environment. '.repeat(6);
    const after = ' Other settings follow here, one by one.'.repeat(6);
    const text = `${before}Only the port is mentioned here. The port and the host are both set by PORT and HOST.${after}`;
    const snippet = shown(markedSnippet(text, 'port host', 120));
    expect(snippet).toMatch(/^…/);
    expect(snippet).toMatch(/…$/);
    expect(snippet).toContain('[port] and the [host] are both set by [PORT] and [HOST]');
    const excerpt = snippet.slice(1, -1).replace(/[[\]]/g, '');
    expect(excerpt.length).toBeLessThanOrEqual(120);
    // Whole words only, at either end: a space before it and after it in the text.
    expect(text).toContain(` ${excerpt} `);
  });

  it('starts at the beginning of a long text where nothing matches, and says where it is cut', () => {
    const text = 'Readers can browse every page from the sidebar. '.repeat(10);
    const parts = markedSnippet(text, 'zebra', 80);
    expect(parts.every((p) => !p.marked)).toBe(true);
    expect(shown(parts)).toBe('Readers can browse every page from the sidebar. Readers can browse every page…');
  });

  it('keeps a short text whole', () => {
    expect(markedSnippet('Only **port**.', 'port')).toEqual([
      { text: 'Only ', marked: false },
      { text: 'port', marked: true },
      { text: '.', marked: false },
    ]);
  });
});

describe('breadcrumb', () => {
  it('is the page title, then the headings down to the section, without the title heading again', () => {
    expect(breadcrumb('Configuration', ['Configuration', 'Server', 'PORT'])).toEqual(['Configuration', 'Server', 'PORT']);
    expect(breadcrumb('Configuration', ['Server', 'PORT'])).toEqual(['Configuration', 'Server', 'PORT']);
    expect(breadcrumb('Intro', [])).toEqual(['Intro']);
  });
});

describe('markedText', () => {
  it('marks the words of the query in a whole text', () => {
    expect(shown(markedText('Routing › Path Parameter', 'path parameters'))).toBe('Routing › [Path] [Parameter]');
    expect(markedText('Routing', 'zebra')).toEqual([{ text: 'Routing', marked: false }]);
  });
});
