import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../ingest/chunk';
import { cutToTokens, embeddingInputs } from '../ingest/embed-input';
import { countEncoded, createLocalEmbeddingProvider, encodedTokenFloor, loadLocalTokenizer } from '../server/embed/local';

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

/** A run of `n` characters from `alphabet`, the same for the same arguments. */
function run(alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(random() * alphabet.length)];
  return s;
}

describe('encodedTokenFloor()', () => {
  // What countTokens() reads line by line, and what NFKC changes (ligatures, full-width, composed marks).
  const PIECES = ['x', 'ACGT', 'aGVsbG8gd29ybGQ=', 'extra_token_id_1', '</s>', 'the', '0123', '=>', ' ', '\n', '\t', 'e\u0301', '\u0301', 'ﬁ', 'ＡＢＣ', '①', '\ufffd', '\u2581', '日本語', '😀', '\ud83d', '가', '\u1100\u1161'];
  const provider = createLocalEmbeddingProvider();

  it('is never more than countTokens() finds, in any slice of varied text', () => {
    for (let t = 0; t < 200; t++) {
      let text = '';
      while (text.length < 400) text += random() < 0.5 ? run('xyzabcACGT', 1 + Math.floor(random() * 60)) : pick(PIECES);
      const atLeast = provider.tokenFloor!(text);
      for (let k = 0; k < 20; k++) {
        const from = Math.floor(random() * text.length);
        const to = from + Math.floor(random() * (text.length - from + 1));
        expect(atLeast(from, to), JSON.stringify(text.slice(from, to))).toBeLessThanOrEqual(provider.countTokens!(text.slice(from, to)));
      }
    }
  });

  it('is close to the count on a long run of letters (so long parts need no counting)', () => {
    const letters = 'x'.repeat(3000);
    expect(provider.countTokens!(letters)).toBe(3000);
    expect(encodedTokenFloor(tokenizer, letters)(0, 3000)).toBeGreaterThan(2900);
    const dna = run('ACGT', 3000);
    expect(encodedTokenFloor(tokenizer, dna)(0, 3000)).toBeGreaterThan(provider.countTokens!(dna) / 4);
  });

  it('assumes nothing of text that NFKC or the line start may change', () => {
    expect(encodedTokenFloor(tokenizer, 'ﬁ'.repeat(100))(0, 100)).toBe(0);
    expect(encodedTokenFloor(tokenizer, 'x\n'.repeat(100))(0, 200)).toBe(0);
  });
});

describe('cutToTokens() with a floor', () => {
  const floorOf = (word: string) => encodedTokenFloor(tokenizer, word);
  const words = [
    'x'.repeat(130),
    'x'.repeat(700),
    run('ACGT', 600),
    run('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 500),
    `${'y'.repeat(300)}ﬁ${'z'.repeat(200)}\u0301${'w'.repeat(150)}`,
    `${'q'.repeat(200)}😀${'r'.repeat(200)}日本語${'s'.repeat(150)}`,
  ];
  const texts = [...Array.from({ length: 8 }, () => randomLine(20 + Math.floor(random() * 200))), ...words, ...words.map((w) => `lead words ${w} trailing words ${w.slice(0, 200)} end`)];

  it('cuts exactly where counting every candidate part cuts (USE-Lite tokenizer)', () => {
    for (const text of texts) {
      for (const budget of [3, 60, 123]) {
        expect(cutToTokens(text, budget, countLinear, floorOf), `${budget}: ${text.slice(0, 60)}`).toEqual(cutToTokensByScan(text, budget, countLinear));
      }
    }
  });

  it('counts about as much as the word to cut a 200 kB word, not the rest of it for every part', () => {
    const word = 'x'.repeat(200_000);
    let counted = 0;
    // One token per letter, as USE-Lite reads this word; the floor is exact here.
    const embedder = {
      maxInputTokens: 128,
      countTokens: (s: string) => ((counted += s.length), s.split('\n').reduce((n, line) => n + line.trim().length, 0)),
      tokenFloor: () => (from: number, to: number) => to - from,
    };
    const inputs = embeddingInputs({ headings: ['Page', 'Data'], text: word }, embedder);
    expect(inputs.map((input) => input.slice('Page > Data\n'.length)).join('')).toBe(word);
    for (const input of inputs) expect(embedder.countTokens(input)).toBeLessThanOrEqual(124);
    // Halving the rest of the word for every part counted ~1,700 parts × 400 kB.
    expect(counted).toBeLessThan(20 * word.length);
  });

  it("takes the local embedder's floor: the same inputs, counting a few times the word", () => {
    const provider = createLocalEmbeddingProvider();
    let counted = 0;
    const counting = { ...provider, countTokens: (s: string) => ((counted += s.length), provider.countTokens!(s)) };
    const chunk = { headings: ['Page', 'Sequence'], text: `Reads:\n\n${run('ACGT', 3000)}${'x'.repeat(3000)}` };
    const inputs = embeddingInputs(chunk, counting);
    expect(counted).toBeLessThan(12 * chunk.text.length);
    const { tokenFloor: _unused, ...withoutFloor } = provider;
    expect(inputs).toEqual(embeddingInputs(chunk, withoutFloor));
  });
});
