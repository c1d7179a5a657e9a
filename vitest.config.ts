import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property tests and worker-thread tests are CPU heavy; CI has 2 cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
