import { availableParallelism } from 'node:os';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { ALL_TESTS, GPU, PROCESS, TIMING } from './test/support/projects.ts';
import SlowProjectsFirst from './test/support/sequencer.ts';

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
 *   limits, Ctrl-C, "at once" bounds): a later sequence group, so they run after the other
 *   projects, at most two files at a time (their bounds allow for that much load); timeouts
 *   doubled.
 * The process files start first (test/support/sequencer.ts): they are the long ones.
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
    // Child processes and worker threads start from the compiled dist/, which globalSetup builds
    // first: no tsx in each child (src/util/entry.ts). test/util/entry.test.ts keeps the tsx path.
    // REFSIM_TEST_CHILDREN_FROM_DIST=0 keeps every child on tsx and skips the build (a machine
    // without the compiler, such as the GPU machine).
    globalSetup: ['test/support/buildDist.ts'],
    env: { REFSIM_TEST_CHILDREN_FROM_DIST: process.env['REFSIM_TEST_CHILDREN_FROM_DIST'] === '0' ? '0' : '1' },
    sequence: { sequencer: SlowProjectsFirst },
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
      project('timing', TIMING, { sequence: { groupOrder: 1 }, maxWorkers: 2, testTimeout: 240_000, hookTimeout: 240_000 }),
    ],
  },
});
