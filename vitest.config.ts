import { availableParallelism } from 'node:os';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { ALL_TESTS, GPU, PROCESS, TIMING } from './test/support/projects.ts';

/**
 * Four projects (docs/contributing.md, "Test projects"; the file lists: test/support/projects.ts);
 * `npm test` runs them all.
 * - unit: in-process CPU tests (reference, bounds, checker logic, MPS models, the CLI through
 *   main(argv)).
 * - gpu: kernels and GPU jobs on the WebGPU adapter (lavapipe in CI); each worker keeps one
 *   isolated GPU child for all its files (test/support/gpu.ts), since opening Dawn is costly.
 * - process: tests that start processes (the real executable, GPU stress and soak runs, the packed
 *   package, a compiler, a browser).
 * - timing: verdicts that depend on wall-clock time (counter contention, stress watchdogs, time
 *   limits, Ctrl-C, "at once" bounds): with no file parallelism vitest runs them after the other
 *   projects, one file at a time, so nothing else loads the machine; timeouts doubled.
 * The first three share worker processes between their files (isolate: false): no process start and
 * module graph per file.
 */
const project = (name: string, include: readonly string[], test: TestProjectInlineConfiguration['test'] = {}): TestProjectInlineConfiguration => ({
  extends: true,
  test: { name, include: [...include], ...test },
});

export default defineConfig({
  test: {
    // Pins fast-check's global seed to REFSIM_SEED (test/support/seed.ts).
    setupFiles: ['test/support/fcGlobal.ts'],
    // Property tests and worker-thread tests are CPU heavy; CI has 2 cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Many tests wait on child processes and GPU work: one worker per core keeps the cores busy,
    // where vitest's default (cores − 1) would run one file at a time on the 2-core CI machine.
    maxWorkers: Math.max(2, availableParallelism()),
    projects: [
      project('unit', [ALL_TESTS], { exclude: [...TIMING, ...PROCESS, ...GPU], isolate: false }),
      project('gpu', GPU, { isolate: false }),
      project('process', PROCESS, { isolate: false }),
      project('timing', TIMING, { fileParallelism: false, testTimeout: 240_000, hookTimeout: 240_000 }),
    ],
  },
});
