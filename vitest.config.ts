import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globals: false,
    globalSetup: ['test/setup/build.ts', 'test/setup/postgres.ts', 'test/setup/redis.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest leaves one core free by default; on the project's 2-core machines that halves the speed.
    maxWorkers: 2,
    // No test mocks modules, fakes timers or changes globals, so the files of a worker share one
    // module graph: the R4 base, date-holidays, fhirpath and the test runtime load once per
    // worker instead of once per file. (The medplum equivalence corpus, the slowest file by far,
    // stays in this one project: a project of its own was scheduled after all the others.)
    isolate: false,
    // Tests that measure this process's memory run in a process of their own: other files'
    // leftovers sharing the heap would make their figures someone else's.
    projects: [
      { extends: true, test: { name: 'pont', include: ['test/**/*.test.ts'], exclude: ['test/**/*-memory.test.ts'] } },
      { extends: true, test: { name: 'memory', include: ['test/**/*-memory.test.ts'], isolate: true } },
    ],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
