import { describe, expect, it } from 'vitest';
import { checkCitations, createCitationFilter } from '../server/answer/citations';

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

  it('holds back only a possible citation, so the stream stays live', () => {
    const filter = createCitationFilter(2);
    expect(filter.push('Hello wor')).toBe('Hello wor');
    expect(filter.push('ld [')).toBe('ld');
    expect(filter.push('1')).toBe('');
    expect(filter.push('] next')).toBe(' [1] next');
    expect(filter.flush()).toBe('');
    expect(filter.text()).toBe('Hello world [1] next');
  });
});
