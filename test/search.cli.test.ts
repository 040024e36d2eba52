import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestContent } from '../ingest/index';
import { loadConfig } from '../server/config';
import { migrateDatabase } from '../server/db/migrate';
import { openDatabase } from '../server/db/open';
import { createApp } from '../server/http/app';
import { runSearchCli } from '../server/retrieval/cli';
import { FIXTURES_DIR, removeTempDirs, tempDir } from './helpers/content';
import { createTestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';
import { capture } from './helpers/io';

let work: string;
let env: Record<string, string>;

async function searchCli(argv: string[], environment = env, embedderModel?: string) {
  const stdout = capture();
  const stderr = capture();
  const createEmbedder = () => createHashingEmbedder(embedderModel);
  const code = await runSearchCli({ argv, env: environment, stdout, stderr, cwd: work, createEmbedder });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const RESULT_KEYS = ['rank', 'score', 'path', 'title', 'headings', 'anchor', 'url', 'text'];

beforeAll(async () => {
  work = tempDir();
  env = { DATABASE_URL: join(work, 'pglite') };
  const handle = await openDatabase(env.DATABASE_URL);
  await migrateDatabase(handle);
  await ingestContent(handle.db, createHashingEmbedder(), { contentDir: join(FIXTURES_DIR, 'docs'), source: 'docs' });
  await handle.close();
});
afterAll(() => removeTempDirs());

describe('npm run search', () => {
  it('prints ranked sections for a question and writes {"results":[...]} with --json', async () => {
    const { code, stdout } = await searchCli(['how', 'do', 'I', 'set', 'the', 'basic', 'auth', 'realm?', '--k', '3', '--json', 'one.json']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^1\. \d\.\d{4}  hono\/middleware\/basic-auth\.md  Basic Auth Middleware > Options > realm: string\n   \/hono\/middleware\/basic-auth\/#realm-string\n/);
    const { results } = JSON.parse(readFileSync(join(work, 'one.json'), 'utf8')) as { results: Record<string, unknown>[] };
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(3);
    for (const r of results) expect(Object.keys(r)).toEqual(RESULT_KEYS);
    expect(results[0]).toMatchObject({
      rank: 1,
      path: 'hono/middleware/basic-auth.md',
      title: 'Basic Auth Middleware',
      headings: ['Basic Auth Middleware', 'Options', 'realm: string'],
      anchor: 'realm-string',
      url: '/hono/middleware/basic-auth/#realm-string',
    });
  });

  it('warns when the index was embedded with another model than the configured one', async () => {
    const same = await searchCli(['basic auth realm']);
    expect(same.stderr).not.toContain('warning');
    const other = await searchCli(['basic auth realm'], env, 'openai:text-embedding-3-small@512');
    expect(other.code).toBe(0);
    expect(other.stderr).toMatch(
      /^search: warning: none of the \d+ indexed chunks were embedded with this embedding model \(openai:text-embedding-3-small@512\); they were with test:hashing@512, so questions find them by their words only, not by meaning.*Ingest again with this model \(npm run ingest\), or set EMBEDDING_PROVIDER and EMBEDDING_MODEL as they were for the ingest\.\n$/,
    );
    expect(other.stdout).toContain('basic-auth.md'); // still found by its words
  });

  it('says Docent would abstain when nothing clears the threshold', async () => {
    const { code, stdout } = await searchCli(['zzzz qqqq xxyyzz', '--json', 'none.json']);
    expect(code).toBe(0);
    expect(stdout).toContain('Docent would abstain');
    expect(JSON.parse(readFileSync(join(work, 'none.json'), 'utf8'))).toEqual({ results: [] });
  });

  it('answers a questions file with one {"id","results"} line per question', async () => {
    writeFileSync(
      join(work, 'questions.jsonl'),
      ['{"id":"q1","question":"basic auth realm","gold":[]}', '', '{"id":"q2","question":"stream server-sent events with streamSSE"}'].join('\n'),
    );
    const { code, stdout } = await searchCli(['--questions', 'questions.jsonl', '--json', 'out.jsonl']);
    expect(code).toBe(0);
    expect(stdout).toContain('Searched 2 questions (k=10)');
    const lines = readFileSync(join(work, 'out.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; results: Record<string, unknown>[] });
    expect(lines.map((l) => l.id)).toEqual(['q1', 'q2']);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(['id', 'results']);
      expect(line.results.length).toBeLessThanOrEqual(10);
      for (const r of line.results) expect(Object.keys(r)).toEqual(RESULT_KEYS);
    }
    expect(lines[1]!.results[0]).toMatchObject({ path: 'hono/streaming.md', anchor: 'streamsse' });
  });

  it('names the file and line of a bad question', async () => {
    writeFileSync(join(work, 'bad.jsonl'), '{"id":"q1","question":"ok"}\n{"id":"q2","question":""}\n');
    const { code, stderr } = await searchCli(['--questions', 'bad.jsonl', '--json', 'x.jsonl']);
    expect(code).toBe(2);
    expect(stderr).toBe(`search: ${join(work, 'bad.jsonl')}:2: "question" must be a non-empty string\n`);
    writeFileSync(join(work, 'bad2.jsonl'), 'not json\n');
    expect((await searchCli(['--questions', 'bad2.jsonl', '--json', 'x.jsonl'])).stderr).toMatch(/bad2\.jsonl:1: not valid JSON/);
  });

  it('refuses a question longer than the server takes (4,000 characters), alone or in a questions file, naming its line', async () => {
    const long = `How do I ${'really '.repeat(600)}add a page?`;
    const alone = await searchCli([long]);
    expect(alone).toMatchObject({ code: 2, stdout: '' });
    expect(alone.stderr).toBe(`search: the question is ${long.length} characters; the limit is 4000\n`);
    writeFileSync(join(work, 'long.jsonl'), `{"id":"q1","question":"ok"}\n${JSON.stringify({ id: 'q2', question: long })}\n`);
    const file = await searchCli(['--questions', 'long.jsonl', '--json', 'long-out.jsonl']);
    expect(file.code).toBe(2);
    expect(file.stderr).toBe(`search: ${join(work, 'long.jsonl')}:2: the question is ${long.length} characters; the limit is 4000\n`);
    expect(existsSync(join(work, 'long-out.jsonl'))).toBe(false);
  });

  it('rejects bad usage with exit code 2', async () => {
    expect((await searchCli([])).code).toBe(2);
    expect((await searchCli(['--questions', 'questions.jsonl'])).stderr).toContain('--questions needs --json OUT.jsonl');
    expect((await searchCli(['q', '--k', '0'])).stderr).toContain('--k must be a whole number from 1 to 100');
  });

  it('refuses a --json that is the --questions file, keeping the file', async () => {
    const questions = '{"id":"q1","question":"basic auth realm"}\n';
    writeFileSync(join(work, 'mine.jsonl'), questions);
    for (const json of ['mine.jsonl', `./sub/../mine.jsonl`, join(work, 'mine.jsonl')]) {
      const { code, stderr } = await searchCli(['--questions', 'mine.jsonl', '--json', json]);
      expect(code, json).toBe(2);
      expect(stderr).toBe(`search: cannot write --json ${json}: it is the input file, which would be overwritten; write the results to another file\n`);
    }
    expect(readFileSync(join(work, 'mine.jsonl'), 'utf8')).toBe(questions);
  });

  it('refuses a --json it cannot write before searching, for one question and for a questions file', async () => {
    writeFileSync(join(work, 'q1.jsonl'), '{"id":"q1","question":"basic auth realm"}\n');
    const missing = await searchCli(['basic auth realm', '--json', 'nodir/out.json']);
    expect(missing).toEqual({ code: 2, stdout: '', stderr: `search: cannot write --json nodir/out.json: the folder ${join(work, 'nodir')} does not exist\n` });
    const batch = await searchCli(['--questions', 'q1.jsonl', '--json', 'nodir/out.jsonl']);
    expect(batch).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining('cannot write --json nodir/out.jsonl: the folder') });
    const folder = await searchCli(['basic auth realm', '--json', '.']);
    expect(folder).toMatchObject({ code: 2, stderr: 'search: cannot write --json .: it is a folder\n' });
  });

  it('takes --k in decimal digits only, once', async () => {
    for (const k of ['0x10', '1e1', ' 3', '3.0', '+3', '']) {
      const { code, stderr } = await searchCli(['q', '--k', k]);
      expect(code, k).toBe(2);
      expect(stderr).toContain(`--k must be a whole number from 1 to 100 (got "${k}")`);
    }
    const twice = await searchCli(['basic auth realm', '--k', '3', '--k', '1']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/^search: --k is given more than once; give it once\n/);
  });

  it('reads a questions file with CR-only line endings, and rejects empty and fractional ids with file:line', async () => {
    writeFileSync(join(work, 'cr.jsonl'), '{"id":"q1","question":"basic auth realm"}\r{"id":2,"question":"streamSSE"}\r');
    const cr = await searchCli(['--questions', 'cr.jsonl', '--json', 'cr-out.jsonl']);
    expect(cr.code).toBe(0);
    expect(readFileSync(join(work, 'cr-out.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['q1', '2']);
    for (const [id, shown] of [['""', '""'], ['1.5', '1.5'], ['"  "', '"  "'], ['true', 'true']]) {
      writeFileSync(join(work, 'ids.jsonl'), `{"id":"ok","question":"fine"}\n{"id":${id},"question":"q"}\n`);
      const { code, stderr } = await searchCli(['--questions', 'ids.jsonl', '--json', 'ids-out.jsonl']);
      expect(code, id).toBe(2);
      expect(stderr).toBe(`search: ${join(work, 'ids.jsonl')}:2: "id" must be a non-empty string or a whole number (got ${shown})\n`);
    }
  });

  it('names an unreachable Postgres and the cause, not the query that failed', async () => {
    const server = createTcpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const { code, stderr } = await searchCli(['port'], { DATABASE_URL: `postgres://u:pw@127.0.0.1:${port}/db` });
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`^search: cannot connect to postgres://u:\\*\\*\\*@127\\.0\\.0\\.1:${port}/db: ECONNREFUSED \\(connect ECONNREFUSED`));
    expect(stderr).not.toContain('Failed query');
  });

  it('stops with "put options after --" when npm kept --json or --questions for itself, instead of searching their value', async () => {
    // `npm run search --json out.json "port"`: npm keeps --json and passes `out.json port` on.
    for (const flag of ['json', 'questions']) {
      const { code, stdout, stderr } = await searchCli([`${flag}-out.json`, 'basic auth realm'], { ...env, [`npm_config_${flag}`]: 'true' });
      expect(code, flag).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        `search: npm took --${flag} for itself and did not pass it on: put options after --, as in npm run search -- --${flag} ` +
          `(or, if npm_config_${flag} comes from your environment or .npmrc, unset it)\n`,
      );
      expect(existsSync(join(work, `${flag}-out.json`))).toBe(false);
    }
    const passed = await searchCli(['basic auth realm', '--json', 'passed.json'], { ...env, npm_config_json: 'true' });
    expect(passed.code).toBe(0);
    expect(existsSync(join(work, 'passed.json'))).toBe(true);
  });

  it('tells the user to ingest first when there is no index', async () => {
    const { code, stderr } = await searchCli(['anything'], { DATABASE_URL: join(work, 'nothing-here') });
    expect(code).toBe(2);
    expect(stderr).toContain('run `npm run ingest`');
  });
});

describe('npm run search while a Docent server holds the database', () => {
  let server: Server;
  let url: string;
  let holder: ChildProcess;
  let dir: string;
  const requests: string[] = [];
  let limited = 0;
  let indexWarning: string | undefined;
  let startingUntil = 0;
  let buildingIndex = false;
  const result = { rank: 1, score: 0.91, path: 'guides/x.md', title: 'X', headings: ['X', 'Y'], anchor: 'y', url: '/guides/x/#y', text: 'The answer.' };

  beforeAll(async () => {
    server = createServer((req, res) => {
      // Serving, with an index (a real server's health has more fields).
      if (req.url === '/api/health' && Date.now() >= startingUntil) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', documents: 3, chunks: 12 }));
        return;
      }
      // Held in its `starting` phase (database opening) until `startingUntil`, as createStartingApp() answers.
      if (Date.now() < startingUntil) {
        if (req.url === '/api/health') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'starting' }));
        else res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' }).end(JSON.stringify({ error: { code: 'server_starting', message: 'starting' } }));
        return;
      }
      requests.push(req.url!);
      if (buildingIndex) {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '30' }).end(JSON.stringify({ error: { code: 'index_building', message: 'Docent is still indexing the docs for the first time.' } }));
        return;
      }
      // The first question of a file meets the server's search rate limit once.
      if (limited++ === 1) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }).end(JSON.stringify({ error: { code: 'rate_limited', message: 'slow down' } }));
        return;
      }
      if (!req.url!.startsWith('/api/search?')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'not_found', message: 'no' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...(indexWarning ? { warning: indexWarning } : {}), results: [{ ...result, extra: 'not ours' }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A live process (not this one) stands in for the server in the lock file.
    holder = spawn('sleep', ['120']);
    dir = tempDir();
    mkdirSync(join(dir, 'pglite'));
    writeFileSync(join(dir, 'pglite.lock'), JSON.stringify({ pid: holder.pid, host: hostname(), startedAt: new Date().toISOString(), purpose: 'server', url }));
  });
  afterAll(async () => {
    holder?.kill();
    await new Promise((resolve) => server?.close(resolve));
  });

  const serverEnv = () => ({ DATABASE_URL: join(dir, 'pglite') });

  it('searches through the server (GET /api/search), with the same output', async () => {
    const { code, stdout, stderr } = await searchCli(['basic auth realm', '--k', '3', '--json', 'remote.json'], serverEnv());
    expect(stderr).toBe(`(searching through the running Docent server at ${url})\n`);
    expect(code).toBe(0);
    expect(requests.at(-1)).toBe('/api/search?q=basic+auth+realm&k=3');
    expect(stdout).toMatch(/^1\. 0\.9100  guides\/x\.md  X > Y\n {3}\/guides\/x\/#y\n {3}The answer\./);
    expect(JSON.parse(readFileSync(join(work, 'remote.json'), 'utf8'))).toEqual({ results: [result] });
  });

  it('exits 75 (try again later) with the server\'s message while it builds its first index (503)', async () => {
    buildingIndex = true;
    try {
      const { code, stdout, stderr } = await searchCli(['basic auth realm'], serverEnv());
      expect(code).toBe(75);
      expect(stdout).toBe('');
      expect(stderr).toContain(`search: the server at ${url} answered 503: Docent is still indexing the docs for the first time.`);
    } finally {
      buildingIndex = false;
    }
  });

  it('waits out the server\'s rate limit on a questions file', async () => {
    writeFileSync(join(work, 'two.jsonl'), '{"id":"q1","question":"one"}\n{"id":"q2","question":"two"}\n');
    const before = requests.length;
    const { code, stdout } = await searchCli(['--questions', 'two.jsonl', '--json', 'two-out.jsonl'], serverEnv());
    expect(code).toBe(0);
    expect(stdout).toContain('Searched 2 questions');
    // One refused with 429, asked again after Retry-After.
    expect(requests.slice(before)).toEqual(['/api/search?q=one&k=10', '/api/search?q=one&k=10', '/api/search?q=two&k=10']);
    const lines = readFileSync(join(work, 'two-out.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([{ id: 'q1', results: [result] }, { id: 'q2', results: [result] }]);
  });

  it('prints the server\'s warning about its index (chunks of another embedding model) once, on stderr', async () => {
    indexWarning = 'none of the 3 indexed chunks were embedded with this embedding model (b); they were with a';
    try {
      writeFileSync(join(work, 'warned.jsonl'), '{"id":"q1","question":"one"}\n{"id":"q2","question":"two"}\n');
      const { code, stderr } = await searchCli(['--questions', 'warned.jsonl', '--json', 'warned-out.jsonl'], serverEnv());
      expect(code).toBe(0);
      expect(stderr).toBe(`(searching through the running Docent server at ${url})\nsearch: warning: ${indexWarning}\n`);
    } finally {
      indexWarning = undefined;
    }
  });

  it('waits for a server still starting (503 server_starting), then searches through it', async () => {
    startingUntil = Date.now() + 1_000;
    const { code, stdout } = await searchCli(['basic auth realm', '--k', '3'], serverEnv());
    expect(Date.now()).toBeGreaterThanOrEqual(startingUntil);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^1\. 0\.9100  guides\/x\.md/);
  });

  it('exits 75 (try again later) when the server is still starting after the longest wait', async () => {
    startingUntil = Date.now() + 60_000;
    try {
      const stdout = capture();
      const stderr = capture();
      const code = await runSearchCli({ argv: ['basic auth realm'], env: serverEnv(), stdout, stderr, cwd: work, createEmbedder: () => createHashingEmbedder(), serverStartTimeoutMs: 300 });
      expect(stderr.text).toContain('is still starting (opening its database) after 0 s: run this again once it serves.');
      expect(code).toBe(75);
      expect(stdout.text).toBe('');
    } finally {
      startingUntil = 0;
    }
  });

  it('a server with nothing indexed is told as such (exit 2), not searched: no abstention printed', async () => {
    const empty = await createTestDatabase('pglite');
    const searched: string[] = [];
    const app = createApp({ database: empty, config: loadConfig({}), embedder: createHashingEmbedder(), siteDir: false });
    const emptyServer = await new Promise<Server>((resolve) => {
      const s = serve(
        {
          fetch: (request: Request) => {
            searched.push(new URL(request.url).pathname);
            return app.fetch(request);
          },
          hostname: '127.0.0.1',
          port: 0,
        },
        () => resolve(s as Server),
      );
    });
    try {
      const emptyUrl = `http://127.0.0.1:${(emptyServer.address() as AddressInfo).port}`;
      const emptyDir = tempDir();
      mkdirSync(join(emptyDir, 'pglite'));
      writeFileSync(join(emptyDir, 'pglite.lock'), JSON.stringify({ pid: holder.pid, host: hostname(), startedAt: new Date().toISOString(), purpose: 'server', url: emptyUrl }));
      for (const argv of [['basic auth realm'], ['--questions', 'two.jsonl', '--json', 'empty-out.jsonl']]) {
        const { code, stdout, stderr } = await searchCli(argv, { DATABASE_URL: join(emptyDir, 'pglite') });
        expect(code).toBe(2);
        expect(stdout).toBe('');
        expect(stderr).toBe(
          `(searching through the running Docent server at ${emptyUrl})\n` +
            `search: the Docent server at ${emptyUrl} has nothing indexed yet: run \`npm run ingest\` (it sends the run to that server), or check the server's CONTENT_DIR.\n`,
        );
      }
      expect(searched).not.toContain('/api/search');
      expect(existsSync(join(work, 'empty-out.jsonl'))).toBe(false);
    } finally {
      await new Promise((resolve) => emptyServer.close(resolve));
      await empty.close();
    }
  });

  it('asks for --k 50 or less, the most the server returns', async () => {
    const { code, stderr } = await searchCli(['q', '--k', '80'], serverEnv());
    expect(code).toBe(2);
    expect(stderr).toContain(`in use by the Docent server at ${url}, which returns at most 50 results: use --k 50 or less, or stop the server.`);
  });
});
