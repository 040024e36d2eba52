import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkSections, cutLongWord, DEFAULT_CHUNK_OPTIONS, estimateTokens } from '../ingest/chunk';
import { combineWindowVectors, embeddingInputs, plainText } from '../ingest/embed-input';
import { parseDocument, type Section } from '../ingest/parse';

const FIXTURES = new URL('./fixtures/docs/', import.meta.url).pathname;
const fixture = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');
const chunksOf = (path: string, maxTokens?: number) =>
  chunkSections(parseDocument(fixture(path), path).sections, maxTokens ? { maxTokens } : {});

const section = (blocks: Section['blocks'], headings = ['Page', 'Part']): Section => ({ headings, anchor: 'part', line: 1, blocks });
const prose = (text: string) => ({ kind: 'prose' as const, text, line: 1 });
const words = (n: number, word = 'word') => Array.from({ length: n }, (_, i) => `${word}${String.fromCharCode(97 + (i % 26))}`).join(' ');

describe('chunkSections()', () => {
  it('gives one chunk per section that fits, with breadcrumb and anchor (Hono basic-auth page)', () => {
    const chunks = chunksOf('hono/middleware/basic-auth.md');
    expect(chunks.map((c) => [c.ordinal, c.heading, c.anchor])).toEqual([
      [0, 'Basic Auth Middleware', ''],
      [1, 'Basic Auth Middleware > Import', 'import'],
      [2, 'Basic Auth Middleware > Usage', 'usage'],
      [3, 'Basic Auth Middleware > Options > username: string', 'username-string'],
      [4, 'Basic Auth Middleware > Options > password: string', 'password-string'],
      [5, 'Basic Auth Middleware > Options > realm: string', 'realm-string'],
      [6, 'Basic Auth Middleware > Options > hashFunction: Function', 'hashfunction-function'],
      [
        7,
        'Basic Auth Middleware > Options > verifyUser: (username: string, password: string, c: Context) => boolean | Promise<boolean>',
        'verifyuser-username-string-password-string-c-context--boolean--promiseboolean',
      ],
      [8, 'Basic Auth Middleware > Options > invalidUserMessage: string | object | MessageFunction', 'invalidusermessage-string--object--messagefunction'],
      [9, 'Basic Auth Middleware > Options > onAuthSuccess: (c: Context, username: string) => void | Promise<void>', 'onauthsuccess-c-context-username-string--void--promisevoid'],
      [10, 'Basic Auth Middleware > Recipes > Defining Multiple Users', 'defining-multiple-users'],
    ]);
    expect(chunks[1]!.text).toBe("```ts\nimport { Hono } from 'hono'\nimport { basicAuth } from 'hono/basic-auth'\n```");
    expect(chunks[5]!.text).toBe(
      'The domain name of the realm, as part of the returned WWW-Authenticate challenge header. The default is `"Secure Area"`.\n' +
        'See more: https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/WWW-Authenticate#directives',
    );
  });

  it('splits an oversized section between blocks and inside a code fence only when the fence alone is too big (Hono streaming page, 120 tokens)', () => {
    const chunks = chunksOf('hono/streaming.md', 120);
    const errorHandling = chunks.filter((c) => c.anchor === 'error-handling');
    expect(errorHandling.map((c) => c.text.split('\n')[0])).toEqual([
      'The third argument of the streaming helper is an error handler.',
      '```ts',
      'If the callback function of the streaming helper throws an error, the `onError` event of Hono will not be triggered.',
    ]);
    // The fence was cut at a line end and both pieces are complete fences with the language.
    expect(errorHandling[0]!.text).toMatch(/\n```ts\n[\s\S]*\n```$/);
    expect(errorHandling[1]!.text).toMatch(/^```ts\n[\s\S]*\n```\n\nThe stream will be automatically closed/);
    expect(chunks.map((c) => c.ordinal)).toEqual(chunks.map((_, i) => i));
    for (const c of chunks) expect(c.tokenCount).toBeLessThanOrEqual(120);
  });

  it('never puts two sections in one chunk, however small', () => {
    const chunks = chunkSections([section([prose('One.')], ['Page', 'A']), section([prose('Two.')], ['Page', 'B'])]);
    expect(chunks.map((c) => [c.heading, c.text])).toEqual([
      ['Page > A', 'One.'],
      ['Page > B', 'Two.'],
    ]);
  });

  it('splits oversized prose at blank lines first, then at line ends', () => {
    const paragraphs = [words(30, 'alpha'), words(30, 'beta'), words(30, 'gamma')];
    const chunks = chunkSections([section([prose(paragraphs.join('\n\n'))])], { maxTokens: 40, minTokens: 5 });
    expect(chunks.map((c) => c.text)).toEqual(paragraphs);

    const lines = [words(15, 'one'), words(15, 'two'), words(15, 'three'), words(15, 'four')];
    const byLine = chunkSections([section([prose(lines.join('\n'))])], { maxTokens: 40, minTokens: 5 });
    expect(byLine.map((c) => c.text)).toEqual([lines.slice(0, 2).join('\n'), lines.slice(2).join('\n')]);
  });

  it('splits an oversized list between its items, a long item after a sentence, and keeps a tight list tight', () => {
    // Items wrapped over two lines, as docs are written: a cut at a line end would split a description.
    const item = (name: string) => `- \`${name}\`: ${words(8, name)}\n  ${words(8, name)}.`;
    const list = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'].map(item);
    const chunks = chunkSections([section([prose(list.join('\n'))])], { maxTokens: 70, minTokens: 5 });
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((c) => c.text).join('\n')).toBe(list.join('\n'));
    for (const c of chunks) expect(c.text.split('\n').length % 2, c.text).toBe(0); // whole items only

    const sentences = [`- ${words(20, 'one')}`, `  ${words(10, 'one')}.`, `  ${words(20, 'two')}`, `  ${words(10, 'two')}.`, `  ${words(20, 'three')}`, `  ${words(10, 'three')}.`];
    const long = chunkSections([section([prose(sentences.join('\n'))])], { maxTokens: 40, minTokens: 5 });
    expect(long.map((c) => c.text)).toEqual([sentences.slice(0, 2).join('\n'), sentences.slice(2, 4).join('\n'), sentences.slice(4).join('\n')]);
  });

  it('splits an oversized fence at line ends and re-fences each piece with its language', () => {
    const body = Array.from({ length: 40 }, (_, i) => `const value${i} = compute(${i})`);
    const code = { kind: 'code' as const, text: `\`\`\`ts title="x.ts"\n${body.join('\n')}\n\`\`\``, line: 1, fence: { open: '```ts title="x.ts"', close: '```' } };
    const chunks = chunkSections([section([code])], { maxTokens: 100, minTokens: 10 });
    expect(chunks.length).toBeGreaterThan(1);
    const recovered: string[] = [];
    for (const c of chunks) {
      expect(c.tokenCount).toBeLessThanOrEqual(100);
      const lines = c.text.split('\n');
      expect(lines[0]).toBe('```ts title="x.ts"');
      expect(lines.at(-1)).toBe('```');
      recovered.push(...lines.slice(1, -1));
    }
    expect(recovered).toEqual(body);
  });

  it('keeps a table whole when it fits and repeats its header rows when it must be split', () => {
    const rows = Array.from({ length: 16 }, (_, i) => `| OPTION_${i} | default ${i} | what option ${i} does |`);
    const table = ['| Option | Default | Description |', '|---|---|---|', ...rows].join('\n');
    expect(chunkSections([section([{ kind: 'table', text: table, line: 1 }])])).toHaveLength(1);

    const chunks = chunkSections([section([{ kind: 'table', text: table, line: 1 }])], { maxTokens: 80, minTokens: 10 });
    expect(chunks.length).toBeGreaterThan(1);
    const body: string[] = [];
    for (const c of chunks) {
      const lines = c.text.split('\n');
      expect(lines.slice(0, 2)).toEqual(['| Option | Default | Description |', '|---|---|---|']);
      body.push(...lines.slice(2));
    }
    expect(body).toEqual(rows);
  });

  it('balances a split section and merges a tiny remainder into the previous chunk of the same section', () => {
    const chunks = chunkSections([section([prose(words(60, 'a')), prose(words(60, 'b')), prose('Short tail.')])], {
      maxTokens: 130,
      minTokens: 20,
    });
    expect(chunks).toHaveLength(1);
    // Four pieces of 60 in chunks of at most 200: two of 120 each, not 180 and 60.
    const pieces = ['a', 'b', 'c', 'd'].map((w) => prose(words(60, w)));
    const balanced = chunkSections([section(pieces)], { maxTokens: 200, minTokens: 20 });
    expect(balanced.map((c) => c.tokenCount)).toEqual([120, 120]);
  });

  it('never exceeds maxTokens and loses no text on real pages', () => {
    for (const path of ['hono/routing.md', 'hono/index.md', 'hono/streaming.md', 'guides/components.mdx']) {
      for (const maxTokens of [60, DEFAULT_CHUNK_OPTIONS.maxTokens]) {
        const doc = parseDocument(fixture(path), path);
        const chunks = chunkSections(doc.sections, { maxTokens, minTokens: 10 });
        for (const c of chunks) expect(c.tokenCount, `${path} #${c.ordinal}`).toBeLessThanOrEqual(maxTokens);
        // Fence lines are repeated when a fence is split, table headers when a table is: compare the rest.
        // (A table row too long for the chunk is cut by characters, hence the delimiter-only pieces.)
        const body = (l: string) => l.trim() !== '' && !/^\s*(```|~~~|\|)/.test(l) && !/^[\s|:-]+$/.test(l);
        const sourceLines = doc.sections.flatMap((s) => s.blocks.flatMap((b) => b.text.split('\n')));
        const chunkLines = chunks.flatMap((c) => c.text.split('\n'));
        const squash = (lines: string[]) => lines.filter(body).join('').replace(/\s+/g, '');
        expect(squash(chunkLines)).toBe(squash(sourceLines));
        for (const row of sourceLines.filter((l) => l.startsWith('|') && estimateTokens(l) < maxTokens)) {
          expect(chunkLines).toContain(row);
        }
      }
    }
  });

  it('splits a list of 200,000 items (a generated page) without running out of stack, keeping every item', () => {
    const items = Array.from({ length: 200_000 }, (_, i) => `- item ${i}`);
    const section: Section = { headings: ['Index'], anchor: '', line: 1, blocks: [{ kind: 'prose', text: items.join('\n'), line: 3 }] };
    const chunks = chunkSections([section]);
    expect(chunks.length).toBeGreaterThan(1000);
    expect(chunks.map((c) => c.text).join('\n')).toBe(items.join('\n'));
  });

  it('rejects nonsensical sizes', () => {
    expect(() => chunkSections([], { maxTokens: 5 })).toThrow(/maxTokens/);
    expect(() => chunkSections([], { maxTokens: 100, minTokens: 100 })).toThrow(/minTokens/);
  });
});

/** cutLongWord before it counted tokens from one pass: estimates every candidate slice of the rest. The oracle. */
function cutLongWordBySlices(word: string, budget: number): string[] {
  const parts: string[] = [];
  let rest = word;
  while (rest !== '') {
    let take = rest.length;
    while (take > 1 && estimateTokens(rest.slice(0, take)) + 1 > budget) take = Math.floor(take / 2);
    parts.push(rest.slice(0, take));
    rest = rest.slice(take);
  }
  return parts;
}

describe('cutLongWord()', () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const PIECES = ['a', 'bc', 'Hono', '42', '7', '`', '```', '-', '.', 'é', 'naïve', '日本語', '\u00a0', ' ', '\t', '😀', '_x_'];
  const randomWord = (length: number) => {
    let word = '';
    while (word.length < length) word += PIECES[Math.floor(random() * PIECES.length)];
    return word;
  };
  const words = [
    'a-'.repeat(600),
    '`'.repeat(1500),
    Array.from({ length: 50 }, (_, i) => `${'`'.repeat(i + 1)}x`).join(''),
    'x'.repeat(2000) + '1'.repeat(2000) + '.'.repeat(500),
    'https://example.com/a/b?c=d&e=f#g'.repeat(40),
    ...Array.from({ length: 30 }, () => randomWord(200 + Math.floor(random() * 1200))),
  ];

  it('cuts exactly where estimating every slice of the rest cuts', () => {
    for (const word of words) {
      for (const budget of [3, 20, 349]) expect(cutLongWord(word, budget), `${budget}: ${word.slice(0, 40)}`).toEqual(cutLongWordBySlices(word, budget));
    }
  });

  it('copies a long word about once, not once for every part cut from it (an 80 kB line of backticks, minified code)', () => {
    const word = Array.from({ length: 400 }, (_, i) => `${'`'.repeat(i + 1)}x`).join(''); // 80,600 characters, no space
    const slice = String.prototype.slice;
    let copied = 0;
    String.prototype.slice = function (this: string, ...args: Parameters<string['slice']>) {
      const part = slice.apply(this, args);
      copied += part.length;
      return part;
    };
    let chunks: ReturnType<typeof chunkSections>;
    try {
      chunks = chunkSections([section([prose(word)])]);
    } finally {
      String.prototype.slice = slice;
    }
    expect(chunks.map((c) => c.text).join('')).toBe(word);
    // Cutting by slices of the rest copied 39 million characters here (twice as long a word, four times as many).
    expect(copied).toBeLessThan(4 * word.length);
  });
});

describe('estimateTokens()', () => {
  it('counts words, numbers and punctuation marks', () => {
    expect(estimateTokens('Hello world')).toBe(2);
    expect(estimateTokens("c.req.param('id')")).toBe(10);
    expect(estimateTokens('port 4321')).toBe(2);
  });
});

describe('embeddingInputs()', () => {
  const small = { maxInputTokens: 32, countTokens: estimateTokens };
  const chunk = { headings: ['Routing', 'Path Parameter'], text: [words(20, 'x'), '```ts', words(20, 'y'), '```', words(20, 'z')].join('\n') };

  it('windows: covers the whole text in windows that fit the model, each starting with the breadcrumb', () => {
    const inputs = embeddingInputs(chunk, small, 'windows');
    expect(inputs.length).toBeGreaterThan(2);
    for (const input of inputs) {
      expect(input.startsWith('Routing > Path Parameter\n')).toBe(true);
      expect(estimateTokens(input)).toBeLessThanOrEqual(32);
    }
    const body = inputs.map((i) => i.split('\n').slice(1).join(' ')).join(' ');
    expect(body.split(/\s+/)).toEqual(plainText(chunk.text).split(/\s+/));
  });

  it('prefix: one input, the breadcrumb and the start of the text', () => {
    const [only, ...rest] = embeddingInputs(chunk, small, 'prefix');
    expect(rest).toEqual([]);
    expect(only).toBe(embeddingInputs(chunk, small, 'windows')[0]);
  });

  it('gives a model with a large window one input with the whole text', () => {
    expect(embeddingInputs(chunk, { maxInputTokens: 8191 }, 'windows')).toEqual([`Routing > Path Parameter\n${plainText(chunk.text)}`]);
  });

  it('cuts an overlong breadcrumb to half the window', () => {
    const [input] = embeddingInputs({ headings: [words(40, 'h')], text: 'Body.' }, small, 'windows');
    expect(estimateTokens(input!.split('\n')[0]!)).toBeLessThanOrEqual(14);
    expect(input!.endsWith('\nBody.')).toBe(true);
  });
});

describe('plainText()', () => {
  it('drops fence lines, link targets, emphasis and table delimiters', () => {
    expect(plainText('See [the guide](/g/) and **bold** `code`.\n```ts\nconst a = 1\n```\n| a | b |\n|---|---|\n| 1 | 2 |')).toBe(
      'See the guide and bold code.\nconst a = 1\na | b\n1 | 2',
    );
  });
});

describe('combineWindowVectors()', () => {
  it('returns the unit-length mean of the windows', () => {
    const v = combineWindowVectors([
      [1, 0],
      [0, 1],
    ]);
    expect(v[0]).toBeCloseTo(Math.SQRT1_2);
    expect(v[1]).toBeCloseTo(Math.SQRT1_2);
    expect(combineWindowVectors([[0.6, 0.8]])).toEqual([0.6, 0.8]);
  });
});

// Guard: every fixture page parses (the sync tests rely on it).
it('all fixture pages parse', () => {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : /\.mdx?$/.test(n) ? [join(dir, n)] : []));
  for (const file of walk(FIXTURES)) expect(() => parseDocument(readFileSync(file, 'utf8'), file)).not.toThrow();
});
