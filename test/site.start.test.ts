/**
 * `npm start`'s site step (`tsx site/build.ts --if-stale` → runSiteBuild({ ifStale: true })): a
 * page the site cannot build does not stop Docent from starting.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runSiteBuild } from '../site/build';

describe('runSiteBuild({ ifStale: true })', () => {
  // Inside the project: Astro puts a build's server chunks in the project's `.astro/` when the
  // output folder is outside it, and a failed build leaves them there.
  const cache = join(PROJECT_ROOT, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'docent-site-start-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a page the site cannot build, naming it, and lets the server start', async () => {
    const content = join(dir, 'docs');
    mkdirSync(content);
    writeFileSync(join(content, 'index.md'), '# Home\n\nWelcome.\n');
    // A component the page neither imports nor defines, as in docs written for another site generator.
    writeFileSync(join(content, 'params.mdx'), '# Params\n\n<ParamField query="limit" type="number">How many.</ParamField>\n');
    const lines: string[] = [];
    const result = await runSiteBuild({ ifStale: true, contentDir: content, outDir: join(dir, 'out'), cacheDir: join(dir, 'cache'), log: () => {}, warn: (l) => lines.push(l) });
    expect(result).toBe('failed');
    expect(lines[0]).toContain('the docs site could not be built; Docent starts without rebuilding it');
    expect(lines.join('\n')).toMatch(/\/params\/index\.html.*Expected component `ParamField` to be defined/);
    // No stamp: the next start tries again.
    expect(existsSync(join(dir, 'out', '.docent-build'))).toBe(false);
  }, 300_000);
});
