import { defineConfig } from 'vitest/config';
import SlowFilesFirstSequencer from './test/setup/slow-files-first-sequencer';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Builds the fixture docs site once per run (cached) for the site and browser tests.
    globalSetup: ['test/setup/site-build.ts'],
    // PGlite is WebAssembly: separate processes keep each file's memory to itself.
    pool: 'forks',
    // One file at a time on CI's two cores (vitest's default: one fewer worker than cores). Two
    // at a time measured slower (BENCHMARKS.md, "Test suite on two cores"): side by side, PGlite
    // and chromium files slow each other down more than they overlap. The eval gate runs
    // ~20 minutes: started first, its result is known early.
    sequence: { sequencer: SlowFilesFirstSequencer },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits for a page or a server to get somewhere (an answer streamed, a tab
    // reloaded): vitest's default of 1 s is less than that takes on CI's two cores shared with
    // other test files. A poll still ends as soon as its condition holds.
    expect: { poll: { timeout: 10_000 } },
  },
});
