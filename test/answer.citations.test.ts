import { describe, expect, it } from 'vitest';
import { checkCitations, createCitationFilter, stripCitations } from '../server/answer/citations';

/** Feeds `text` to a filter in pieces of `size` characters. */
function streamed(text: string, sources: number, size: number) {
  const filter = createCitationFilter(sources);
  let out = '';
  for (let i = 0; i < text.length; i += size) out += filter.push(text.slice(i, i + size));
  out += filter.flush();
  return { text: out, ...filter.result() };
}

describe('createCitationFilter()', () => {
  it('keeps citations that match a source and records them as valid', () => {
    expect(checkCitations('Use setCookie [1]. Or deleteCookie [2].', 2)).toEqual({
      text: 'Use setCookie [1]. Or deleteCookie [2].',
      valid: [1, 2],
      invalid: [],
    });
  });

  it('removes numbers that match no source, records them as invalid, and tidies the space before punctuation', () => {
    expect(checkCitations('Use setCookie [3]. Also [0] and [12] here [1].', 2)).toEqual({
      text: 'Use setCookie. Also and here [1].',
      valid: [1],
      invalid: [0, 3, 12],
    });
  });

  it('splits groups and footnote style into [n] and drops the invalid members', () => {
    expect(checkCitations('See [1, 4] and [^2] and [2;3].', 3)).toEqual({ text: 'See [1] and [2] and [2][3].', valid: [1, 2, 3], invalid: [4] });
  });

  it('leaves code alone: inline spans and fenced blocks', () => {
    const text = 'Index with `items[0]` [1].\n\n```ts\nconst a = arr[5];\n```\nDone [2].';
    expect(checkCitations(text, 1)).toEqual({ text: 'Index with `items[0]` [1].\n\n```ts\nconst a = arr[5];\n```\nDone.', valid: [1], invalid: [2] });
  });

  it('leaves markdown links and ordinary brackets alone', () => {
    const text = 'A [link](https://x.dev) and [1](https://y.dev) and [not a citation] and [x1].';
    expect(checkCitations(text, 0).text).toBe(text);
  });

  it.each([1, 2, 3, 7])('gives the same result however the text is split (pieces of %i)', (size) => {
    const text = 'First [1]. Bad [9]. Group [1, 2]. Code `a[3]` and\n```\nb[4]\n```\nend [^2].';
    expect(streamed(text, size === 7 ? 2 : 2, size)).toEqual(checkCitations(text, 2));
    expect(streamed(text, 2, size).text).toBe('First [1]. Bad. Group [1][2]. Code `a[3]` and\n```\nb[4]\n```\nend [2].');
  });

  it('waits for the rest of the line after [n]: only where a definition could start', () => {
    const filter = createCitationFilter(2);
    expect(filter.push('Options [1]: PORT, ')).toBe('Options [1]: PORT,');
    expect(filter.push('HOST')).toBe(' HOST');
    expect(filter.push('\n\n[2]: https://x')).toBe('\n\n');
    expect(filter.push('.example/\nEnd.')).toBe('\nEnd.');
  });

  it('holds back only a possible citation, so the stream stays live', () => {
    const filter = createCitationFilter(2);
    expect(filter.push('Hello wor')).toBe('Hello wor');
    expect(filter.push('ld [')).toBe('ld');
    expect(filter.push('1')).toBe('');
    expect(filter.push('] next')).toBe(' [1] next');
    expect(filter.flush()).toBe('');
    expect(filter.text()).toBe('Hello world [1] next');
  });
  it('removes a reference definition whose label is a citation, so [n] stays a citation to its source', () => {
    const text = 'Set PORT [1].\n\n[1]: https://evil.example.com/phish\n[^2]: https://x.example/ "t"\n';
    expect(checkCitations(text, 2)).toEqual({ text: 'Set PORT [1].\n\n\n\n', valid: [1], invalid: [] });
    expect(checkCitations('> Quoted [1].\n>\n> [1]: /elsewhere/\n\nDone.', 1).text).toBe('> Quoted [1].\n>\n>\n\nDone.');
    expect(checkCitations('Text [1].\n\n   [1]: <https://x.example/>', 1).text).toBe('Text [1].\n\n');
  });

  it('keeps a line that only looks like a definition (it cannot be one) as a citation', () => {
    // Inside a paragraph, a `[1]:` line continues it; with words after it, it has no URL.
    expect(checkCitations('Set PORT.\n[1]: https://x.example/', 1).text).toBe('Set PORT.\n[1]: https://x.example/');
    expect(checkCitations('[1]: set PORT first.', 1)).toEqual({ text: '[1]: set PORT first.', valid: [1], invalid: [] });
  });

  it.each([
    ['a fence inside a numbered step', '1. Install:\n\n    ```js\n    const v = arr[8];\n    const w = arr[2];\n    ```\n\nDone [1].'],
    ['a fence in a nested list item', '- Step\n  - Sub step:\n\n      ```py\n      x = rows[7]\n      ```\n'],
    ['a fence in a blockquote', '> ```js\n> a[9]\n> ```\n\nSee [1].'],
    ['an indented code block', 'Run:\n\n    const y = list[7];\n    z[2] = 1\n\nThen [1].'],
    ['a tilde fence with backticks inside', '~~~\nconst s = `a${b[2]}`;\n~~~\nAnd [1].'],
  ])('leaves code alone in %s, and records no citation from it', (_, text) => {
    const result = checkCitations(text, 2);
    expect(result.text).toBe(text);
    expect(result.invalid).toEqual([]);
    expect(result.valid).toEqual(text.includes('[1].') ? [1] : []);
  });

  it('still checks citations in list items and blockquotes that hold no code', () => {
    expect(checkCitations('1. Set PORT [1].\n2. Restart [9].\n\n> Quote [2].', 2)).toEqual({
      text: '1. Set PORT [1].\n2. Restart.\n\n> Quote [2].',
      valid: [1, 2],
      invalid: [9],
    });
  });

  it('keeps a source cited again right after itself once', () => {
    expect(checkCitations('Set PORT [1][1]. Restart [2] [2] now. Both [1][2][1].', 2)).toEqual({
      text: 'Set PORT [1]. Restart [2] now. Both [1][2].',
      valid: [1, 2],
      invalid: [],
    });
    // Not adjacent: each stays.
    expect(checkCitations('PORT [1], then HOST [1].', 1).text).toBe('PORT [1], then HOST [1].');
  });

  it('turns a range of sources into one citation each, and leaves a range with a number that is no source as text', () => {
    expect(checkCitations('All of them [1-3]. Or [2–3].', 3)).toEqual({ text: 'All of them [1][2][3]. Or [2][3].', valid: [1, 2, 3], invalid: [] });
    expect(checkCitations('Digits match [0-9]; also [2-7].', 3)).toEqual({ text: 'Digits match [0-9]; also [2-7].', valid: [], invalid: [] });
  });

  it.each([1, 2, 5])('decides code, definitions and ranges the same however the text is split (pieces of %i)', (size) => {
    const text = '1. Step [1]:\n\n   ```js\n   a[2]\n   ```\n2. Next [1-2] [2].\n\n[2]: https://x.example/\n';
    expect(streamed(text, 2, size)).toEqual(checkCitations(text, 2));
    expect(checkCitations(text, 2).text).toBe('1. Step [1]:\n\n   ```js\n   a[2]\n   ```\n2. Next [1][2].\n\n\n');
  });
});

