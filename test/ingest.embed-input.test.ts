import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../ingest/chunk';
import { cutToTokens } from '../ingest/embed-input';
import { countEncoded, loadLocalTokenizer } from '../server/embed/local';

/** cutToTokens before it searched for cut points: counts the growing part after every word. The oracle. */
function cutToTokensByScan(text: string, budget: number, count: (s: string) => number): string[] {
  const parts: string[] = [];
  let current = '';
  for (const word of text.split(/(?<=\s)/)) {
    if (current !== '' && count(current + word) > budget) {
      parts.push(current.trim());
      current = '';
    }
    if (count(word) > budget) {
      let rest = word;
      while (rest !== '') {
        let take = rest.length;
        while (take > 1 && count(rest.slice(0, take)) > budget) take = Math.floor(take / 2);
        parts.push(rest.slice(0, take));
        rest = rest.slice(take);
      }
      continue;
    }
    current += word;
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts;
}

const tokenizer = loadLocalTokenizer();
/** The local embedder's countTokens, with the library's own (quadratic) encode. */
const countByEncode = (s: string) => s.split('\n').reduce((n, line) => n + (line.trim() === '' ? 0 : tokenizer.encode(line).length), 0);
const countLinear = (s: string) => s.split('\n').reduce((n, line) => n + (line.trim() === '' ? 0 : countEncoded(tokenizer, line)), 0);

let seed = 11;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
const VOCAB = ['the', 'route', 'handler', 'reads', 'a', 'parameter,', 'middleware.', 'c.req.param(\'id\')', '{ ok: true }', '=>', '12:30', ':00', 'naïve', 'ﬁnal', 'Straße', 'https://example.com/docs?page=2#top'];
const CJK = '日本語の文章です。中文字符串没有空格한국어문장';
const SPACES = [' ', ' ', ' ', '  ', '\t', '\u00a0', '\u3000', ' \t '];
function randomLine(words: number): string {
  let s = '';
  for (let i = 0; i < words; i++) {
    const r = random();
    const word = r < 0.1 ? CJK.slice(Math.floor(random() * 10), 10 + Math.floor(random() * 20)) : r < 0.12 ? 'x'.repeat(50 + Math.floor(random() * 400)) : pick(VOCAB);
    s += word + (i < words - 1 ? pick(SPACES) : '');
  }
  return s;
}

describe('cutToTokens()', () => {
  const inputs = [
    '',
    'one',
    'short line of prose.',
    '  leading and trailing spaces  ',
    CJK.repeat(8),
    'const app = new Hono(); app.get("/user/:id", (c) => c.json({ id: c.req.param("id") })); '.repeat(12),
    '!!! ??? ... --- *** ### '.repeat(20),
    'word '.repeat(300),
    'x'.repeat(800),
    ...Array.from({ length: 25 }, () => randomLine(20 + Math.floor(random() * 300))),
  ];

  // The oracle counts with countEncoded too (equal to encode(), tested below): encode() makes it minutes.
  it('cuts exactly where counting after every word cuts (USE-Lite tokenizer)', () => {
    for (const text of inputs) {
      for (const budget of [3, 60, 123]) {
        expect(cutToTokens(text, budget, countLinear), `${budget}: ${text.slice(0, 60)}`).toEqual(cutToTokensByScan(text, budget, countLinear));
      }
    }
  });

  it('cuts exactly where counting after every word cuts (estimated tokens)', () => {
    for (const text of inputs) {
      for (const budget of [1, 7, 60, 123]) {
        expect(cutToTokens(text, budget, estimateTokens)).toEqual(cutToTokensByScan(text, budget, estimateTokens));
      }
    }
  });

  it('cuts exactly at the limit: a part with exactly `budget` tokens stays whole', () => {
    const text = randomLine(200).replace(/x{50,}/g, 'long');
    const words = text.split(/(?<=\s)/);
    for (const k of [1, 2, 17, 40, 41, 99]) {
      const budget = countLinear(words.slice(0, k).join(''));
      const parts = cutToTokens(text, budget, countLinear);
      expect(parts).toEqual(cutToTokensByScan(text, budget, countByEncode));
      for (const budgetNear of [budget - 1, budget + 1]) {
        expect(cutToTokens(text, budgetNear, countLinear)).toEqual(cutToTokensByScan(text, budgetNear, countByEncode));
      }
    }
  });

  it('counts a few times the text of a 1 MB one-line paragraph, not the growing part after every word (~60 times)', () => {
    const paragraph = Array.from({ length: 180_000 }, (_, i) => ['the', 'route', 'handler', 'reads', 'a', 'parameter'][i % 6]).join(' ');
    expect(paragraph.length).toBeGreaterThan(1_000_000);
    let counted = 0;
    let multiWordCalls = 0;
    const count = (s: string) => {
      counted += s.length;
      if (/\S\s+\S/.test(s)) multiWordCalls++;
      return estimateTokens(s);
    };
    const parts = cutToTokens(paragraph, 123, count);
    expect(parts.join(' ')).toBe(paragraph);
    expect(parts.length).toBe(Math.ceil(180_000 / 123));
    // Counting after every word: one multi-word count per word, ~60 MB counted. Searching: ~14 per part.
    expect(multiWordCalls).toBeLessThan(20 * parts.length);
    expect(counted).toBeLessThan(15 * paragraph.length);
  });
});

describe('countEncoded()', () => {
  it('counts what the tokenizer encode() returns', () => {
    const pool = [...'abcxyz ABC 0189 .,;:!?()[]{}<>/\\\'"`@#$%&*-_=+|\t\u00a0\u3000\u2028\ufeff日本語。中文한국어 éñß\u0301\u0308ﬁﬃ㍿\ufdfa😀👍🏽①²'];
    for (let r = 0; r < 3000; r++) {
      let s = '';
      const length = Math.floor(random() * 60);
      for (let i = 0; i < length; i++) s += random() < 0.3 ? `${pick(VOCAB)} ` : pick(pool);
      expect(countEncoded(tokenizer, s), JSON.stringify(s)).toBe(tokenizer.encode(s).length);
    }
  });
});
