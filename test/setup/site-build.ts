/**
 * Builds the docs site (and the standalone widget) once per test run, from the fixture docs in
 * `test/fixtures/site-docs`, for the site and browser tests (`inject('siteDir')`). The build is
 * cached under `node_modules/.cache/docent-site-test/<hash of its inputs>`, so a run with no
 * change to the site, the fixtures or the lock file reuses it.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

const ROOT = resolve(import.meta.dirname, '../..');
export const FIXTURE_DOCS = 'test/fixtures/site-docs';
const INPUTS = ['site', FIXTURE_DOCS, 'ingest/anchors.ts', 'ingest/urls.ts', 'package-lock.json'];
const IGNORED = new Set(['dist', '.astro', 'node_modules']);

declare module 'vitest' {
  export interface ProvidedContext {
    /** The built fixture site (absolute path). */
    siteDir: string;
  }
}

function files(path: string): string[] {
  const full = join(ROOT, path);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return [path];
  return readdirSync(full, { withFileTypes: true })
    .filter((e) => !IGNORED.has(e.name))
    .flatMap((e) => files(relative(ROOT, join(full, e.name))));
}

function inputsHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(files).sort()) hash.update(file).update('\0').update(readFileSync(join(ROOT, file))).update('\0');
  return hash.digest('hex').slice(0, 16);
}

function run(args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolveRun() : reject(new Error(`${args.join(' ')} failed (${code}):\n${output.slice(-4000)}`))));
  });
}

/** Builds the fixture site if needed; returns its folder. */
export async function buildFixtureSite(): Promise<string> {
  const outDir = join(ROOT, 'node_modules/.cache/docent-site-test', inputsHash());
  if (existsSync(join(outDir, 'widget.js')) && existsSync(join(outDir, 'index.html'))) return outDir;
  rmSync(join(outDir, '..'), { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  // Its own Astro cache: rendered entries are cached by content, not by the remark plugins.
  const env = { NODE_ENV: 'production', CONTENT_DIR: FIXTURE_DOCS, SITE_OUT_DIR: outDir, SITE_CACHE_DIR: `${outDir}.astro-cache`, ASTRO_TELEMETRY_DISABLED: '1', SITE_URL: '' };
  await run([join(ROOT, 'node_modules/astro/astro.js'), 'build', '--root', 'site'], env);
  await run([join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'site/widget.config.ts'], env);
  return outDir;
}

export default async function setup(project: TestProject) {
  project.provide('siteDir', await buildFixtureSite());
}
