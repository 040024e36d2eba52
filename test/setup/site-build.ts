/**
 * Builds the docs site (and the standalone widget) once per test run, from the fixture docs in
 * `test/fixtures/site-docs`, for the site and browser tests (`inject('siteDir')`). The build is
 * cached under `node_modules/.cache/docent-site-test/<hash of its inputs>`, so a run with no
 * change to the site, the fixtures or the lock file reuses it.
 */
import { existsSync, rmSync } from 'node:fs';
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
  if (isSiteFresh(FIXTURE_DOCS, outDir) && existsSync(join(outDir, 'index.html'))) return outDir;
  rmSync(cache, { recursive: true, force: true });
  // Its own Astro cache: rendered entries are cached by content, not by the remark plugins.
  return buildSite({ contentDir: FIXTURE_DOCS, outDir, cacheDir: `${outDir}.astro-cache`, env: { SITE_URL: '' } });
}

export default async function setup(project: TestProject) {
  project.provide('siteDir', await buildFixtureSite());
}
