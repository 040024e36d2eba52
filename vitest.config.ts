import { defineConfig } from 'vitest/config';
import SlowFilesFirstSequencer from './test/setup/slow-files-first-sequencer';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Builds the fixture docs site once per run (cached) for the site and browser tests.
    globalSetup: ['test/setup/site-build.ts'],
    // PGlite is WebAssembly: separate processes keep each file's memory to itself.
    pool: 'forks',
    // Two files at a time. Vitest's default is one fewer than the cores, which on CI's two cores
    // is one file at a time: the run took the sum of all files (~70 minutes of a 90-minute cap).
    maxWorkers: 2,
    // The eval gate runs ~20 minutes: start it first so the other files share the second worker
    // while it runs, instead of it running alone at the end.
    sequence: { sequencer: SlowFilesFirstSequencer },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits for a page or a server to get somewhere (an answer streamed, a tab
    // reloaded): vitest's default of 1 s is less than that takes on CI's two cores shared with
    // other test files. A poll still ends as soon as its condition holds.
    expect: { poll: { timeout: 10_000 } },
  },
});
