/**
 * The scripts that take (almost) no arguments, the benchmarks, `eval:fit`, `eval:record` and `build:site`: a
 * mistyped option, a stray argument or `--help` stops them at once, before minutes of work or a
 * database written where nobody asked (`npm run bench:review -- --help` once seeded 100,000
 * answers into a folder named `--help`). Spawned as npm runs them, from the repository.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('..', import.meta.url));

/** Runs `script` with `args` through tsx in the repository; its exit code and output. */
function runScript(script: string, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO, env: { ...process.env, CORPUS: '/nonexistent-corpus' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    // A script that ignored its arguments would start its run: stop it, and the test fails on its code.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

describe('arguments of the benchmarks, eval:fit and build:site', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'docent-script-args-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it.each([
    ['bench:review', 'bench/review-scale.ts', /^Usage: npm run bench:review -- \[DIR\] \[ANSWERS\]/],
    ['bench:ingest', 'bench/ingest.ts', /^Usage: npm run bench:ingest/],
    ['bench:embedding-input', 'bench/embedding-input.ts', /^Usage: npm run bench:embedding-input/],
    ['eval:fit', 'eval/fit-fusion.ts', /^npm run eval:fit \[-- options\]/],
    ['build:site', 'site/build.ts', /^Usage: npm run build:site/],
    ['eval:record', 'eval/gate.ts', /^Usage: npm run eval:record/],
  ])('%s --help prints its usage and exits 0, running nothing', async (_name, script, usage) => {
    const { code, out } = await runScript(script, ['--help']);
    expect(out).toMatch(usage);
    expect(code).toBe(0);
    expect(existsSync(join(REPO, '--help'))).toBe(false);
  });

  it.each([
    ['bench:review', ['--bogus'], 'bench/review-scale.ts', /^bench:review: Unknown option '--bogus'/],
    ['bench:ingest', ['--bogus'], 'bench/ingest.ts', /^bench:ingest: Unknown option '--bogus'\n/],
    ['bench:ingest', ['hono'], 'bench/ingest.ts', /^bench:ingest: Unexpected argument 'hono'/],
    ['bench:embedding-input', ['--k', '5'], 'bench/embedding-input.ts', /^bench:embedding-input: Unknown option '--k'/],
    ['eval:fit', ['--bogus'], 'eval/fit-fusion.ts', /^eval:fit: Unknown option '--bogus'/],
    ['eval:fit', ['--corpus'], 'eval/fit-fusion.ts', /^eval:fit: Option '--corpus <value>' argument missing/],
    ['eval:fit', ['--corpus', 'hono', '--corpus', 'pino'], 'eval/fit-fusion.ts', /^eval:fit: --corpus is given more than once; give it once/],
    ['build:site', ['--if-stail'], 'site/build.ts', /^build:site: Unknown option '--if-stail'/],
    ['eval:record', ['--dry-run'], 'eval/gate.ts', /^eval:record: Unknown option '--dry-run'/],
  ])('%s %j: exits 2 naming what is wrong, with the usage', async (_name, args, script, message) => {
    const { code, err } = await runScript(script, args);
    expect(err).toMatch(message);
    expect(err).toMatch(/Usage: |npm run eval:fit/);
    expect(code).toBe(2);
  });

  it('eval:record with a bad option leaves the recorded levels as they are', async () => {
    const levels = join(REPO, 'eval/recorded-levels.json');
    const before = readFileSync(levels, 'utf8');
    expect((await runScript('eval/gate.ts', ['--check'])).code).toBe(2);
    expect(readFileSync(levels, 'utf8')).toBe(before);
  });

  it('bench:review takes DIR and ANSWERS, a whole number, and writes no database for a bad one', async () => {
    const dir = join(scratch, 'db');
    const bad = await runScript('bench/review-scale.ts', [dir, '1e3']);
    expect(bad.err).toMatch(/^bench:review: ANSWERS must be a whole number ≥ 1 \(got "1e3"\)/);
    expect(bad.code).toBe(2);
    const extra = await runScript('bench/review-scale.ts', [dir, '100', 'more']);
    expect(extra.err).toMatch(/^bench:review: unexpected argument "more": this command takes at most 2/);
    expect(extra.code).toBe(2);
    expect(existsSync(dir)).toBe(false);
  });
});
