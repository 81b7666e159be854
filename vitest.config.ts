import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The machine has 2 cores; more workers only add contention to timing-sensitive server tests.
    maxWorkers: 2,
  },
});
