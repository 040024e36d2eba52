/**
 * `resolveSourceLinks()`: a source's links lead where they lead on its own page when its text is
 * shown elsewhere (a quote in an answer, the sources given to the model).
 */
import { describe, expect, it } from 'vitest';
import { resolveSourceLink, resolveSourceLinks } from '../server/answer/source-links';

describe('resolveSourceLink()', () => {
  it('resolves anchors and relative paths against the page, keeping absolute links', () => {
    expect(resolveSourceLink('#creating-the-extension', '/guides/deployment/#postgres')).toBe('/guides/deployment/#creating-the-extension');
    expect(resolveSourceLink('#x', '/guides/deployment/')).toBe('/guides/deployment/#x');
    expect(resolveSourceLink('./faq.md#a', '/guides/deployment/#postgres')).toBe('/guides/deployment/faq.md#a');
    expect(resolveSourceLink('../img/a.png', '/guides/deployment/')).toBe('/guides/img/a.png');
    expect(resolveSourceLink('?tab=2', '/guides/deployment/#postgres')).toBe('/guides/deployment/?tab=2');
    expect(resolveSourceLink('/reference/', '/guides/deployment/')).toBe('/reference/');
    expect(resolveSourceLink('https://example.com/a#b', '/guides/deployment/')).toBe('https://example.com/a#b');
    expect(resolveSourceLink('mailto:a@example.com', '/guides/')).toBe('mailto:a@example.com');
    expect(resolveSourceLink('//cdn.example.com/x', '/guides/')).toBe('//cdn.example.com/x');
  });

  it('resolves against a page with an absolute URL (an absolute --base-url), site-absolute paths too', () => {
    const page = 'https://docs.example.com/docs/guides/deployment/#postgres';
    expect(resolveSourceLink('#x', page)).toBe('https://docs.example.com/docs/guides/deployment/#x');
    expect(resolveSourceLink('../api/', page)).toBe('https://docs.example.com/docs/guides/api/');
    expect(resolveSourceLink('/other/', page)).toBe('https://docs.example.com/other/');
  });
});

describe('resolveSourceLinks()', () => {
  const page = '/guides/deployment/#postgres';

  it('resolves inline link and image targets, with or without angle brackets and titles', () => {
    expect(resolveSourceLinks('See [it](#a "Title"), [b](<./b c.md>) and ![d](d.png).', page)).toBe(
      'See [it](/guides/deployment/#a "Title"), [b](</guides/deployment/b%20c.md>) and ![d](/guides/deployment/d.png).',
    );
  });

  it('leaves code spans and fenced code as written', () => {
    const text = 'Use `[a](#a)` or [b](#b).\n\n```md\n[c](#c)\n```\n\n~~~\n[d](#d)\n~~~\n\n``x `[e](#e)` y`` [f](#f)';
    expect(resolveSourceLinks(text, page)).toBe(
      'Use `[a](#a)` or [b](/guides/deployment/#b).\n\n```md\n[c](#c)\n```\n\n~~~\n[d](#d)\n~~~\n\n``x `[e](#e)` y`` [f](/guides/deployment/#f)',
    );
    // A stray backtick does not hide the links of the paragraphs after it.
    expect(resolveSourceLinks('A ` alone.\n\nSee [g](#g).', page)).toBe('A ` alone.\n\nSee [g](/guides/deployment/#g).');
  });

  it('reduces reference links, whose definitions ingest drops, to their text, not indexes or citations', () => {
    expect(resolveSourceLinks('Read [the spec][1] and [the FAQ][] first [2].', page)).toBe('Read the spec and the FAQ first [2].');
    expect(resolveSourceLinks('Index with matrix[i][j] or [a](#b)[c].', page)).toBe('Index with matrix[i][j] or [a](/guides/deployment/#b)[c].');
  });
});
