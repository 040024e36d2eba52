import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkFileNaively } from '../eval/baselines/naive-chunks';
import { chunkContentFolder, runNaiveBaseline } from '../eval/baselines/naive';
import { createHashingEmbedder } from './helpers/embedder';

/** `n` sentences of made-up words, each sentence unique to `topic` (about 60 characters each). */
const prose = (topic: string, n: number) =>
  Array.from({ length: n }, (_, i) => `The ${topic} step number ${i} keeps ${topic}${i % 7} values steady.`).join(' ');

const FILES: Record<string, string> = {
  'guide.md': [
    '---',
    'title: Deploying Widgets',
    'description: How to ship widgets.',
    '---',
    '',
    'Widgets ship as small bundles. This page explains deployment.',
    '',
    '## Install',
    '',
    prose('install', 40),
    '',
    '```sh',
    '# not a heading: a shell comment',
    'npm install widgets',
    '```',
    '',
    '## Configure',
    '',
    '### Options',
    '',
    prose('options', 20),
    '',
    '## Troubleshooting',
    '',
    'When the flux capacitor overheats, lower the gigawatt setting in the turbine panel.',
  ].join('\n'),
  'api/reference.mdx': [
    "import { Callout } from '../components';",
    '',
    '# Reference API',
    '',
    'The reference lists every endpoint.',
    '',
    '## Endpoints',
    '',
    '<Callout>Endpoints accept JSON bodies.</Callout>',
    '',
    prose('endpoint', 10),
  ].join('\n'),
  'release-notes.md': 'Version two adds quantum entanglement support for teleporting parcels.\n',
  'broken.mdx': '---\ntitle: [never closed\n---\n\n# Broken page\n\nFrontmatter never closed: marmalade sandwich instructions.\n',
  '.hidden/secret.md': '# Hidden\n\nmarmalade sandwich instructions\n',
  'notes.txt': 'marmalade sandwich instructions',
};

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'docent-naive-'));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('chunkFileNaively()', () => {
  it('cuts raw text into chunks of at most 1,000 characters overlapping by at most 200, covering the file', async () => {
    const source = FILES['guide.md']!;
    const chunks = await chunkFileNaively('guide.md', source);
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(1000);
      expect(source.slice(c.offset, c.offset + c.text.length)).toBe(c.text);
    }
    // Raw text: the frontmatter is part of the first chunk, as a naive pipeline would embed it.
    expect(chunks[0]!.text.startsWith('---\ntitle: Deploying Widgets')).toBe(true);
    let overlapped = 0;
    for (let i = 1; i < chunks.length; i++) {
      const previousEnd = chunks[i - 1]!.offset + chunks[i - 1]!.text.length;
      expect(chunks[i]!.offset).toBeGreaterThan(chunks[i - 1]!.offset);
      // No gap with text in it, and never more than 200 characters shared.
      expect(source.slice(previousEnd, chunks[i]!.offset).trim()).toBe('');
      expect(previousEnd - chunks[i]!.offset).toBeLessThanOrEqual(200);
      if (previousEnd > chunks[i]!.offset) overlapped++;
    }
    // The 40-sentence paragraph is cut inside, so its pieces share text.
    expect(overlapped).toBeGreaterThan(0);
    const last = chunks[chunks.length - 1]!;
    expect(last.offset + last.text.length).toBe(source.trimEnd().length);
  });

  it('honours a smaller chunk size and overlap', async () => {
    const source = prose('tiny', 30);
    const chunks = await chunkFileNaively('tiny.md', source, { chunkSize: 200, chunkOverlap: 50 });
    expect(chunks.length).toBeGreaterThanOrEqual(source.length / 200);
    for (let i = 1; i < chunks.length; i++) {
      const overlap = chunks[i - 1]!.offset + chunks[i - 1]!.text.length - chunks[i]!.offset;
      expect(overlap).toBeGreaterThan(0);
      expect(overlap).toBeLessThanOrEqual(50);
    }
  });

  it('gives each chunk the breadcrumb in force at its first line', async () => {
    const para = (topic: string, n = 5) => `Paragraph about ${topic}: ${'lorem ipsum dolor sit amet '.repeat(n).trim()}.`;
    const source = [
      '---',
      'title: Deploying Widgets',
      '---',
      '',
      para('intro'),
      '',
      '## Install',
      '',
      para('install one'),
      '',
      '```sh',
      '# not a heading: a shell comment',
      'npm install widgets',
      '```',
      '',
      para('install two', 6),
      '',
      '## Configure',
      '',
      '### Options',
      '',
      para('options'),
      '',
      '## Troubleshooting',
      '',
      para('trouble'),
    ].join('\n');
    const chunks = await chunkFileNaively('guide.md', source, { chunkSize: 200, chunkOverlap: 0 });
    expect(chunks.map((c) => [c.line, c.text.split('\n', 1)[0]!.slice(0, 25), c.headings.join(' > ')])).toEqual([
      [1, '---', 'Deploying Widgets'],
      [7, '## Install', 'Deploying Widgets > Install'],
      // The shell comment inside the code fence is not a heading.
      [11, '```sh', 'Deploying Widgets > Install'],
      [16, 'Paragraph about install t', 'Deploying Widgets > Install'],
      // "## Configure" has no content of its own: a chunk starting there belongs to Options.
      [18, '## Configure', 'Deploying Widgets > Configure > Options'],
      [24, '## Troubleshooting', 'Deploying Widgets > Troubleshooting'],
    ]);
    // CRLF files give the same lines and breadcrumbs.
    const crlf = await chunkFileNaively('guide.md', source.replace(/\n/g, '\r\n'), { chunkSize: 200, chunkOverlap: 0 });
    expect(crlf.map((c) => [c.line, c.headings])).toEqual(chunks.map((c) => [c.line, c.headings]));
  });

  it('takes the page title from the first h1, else the file name, also for a file that does not parse', async () => {
    const [mdx] = await chunkFileNaively('api/reference.mdx', FILES['api/reference.mdx']!);
    expect(mdx!.headings).toEqual(['Reference API']);
    expect(mdx!.text.startsWith("import { Callout }")).toBe(true);
    const [plain] = await chunkFileNaively('release-notes.md', FILES['release-notes.md']!);
    expect(plain!.headings).toEqual(['Release notes']);
    const [broken] = await chunkFileNaively('broken.mdx', FILES['broken.mdx']!);
    expect(broken!.headings).toEqual(['Broken']);
    expect(broken!.text).toContain('marmalade');
  });
});

