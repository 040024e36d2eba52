/** A temporary folder for the site builds of one `describe` block. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { PROJECT_ROOT } from '../../site/build';

/**
 * Makes a new folder `node_modules/.cache/<prefix>…` inside the project, removed after the calling
 * `describe` block's tests (call it in the block's body). Inside the project, as `site/dist` is:
 * Astro puts a build's server chunks in the project's `.astro/` when the output folder is outside
 * it, and a failed build leaves them there.
 */
export function siteBuildRoot(prefix: string): string {
  const cache = join(PROJECT_ROOT, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const root = mkdtempSync(join(cache, prefix));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  return root;
}
