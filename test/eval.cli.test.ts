import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEvalCli } from '../eval/cli';
import { createHashingEmbedder } from './helpers/embedder';

const PAGES: Record<string, string> = {
  'cookies.md': '---\ntitle: Cookies\n---\n\nCookies keep state between requests.\n\n## Set a cookie\n\nCall setCookie with a name and a value to set a cookie on the response.\n',
  'routing.md': '---\ntitle: Routing\n---\n\nRouting maps paths to handlers.\n\n## Grouping\n\nGroup routes under a prefix with app.route and mount the group.\n',
};

const QUESTIONS = [
  { id: 'q1', question: 'how do I set a cookie on the response', gold: [{ path: 'cookies.md', heading: 'Set a cookie' }], answer: 'Call setCookie with a name and a value.', kind: 'howto' },
  { id: 'q2', question: 'group routes under a prefix', gold: [{ path: 'routing.md', heading: 'Grouping' }], kind: 'howto' },
  { id: 'q3', question: 'kafka consumer lag', gold: [], kind: 'unanswerable' },
];

async function run(argv: string[], cwd: string, env: Record<string, string> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await runEvalCli({ argv, env, stdout, stderr, cwd, createEmbedder: () => createHashingEmbedder() });
  return { code, out, err };
}

describe('npm run eval (runEvalCli)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'docent-eval-cli-'));
    mkdirSync(join(dir, 'docs'));
    for (const [file, text] of Object.entries(PAGES)) writeFileSync(join(dir, 'docs', file), text);
    writeFileSync(join(dir, 'questions.jsonl'), `${QUESTIONS.map((q) => JSON.stringify(q)).join('\n')}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ingests the folder, prints the metrics table and the table by kind, and writes --json', async () => {
    const { code, out, err } = await run(['--content', 'docs', '--questions', 'questions.jsonl', '--json', 'out.json'], dir);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/Ingested .*docs as "eval:docs" into a temporary database: \d+ chunks/);
    expect(out).toContain('3 questions (2 answerable, 1 unanswerable), k=10');
    expect(out).toMatch(/^\| docent \(hybrid\) \| /m);
    expect(out).toContain('By kind of question, docent (hybrid):');
    expect(out).toMatch(/^\| howto \| 2 \| /m);
    expect(out).toMatch(/^\| unanswerable \| 1 \| n\/a \| n\/a \| n\/a \| n\/a \| /m);

    const json = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
    expect(json.pipelines).toHaveLength(1);
    const [hybrid] = json.pipelines;
    expect(hybrid.metrics).toMatchObject({ questions: 3, answerable: 2, unanswerable: 1 });
    expect(Object.keys(hybrid.byKind)).toEqual(['howto', 'unanswerable']);
    expect(hybrid.questions.map((q: { id: string }) => q.id)).toEqual(['q1', 'q2', 'q3']);
    const q1 = hybrid.questions[0];
    expect(q1.results[0]).toMatchObject({ rank: 1, path: 'cookies.md', headings: ['Cookies', 'Set a cookie'] });
    expect(q1.firstHitRank).toBe(1);
    // The reference answer is read and the extractive answer measured against it (q1 only has one).
    expect(q1.answerRecall).toBeGreaterThan(0.5);
    expect(hybrid.questions[1]).not.toHaveProperty('answerRecall');
    expect(hybrid.metrics.answerRecall).toBe(q1.answerRecall);
    // Each question's best score before the threshold, also for the one that abstained, and the count near it.
    expect(q1.topScore).toBe(q1.results[0].score);
    const q3 = hybrid.questions[2];
    expect(q3.topScore).toBeGreaterThanOrEqual(0);
    if (q3.results.length === 0) expect(q3.topScore).toBeLessThan(json.minScore);
    expect(hybrid.nearThreshold).toMatchObject({ minScore: json.minScore, margin: 0.02 });
    expect(out).toMatch(/Near the threshold \(best source within 0\.45 ± 0\.02\): \d+ answerable and \d+ unanswerable question\(s\)/);
  });

  it('reads gold paths written from the parent folder, and warns about gold sections and files it cannot use', async () => {
    // Gold paths relative to the parent folder ("docs/cookies.md" for --content docs): read without "docs/".
    const parent = QUESTIONS.map((q) => ({ ...q, gold: q.gold.map((g) => ({ ...g, path: `docs/${g.path}` })) }));
    writeFileSync(join(dir, 'parent.jsonl'), `${parent.map((q) => JSON.stringify(q)).join('\n')}\n`);
    const reread = await run(['--content', 'docs', '--questions', 'parent.jsonl', '--json', 'parent.json'], dir);
    expect(reread.code).toBe(0);
    expect(reread.err).toContain('eval: gold paths are written from another folder than --content: 2 of them read with "docs/" dropped in front (e.g. docs/cookies.md → cookies.md)');
    expect(JSON.parse(readFileSync(join(dir, 'parent.json'), 'utf8')).pipelines[0].questions[0].firstHitRank).toBe(1);

    // A heading or a page that is not in the corpus, and a file that cannot be parsed: warned, and the run goes on.
    const wrong = [{ ...QUESTIONS[0], gold: [{ path: 'cookies.md', heading: 'Set cookies' }] }, { ...QUESTIONS[1], gold: [{ path: 'routes.md', heading: 'Grouping' }] }];
    writeFileSync(join(dir, 'wrong.jsonl'), `${wrong.map((q) => JSON.stringify(q)).join('\n')}\n`);
    mkdirSync(join(dir, 'docs-broken'));
    for (const [file, text] of Object.entries(PAGES)) writeFileSync(join(dir, 'docs-broken', file), text);
    writeFileSync(join(dir, 'docs-broken', 'broken.mdx'), '---\ntitle: [never closed\n---\n\n# Broken\n');
    const warned = await run(['--content', 'docs-broken', '--questions', 'wrong.jsonl'], dir);
    expect(warned.code).toBe(0);
    expect(warned.err).toContain('eval: warning: 1 file(s) could not be parsed and are left out (their gold sections count as misses):\n  broken.mdx:2: invalid frontmatter: ');
    expect(warned.err).toContain('eval: warning: 2 gold section(s) are not in the corpus and can never be hit:\n  q1: "Set cookies" is not a heading of cookies.md\n  q2: gold path "routes.md" is not a page of the corpus\n');
    expect(warned.out).toContain('2 questions (2 answerable, 0 unanswerable)');
  });

  it('--compare adds the baselines to the same table', async () => {
    const { code, out } = await run(['--content', 'docs', '--questions', 'questions.jsonl', '--compare'], dir);
    expect(code).toBe(0);
    for (const name of ['docent (hybrid)', 'docent, no threshold', 'BM25 only', 'vector only', 'naive (1,000-char chunks, vector)']) {
      expect(out).toContain(`| ${name} | `);
    }
  });

  it('exits 2 with a message naming the problem for bad arguments and bad question files', async () => {
    const missing = await run(['--questions', 'questions.jsonl'], dir);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('--content DIR is required');

    writeFileSync(join(dir, 'bad.jsonl'), `${JSON.stringify(QUESTIONS[0])}\n{"id": "x", "question": \n`);
    const bad = await run(['--content', 'docs', '--questions', 'bad.jsonl'], dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/bad\.jsonl:2: /);

    const k = await run(['--content', 'docs', '--questions', 'questions.jsonl', '--k', '0'], dir);
    expect(k.code).toBe(2);
    expect(k.err).toContain('--k must be a whole number from 1 to 100');
  });

  it('takes --k in decimal digits only, and each option once', async () => {
    for (const k of ['0x10', '1e1', ' 3']) {
      const run1 = await run(['--content', 'docs', '--questions', 'questions.jsonl', '--k', k], dir);
      expect(run1.code, k).toBe(2);
      expect(run1.err).toContain(`--k must be a whole number from 1 to 100 (got "${k}")`);
    }
    const twice = await run(['--content', 'docs', '--questions', 'questions.jsonl', '--content', 'other'], dir);
    expect(twice.code).toBe(2);
    expect(twice.err).toMatch(/^eval: --content is given more than once; give it once\n/);
  });

  it('refuses, before the run, a --json that is the questions file or cannot be written', async () => {
    const questions = readFileSync(join(dir, 'questions.jsonl'), 'utf8');
    const same = await run(['--content', 'docs', '--questions', 'questions.jsonl', '--json', 'questions.jsonl'], dir);
    expect(same).toEqual({ code: 2, out: '', err: 'eval: cannot write --json questions.jsonl: it is the input file, which would be overwritten; write the results to another file\n' });
    expect(readFileSync(join(dir, 'questions.jsonl'), 'utf8')).toBe(questions);
    const missing = await run(['--content', 'docs', '--questions', 'questions.jsonl', '--json', 'missing/out.json'], dir);
    expect(missing).toEqual({ code: 2, out: '', err: `eval: cannot write --json missing/out.json: the folder ${join(dir, 'missing')} does not exist\n` });
    const folder = await run(['--content', 'docs', '--questions', 'questions.jsonl', '--json', 'docs'], dir);
    expect(folder).toEqual({ code: 2, out: '', err: 'eval: cannot write --json docs: it is a folder\n' });
    // Nor a page or another file of the content folder, which the results would replace.
    const [page] = Object.keys(PAGES);
    const pageText = readFileSync(join(dir, 'docs', page!), 'utf8');
    const onPage = await run(['--content', 'docs', '--questions', 'questions.jsonl', '--json', `docs/${page}`], dir);
    expect(onPage).toEqual({
      code: 2,
      out: '',
      err: `eval: cannot write --json docs/${page}: it is a page of the content folder, which the results would replace (or become); write it outside the content folder\n`,
    });
    expect(readFileSync(join(dir, 'docs', page!), 'utf8')).toBe(pageText);
    writeFileSync(join(dir, 'docs', 'config.json'), '{"theme":"dark"}');
    const onConfig = await run(['--content', 'docs', '--questions', 'questions.jsonl', '--json', 'docs/config.json'], dir);
    expect(onConfig.err).toBe('eval: cannot write --json docs/config.json: it is a file of the content folder, not earlier results, which would be overwritten; write it to another file\n');
    expect(readFileSync(join(dir, 'docs', 'config.json'), 'utf8')).toBe('{"theme":"dark"}');
    rmSync(join(dir, 'docs', 'config.json'));
  });

  it('stops with "put options after --" when npm kept --compare for itself, instead of running without it', async () => {
    // `npm run eval --compare -- --content docs --questions questions.jsonl`
    const swallowed = await run(['--content', 'docs', '--questions', 'questions.jsonl'], dir, { npm_config_compare: 'true' });
    expect(swallowed).toEqual({
      code: 2,
      out: '',
      err:
        'eval: npm took --compare for itself and did not pass it on: put options after --, as in npm run eval -- --compare ' +
        '(or, if npm_config_compare comes from your environment or .npmrc, unset it)\n',
    });
  });

  it('rejects an answer or kind that is not a string, with the file and line', async () => {
    for (const [field, value] of [['answer', 5], ['kind', 7], ['answer', null]] as const) {
      writeFileSync(join(dir, 'typed.jsonl'), `${JSON.stringify(QUESTIONS[0])}\n${JSON.stringify({ ...QUESTIONS[1], [field]: value })}\n`);
      const { code, err } = await run(['--content', 'docs', '--questions', 'typed.jsonl'], dir);
      expect(code, `${field} ${value}`).toBe(2);
      expect(err).toBe(`eval: ${join(dir, 'typed.jsonl')}:2: "${field}" must be a string (got ${JSON.stringify(value)})\n`);
    }
  });
});
