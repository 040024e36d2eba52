/**
 * Builds the docs site (and the standalone widget) once per test run, from the fixture docs in
 * `test/fixtures/site-docs`, for the site and browser tests (`inject('siteDir')`). The build is
 * cached under `node_modules/.cache/docent-site-test/<hash of its inputs>`, so a run with no
 * change to the site, the fixtures or the lock file reuses it. Other builds there (another
 * checkout sharing `node_modules`, say) are removed only once unused for a day.
 */
import { existsSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildSite, isSiteFresh, PROJECT_ROOT, siteInputsHash } from '../../site/build';

export const FIXTURE_DOCS = 'test/fixtures/site-docs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The built fixture site (absolute path). */
    siteDir: string;
  }
}

/** Builds the fixture site if needed; returns its folder. */
export async function buildFixtureSite(): Promise<string> {
  const cache = join(PROJECT_ROOT, 'node_modules/.cache/docent-site-test');
  const outDir = join(cache, siteInputsHash(FIXTURE_DOCS));
  if (isSiteFresh(FIXTURE_DOCS, outDir) && existsSync(join(outDir, 'index.html'))) {
    const now = new Date();
    utimesSync(outDir, now, now); // in use: not stale for another checkout's clean-up
    return outDir;
  }
  removeStaleBuilds(cache);
  rmSync(outDir, { recursive: true, force: true });
  // Its own Astro cache: rendered entries are cached by content, not by the remark plugins.
  return buildSite({ contentDir: FIXTURE_DOCS, outDir, cacheDir: `${outDir}.astro-cache`, env: { SITE_URL: '' } });
}

const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/** Removes cached builds not touched for a day: a parallel checkout may be using the others. */
function removeStaleBuilds(cache: string): void {
  if (!existsSync(cache)) return;
  for (const name of readdirSync(cache)) {
    const path = join(cache, name);
    if (Date.now() - statSync(path).mtimeMs > STALE_AFTER_MS) rmSync(path, { recursive: true, force: true });
  }
}

export default async function setup(project: TestProject) {
  project.provide('siteDir', await buildFixtureSite());
}
