import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Pins fast-check's global seed to REFSIM_SEED (test/support/seed.ts).
    setupFiles: ['test/support/fcGlobal.ts'],
    // Property tests and worker-thread tests are CPU heavy; CI has 2 cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
