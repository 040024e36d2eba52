import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { SLOW_FILES_FIRST, startFirst } from './setup/slow-files-first-sequencer';

const root = '/repo';
const spec = (path: string) => ({ moduleId: `${root}/${path}` });

describe('startFirst', () => {
  it('moves the named files to the front in the order named, keeping the others in order', () => {
    const files = ['test/a.test.ts', 'test/slow2.test.ts', 'test/b.test.ts', 'test/slow1.test.ts', 'test/c.test.ts'].map(spec);
    const sorted = startFirst(files, ['test/slow1.test.ts', 'test/slow2.test.ts'], root);
    expect(sorted.map((file) => file.moduleId)).toEqual(
      ['test/slow1.test.ts', 'test/slow2.test.ts', 'test/a.test.ts', 'test/b.test.ts', 'test/c.test.ts'].map((path) => `${root}/${path}`),
    );
  });

  it('matches paths relative to the root, with or without a trailing slash', () => {
    const files = [spec('test/a.test.ts'), spec('test/slow.test.ts')];
    expect(startFirst(files, ['test/slow.test.ts'], `${root}/`)[0]).toBe(files[1]);
    expect(startFirst(files, ['slow.test.ts'], root)[0]).toBe(files[0]);
  });

  it('leaves the order alone when a named file is not in this run', () => {
    const files = [spec('test/b.test.ts'), spec('test/a.test.ts')];
    expect(startFirst(files, ['test/eval.gate.test.ts'], root)).toEqual(files);
  });
});

describe('SLOW_FILES_FIRST', () => {
  it('names test files that exist (a renamed file would silently fall back to size order)', () => {
    for (const path of SLOW_FILES_FIRST) expect(existsSync(resolve(path)), path).toBe(true);
  });
});
