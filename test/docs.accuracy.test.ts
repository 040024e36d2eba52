/**
 * The docs promise only what exists: every endpoint the HTTP API page documents answers, every
 * API route the server has is documented, every `npm run` command named in the docs or the
 * README is a script, every flag shown with it is one its CLI reads, and no `VERIFY` note is left.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { createApp } from '../server/http/app';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { createHashingEmbedder } from './helpers/embedder';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

function markdownFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return markdownFiles(path);
    return /\.mdx?$/.test(entry.name) ? [path] : [];
  });
}

const docs = [...markdownFiles('content'), 'README.md'].map((path) => ({ path, text: read(path) }));
const apiPage = read('content/reference/http-api.md');
const ADMIN_TOKEN = 'docs-accuracy-admin-token';

/** Every `METHOD /api/...` the page names (in headings like `## Read a chat (GET /api/chats/:id)`, tables, text). */
const documentedEndpoints = [
  ...new Map(
    [...apiPage.matchAll(/\b(GET|POST|PUT|DELETE) (\/api\/[\w/:.-]*[\w])/g)].map((m) => [
      `${m[1]} ${m[2]}`,
      { method: m[1]!, path: m[2]! },
    ]),
  ).values(),
];

describe('content/reference/http-api.md', () => {
  let database: TestDatabase;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    app = createApp({
      database,
      config: loadConfig({ ADMIN_TOKEN }),
      embedder: createHashingEmbedder(),
      siteDir: false,
      evalCasesFile: join(tmpdir(), `docent-docs-accuracy-${randomUUID()}.jsonl`),
    });
  });
  afterAll(async () => database?.close());

  it('documents a dozen endpoints or more', () => {
    expect(documentedEndpoints.length).toBeGreaterThanOrEqual(12);
  });

  it('documents every API route the server has', () => {
    const routes = new Set(
      app.routes
        .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL' && !r.path.includes('*'))
        .map((r) => `${r.method} ${r.path}`),
    );
    const documented = new Set(documentedEndpoints.map((e) => `${e.method} ${e.path}`));
    expect([...routes].filter((r) => !documented.has(r)).sort()).toEqual([]);
  });

  it('every documented endpoint answers (no "no route" 404, no 405 for a method the path does not take)', async () => {
    const unanswered: string[] = [];
    for (const { method, path } of documentedEndpoints) {
      const url = path.replace(/:[a-zA-Z]+/g, randomUUID());
      const res = await app.request(url, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
      });
      const body = await res.text();
      if ((res.status === 404 && body.includes('No route for')) || res.status === 405) unanswered.push(`${method} ${path}`);
    }
    expect(unanswered).toEqual([]);
  });
});

describe('the error table of content/reference/http-api.md', () => {
  /** `status code` pairs of the table (`| 400 | \`invalid_body\`, \`invalid_json\` | … |`). */
  const documented = new Set(
    [...apiPage.matchAll(/^\| (\d{3}) \| ([^|]+) \|/gm)].flatMap((m) => [...m[2]!.matchAll(/`([a-z_]+)`/g)].map((c) => `${m[1]} ${c[1]}`)),
  );
  const sourceFiles = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return sourceFiles(path);
      return entry.name.endsWith('.ts') ? [path] : [];
    });

  it('lists every status and code the server throws', () => {
    const thrown = new Set(
      sourceFiles('server')
        // errors.ts only defines the helpers; the codes they are called with are found where they are used.
        .filter((path) => path !== 'server/http/errors.ts')
        .flatMap((path) => [...read(path).matchAll(/new ApiError\((\d{3}), '([a-z_]+)'/g)].map((m) => `${m[1]} ${m[2]}`)),
    );
    expect(thrown.size).toBeGreaterThan(10);
    expect([...thrown].filter((e) => !documented.has(e)).sort()).toEqual([]);
  });
});

describe('commands named in the docs and the README', () => {
  const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>;
  const invocations = docs.flatMap(({ path, text }) =>
    [...text.matchAll(/npm run ([a-z][\w:-]*)([^\n`|]*)/g)].map((m) => ({ path, script: m[1]!, rest: m[2] ?? '' })),
  );

  it('are package.json scripts', () => {
    const missing = invocations.filter((i) => !(i.script in scripts)).map((i) => `${i.path}: npm run ${i.script}`);
    expect([...new Set(missing)]).toEqual([]);
  });

  it('only show flags their command reads', () => {
    const unknown: string[] = [];
    let checked = 0;
    for (const { path, script, rest } of invocations) {
      const command = scripts[script];
      const file = command?.match(/tsx ([\w/.-]+\.ts)/)?.[1];
      if (!file) continue;
      const source = read(file);
      for (const [, flag] of rest.matchAll(/--([a-z][\w-]*)/g)) {
        // Each CLI declares its flags by name (node:util parseArgs options, or its usage text).
        checked++;
        if (!new RegExp(`['"\`-]${flag}\\b`).test(source)) unknown.push(`${path}: npm run ${script} --${flag}`);
      }
    }
    expect([...new Set(unknown)]).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });
});

describe('content/', () => {
  it('has no VERIFY notes left', () => {
    const left = docs.filter((d) => d.text.includes('VERIFY')).map((d) => d.path);
    expect(left).toEqual([]);
  });
});