describe('chunkContentFolder()', () => {
  it('reads only .md and .mdx files, skipping hidden folders, in path order', async () => {
    const chunks = await chunkContentFolder(dir);
    expect([...new Set(chunks.map((c) => c.path))]).toEqual(['api/reference.mdx', 'broken.mdx', 'guide.md', 'release-notes.md']);
  });
});

describe('runNaiveBaseline()', () => {
  it('embeds every chunk once and ranks chunks by cosine similarity to each question', async () => {
    const embedder = createHashingEmbedder();
    const chunks = await chunkContentFolder(dir);
    const results = await runNaiveBaseline({
      contentDir: dir,
      embedder,
      questions: [
        { id: 'flux', question: 'flux capacitor overheats gigawatt turbine' },
        { id: 'teleport', question: 'quantum entanglement teleporting parcels' },
        { id: 'marmalade', question: 'marmalade sandwich instructions' },
      ],
    });
    expect(embedder.calls).toBe(chunks.length);
    expect(results.map((r) => r.id)).toEqual(['flux', 'teleport', 'marmalade']);

    const [flux, teleport, marmalade] = results;
    expect(flux!.results[0]!.text).toContain('gigawatt');
    expect(flux!.results[0]!.path).toBe('guide.md');
    expect(flux!.results[0]!.headings.slice(0, 1)).toEqual(['Deploying Widgets']);
    expect(teleport!.results[0]).toMatchObject({ path: 'release-notes.md', headings: ['Release notes'] });
    // Only the broken page has these words among the indexed files (hidden and .txt files are not read).
    expect(marmalade!.results[0]!.path).toBe('broken.mdx');
    expect(marmalade!.results.filter((r) => r.text.includes('marmalade'))).toHaveLength(1);

    for (const r of results) {
      const scores = r.results.map((x) => x.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(scores[0]!).toBeGreaterThan(scores[scores.length - 1]!);
      expect(scores[0]!).toBeLessThanOrEqual(1);
      expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    }
    // The score is the cosine similarity: a question identical to a chunk scores 1.
    const [self] = await runNaiveBaseline({ contentDir: dir, embedder, questions: [{ id: 's', question: chunks[1]!.text }], k: 1 });
    expect(self!.results[0]).toMatchObject({ text: chunks[1]!.text, score: 1 });
  });

  it('returns k results (default 10, fewer when the corpus is smaller) and rejects a bad k', async () => {
    const embedder = createHashingEmbedder();
    const total = (await chunkContentFolder(dir)).length;
    const questions = [{ id: 'q', question: 'widgets' }];
    const [byDefault] = await runNaiveBaseline({ contentDir: dir, embedder, questions });
    expect(byDefault!.results).toHaveLength(Math.min(10, total));
    const [two] = await runNaiveBaseline({ contentDir: dir, embedder, questions, k: 2 });
    expect(two!.results).toHaveLength(2);
    expect(two!.results).toEqual(byDefault!.results.slice(0, 2));
    const [all] = await runNaiveBaseline({ contentDir: dir, embedder, questions, k: 1000 });
    expect(all!.results).toHaveLength(total);
    await expect(runNaiveBaseline({ contentDir: dir, embedder, questions, k: 0 })).rejects.toThrow(/k must be/);
  });

  it('names the folder when it does not exist', async () => {
    await expect(
      runNaiveBaseline({ contentDir: join(dir, 'missing'), embedder: createHashingEmbedder(), questions: [] }),
    ).rejects.toThrow(/Content folder not found: .*missing/);
  });
});
