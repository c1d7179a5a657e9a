/**
 * Which vitest project a test file belongs to (vitest.config.ts; docs/contributing.md, "Test
 * projects"). A file not listed here is a `unit` test. test/ci/projects.test.ts checks that every
 * entry names an existing test file.
 */

/** Verdicts that depend on wall-clock time: run after the others, two files at a time at most, with generous bounds. */
export const TIMING = [
  'test/mps/events/counterStress.test.ts',
  'test/stress/orchestration.separate.test.ts',
  'test/stress/orchestration.shared.test.ts',
  'test/stress/watchdog.test.ts',
  'test/mps/explore/limits.test.ts',
  'test/cli/interrupt.test.ts',
  'test/cli/outputs.test.ts',
  'test/diff/strictInputs.test.ts',
  'test/check/safetensors.test.ts',
] as const;

/** Tests that start processes: the real executable, GPU stress and soak runs, the package, a compiler, a browser. */
export const PROCESS = [
  'test/cli/check.test.ts',
  'test/cli/diff.test.ts',
  'test/cli/epipe.test.ts',
  'test/cli/explore.test.ts',
  'test/cli/fuzz.test.ts',
  'test/gpu/probe.test.ts',
  'test/stress/crash.test.ts',
  'test/stress/gpu.test.ts',
  'test/stress/soak.test.ts',
  'test/package/pack.test.ts',
  'test/mps/alignUp.oracle.test.ts',
  'test/diff/html.test.ts',
  'test/check/forms.test.ts',
  'test/util/entry.test.ts',
] as const;

/** Tests that need the WebGPU adapter (and nothing above). */
export const GPU = [
  'test/gpu/alignUp.test.ts',
  'test/gpu/device.test.ts',
  'test/gpu/eventIds.test.ts',
  'test/gpu/fold.test.ts',
  'test/gpu/gemmOrder.test.ts',
  'test/gpu/roundTrip.test.ts',
  'test/gpu/boundaries.test.ts',
  'test/gpu/chunking.test.ts',
  'test/ops/*/kernel.test.ts',
  'test/diff/differential.test.ts',
  'test/cli/contradictions.test.ts',
  'test/cli/progress.test.ts',
] as const;

export const ALL_TESTS = 'test/**/*.test.ts';
