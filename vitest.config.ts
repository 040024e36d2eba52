import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Builds the fixture docs site once per run (cached) for the site and browser tests.
    globalSetup: ['test/setup/site-build.ts'],
    // PGlite is WebAssembly: separate processes keep each file's memory to itself.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
