import { configDefaults, defineConfig } from 'vitest/config';

/** The equivalence corpus against medplum: by far the slowest file, in a worker of its own. */
const EQUIVALENCE = ['test/fhir/base-equivalence.test.ts'];

export default defineConfig({
  test: {
    globals: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/helpers/build-dist.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...EQUIVALENCE],
          // No test mocks modules, fakes timers or changes globals, and the modules they share
          // (the R4 base, date-holidays, fhirpath, the test runtime) are loaded once per worker.
          isolate: false,
        },
      },
      { extends: true, test: { name: 'equivalence', include: EQUIVALENCE } },
    ],
  },
});