describe('reference-style links on a citation', () => {
  it('shows the link text and cites the source: [the guide][1] reads "the guide [1]", with or without its definition', () => {
    expect(checkCitations('See [the guide][1] for details.', 2)).toEqual({ text: 'See the guide [1] for details.', valid: [1], invalid: [] });
    expect(checkCitations('See [the guide][2].\n\n[2]: https://x.example/\n', 2).text).toBe('See the guide [2].\n\n\n');
    expect(checkCitations('Both [PORT][1-2] and [HOST][^1].', 2).text).toBe('Both PORT [1][2] and HOST [1].');
  });

  it('keeps the text and drops a citation that is no source', () => {
    expect(checkCitations('See [the guide][7].', 2)).toEqual({ text: 'See the guide.', valid: [], invalid: [7] });
  });

  it('leaves images, escaped brackets, ordinary links, other labels and code as written', () => {
    for (const text of ['![diagram][1]', '\\[not a link][1]', '[a link](https://x.dev) [1]', '[text][label]', '[text] [1]', '`[x][1]`', 'Code:\n\n    [x][1]']) {
      expect(checkCitations(text, 2).text, text).toBe(text);
    }
  });

  it.each([1, 2, 3, 5])('gives the same result however the text is split (pieces of %i)', (size) => {
    const text = 'See [the guide][1], [old page][9] and [both][1-2]; [not a link] and [link](https://x.dev)[2].\n\n    arr[x][1]\n';
    expect(streamed(text, 2, size)).toEqual(checkCitations(text, 2));
    expect(checkCitations(text, 2).text).toBe('See the guide [1], old page and both [1][2]; [not a link] and [link](https://x.dev)[2].\n\n    arr[x][1]\n');
  });
});

describe('stripCitations()', () => {
  it('removes every citation outside code, and leaves code as written', () => {
    const text = 'Turn it on [2]:\n\n```sh\nLANGSMITH_TRACING=true # see [2]\nitems[0]\n```\n\nUse `a[1]` [1].';
    expect(stripCitations(text)).toBe('Turn it on:\n\n```sh\nLANGSMITH_TRACING=true # see [2]\nitems[0]\n```\n\nUse `a[1]`.');
  });
});
