/**
 * A docs folder for tests of the site's remark plugins, which read the content folder from
 * `DOCENT_CONTENT_ROOT`: its files written before the test file's tests, the variable pointed at
 * it meanwhile, and everything removed (and the variable restored) after them.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export interface ContentFixtureOptions {
  /** The temporary folder the files are written under (removed after the tests). */
  site: string;
  /** The files, by path relative to `site`, and their text. */
  files: Readonly<Record<string, string | Uint8Array>>;
  /** The content folder the plugins read (`DOCENT_CONTENT_ROOT`), usually `site/docs`. */
  contentRoot: string;
  /** More set-up once the files are written (a symlink, say). Default: none. */
  setup?: () => void;
}

/** Registers the `beforeAll` / `afterAll` hooks of a content fixture (see the module's comment). */
export function useContentFixture({ site, files, contentRoot, setup }: ContentFixtureOptions): void {
  const saved = process.env.DOCENT_CONTENT_ROOT;
  beforeAll(() => {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(site, path, '..'), { recursive: true });
      writeFileSync(join(site, path), content);
    }
    setup?.();
    process.env.DOCENT_CONTENT_ROOT = contentRoot;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.DOCENT_CONTENT_ROOT;
    else process.env.DOCENT_CONTENT_ROOT = saved;
    rmSync(site, { recursive: true, force: true });
  });
}
