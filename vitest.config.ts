import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // No test depends on timing any more (schedules and politeness run on fake time, speed is in
    // `npm run bench`). The end-to-end files mostly wait on CLI children, Redis and Chromium, so
    // four workers keep the 2 cores busy where vitest's default (cores - 1) runs one file at a time.
    maxWorkers: 4,
    // A worker keeps its module cache from one file to the next instead of importing cheerio,
    // undici, BullMQ and the pipeline again for each of the 120 files: 113 s of CPU for the suite
    // instead of 152 s. No test mocks modules or stubs globals, fake timers are restored after
    // each file, and the env a test sets is its own children's; unstub anyway, in case one does.
    isolate: false,
    unstubEnvs: true,
    unstubGlobals: true,
  },
});
