import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // PGlite is WebAssembly: separate processes keep each file's memory to itself.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
