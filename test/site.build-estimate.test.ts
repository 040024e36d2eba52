/**
 * The "about N s" of a site build (`estimatedBuildSeconds`): the last successful build's measured
 * time, recorded beside its stamp, scaled to the pages now; a typical machine's time when no build
 * recorded one.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { estimatedBuildSeconds, lastBuildDuration } from '../site/build';

describe('estimatedBuildSeconds', () => {
  const root = mkdtempSync(join(tmpdir(), 'docent-build-estimate-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** A docs folder of `pages` pages. */
  const docs = (name: string, pages: number) => {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < pages; i++) writeFileSync(join(dir, `page-${i}.md`), `# Page ${i}\n`);
    return dir;
  };
  /** A site folder whose last build recorded `record` (written as is). */
  const site = (name: string, record?: string) => {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    if (record !== undefined) writeFileSync(join(dir, '.docent-build-time.json'), record);
    return dir;
  };

  it('is a typical machine\'s time with no build recorded: 30 s, then 0.03 s a page', () => {
    const content = docs('typical', 1000);
    expect(estimatedBuildSeconds(content)).toBe(60);
    expect(estimatedBuildSeconds(content, site('never-built'))).toBe(60);
  });

  it('is the last build\'s measured time when the pages are as many', () => {
    const content = docs('same', 100);
    expect(estimatedBuildSeconds(content, site('slow-machine', JSON.stringify({ seconds: 99, pages: 100 })))).toBe(99);
    expect(estimatedBuildSeconds(content, site('fast-machine', JSON.stringify({ seconds: 11, pages: 100 })))).toBe(11);
  });

  it('scales the last build\'s time to the pages now, at the speed that build measured', () => {
    // Built 0 pages in 60 s: twice a typical machine's time; 1000 pages take it twice 60 s.
    const content = docs('grown', 1000);
    expect(estimatedBuildSeconds(content, site('twice-slower', JSON.stringify({ seconds: 60, pages: 0 })))).toBe(120);
    // Built 2000 pages in 45 s: half a typical machine's 90 s; 1000 pages take it 30 s.
    expect(estimatedBuildSeconds(content, site('twice-faster', JSON.stringify({ seconds: 45, pages: 2000 })))).toBe(30);
  });

  it('falls back to a typical machine\'s time when the record is unreadable', () => {
    const content = docs('damaged', 1000);
    for (const [name, record] of [['truncated', '{"seconds": 4'], ['negative', '{"seconds": -3, "pages": 10}'], ['not-numbers', '{"seconds": "fast", "pages": 10}']] as const) {
      expect(lastBuildDuration(site(name, record))).toBeUndefined();
      expect(estimatedBuildSeconds(content, site(name))).toBe(60);
    }
  });
});
