import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // No test depends on timing any more (schedules and politeness run on fake time, speed is in
    // `npm run bench`). The end-to-end files mostly wait on CLI children, so three workers keep the
    // 2 cores busy where vitest's default (cores - 1) would run one file at a time.
    maxWorkers: 3,
  },
});
