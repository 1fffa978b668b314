import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Generous: e2e tests spawn the CLI and servers, which a shared 2-core machine can slow several-fold.
    // A timeout here only catches hangs; speed is measured by bench/, never asserted in tests.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // `npm run coverage` only (scripts/coverage.mjs, not `npm test`): this measures the test workers; the
    // setup file makes the children that tests spawn dump V8 coverage, which the script merges in.
    setupFiles: ['test/support/child-coverage.ts'],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      // Not product code: tests, test support that only tests import, and type declarations (no statements).
      exclude: ['src/**/*.test.ts', 'src/**/test-helpers.ts', 'src/**/*.d.ts'],
      reporter: ['text-summary', 'text', 'json-summary'],
      reportsDirectory: 'coverage',
    },
  },
});
