import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SITE_MODULES_ELSEWHERE, siteInputsHash } from '../site/build';

const ROOT = resolve(import.meta.dirname, '..');

/** The source files under `dir` (not node_modules, not a build). */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) return [];
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.(ts|tsx|mjs|astro)$/.test(e.name) ? [path] : [];
  });
}

/** The project file a relative import from `from` names (`./x`, `./x.ts`, `./x.js`, `./x/index.ts`). */
function resolveImport(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [base, `${base}.ts`, `${base}.tsx`, base.replace(/\.js$/, '.ts'), join(base, 'index.ts')].find((c) => existsSync(c) && statSync(c).isFile());
}

/**
 * Every project module outside `site/` and `ingest/` that the pages and the Astro config reach
 * through relative imports (static, dynamic and type-only alike: reading more is safe).
 */
function modulesElsewhere(): string[] {
  const queue = [...sources(join(ROOT, 'site/src')), join(ROOT, 'site/astro.config.mjs')];
  const seen = new Set<string>();
  const outside = new Set<string>();
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = resolveImport(file, specifier!);
      if (!target) continue;
      const path = relative(ROOT, target);
      if (!path.startsWith('site/') && !path.startsWith('ingest/')) outside.add(path);
      if (/\.(ts|tsx|mjs)$/.test(target)) queue.push(target);
    }
  }
  return [...outside].sort();
}

describe('siteInputsHash()', () => {
  it('hashes every module outside site/ and ingest/ that the pages import, so a change to one rebuilds the site', () => {
    const reached = modulesElsewhere();
    // The crawl finds something (the site reads languages from retrieval), or it proves nothing.
    expect(reached).toContain('server/retrieval/languages.ts');
    expect([...SITE_MODULES_ELSEWHERE].sort()).toEqual(reached);
  });

  it('changes with INGEST_MAX_PAGE_BYTES, which decides whether a large page is built', () => {
    const before = process.env.INGEST_MAX_PAGE_BYTES;
    try {
      delete process.env.INGEST_MAX_PAGE_BYTES;
      const byDefault = siteInputsHash('test/fixtures/site-docs');
      process.env.INGEST_MAX_PAGE_BYTES = '2000000';
      expect(siteInputsHash('test/fixtures/site-docs')).toBe(byDefault);
      process.env.INGEST_MAX_PAGE_BYTES = '5000000';
      expect(siteInputsHash('test/fixtures/site-docs')).not.toBe(byDefault);
    } finally {
      if (before === undefined) delete process.env.INGEST_MAX_PAGE_BYTES;
      else process.env.INGEST_MAX_PAGE_BYTES = before;
    }
  });
});
