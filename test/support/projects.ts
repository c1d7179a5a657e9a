/**
 * Which vitest project a test file belongs to (vitest.config.ts; docs/contributing.md, "Test
 * projects"). A file not listed here is a `unit` test. test/ci/projects.test.ts checks that every
 * entry names an existing test file.
 *
 * Each list runs longest first (test/support/sequencer.ts starts files in list order): with two
 * workers, a long file started last would run alone at the end. Keep new long files near the top.
 */

/** Verdicts that depend on wall-clock time: run after the others, two files at a time at most, with generous bounds. */
export const TIMING = [
  'test/stress/watchdog.test.ts',
  'test/stress/orchestration.shared.test.ts',
  'test/stress/orchestration.separate.test.ts',
  'test/cli/interrupt.test.ts',
  'test/mps/explore/limits.test.ts',
  'test/mps/events/counterStress.test.ts',
  'test/diff/strictInputs.test.ts',
  'test/cli/outputs.test.ts',
  'test/check/safetensors.test.ts',
] as const;

/** Tests that start processes: the real executable, GPU stress and soak runs, the package, a compiler, a browser. */
export const PROCESS = [
  'test/package/pack.test.ts',
  'test/cli/fuzz.test.ts',
  'test/stress/crash.test.ts',
  'test/stress/soak.test.ts',
  'test/stress/gpu.test.ts',
  'test/cli/diff.test.ts',
  'test/gpu/probe.test.ts',
  'test/cli/explore.test.ts',
  'test/util/entry.test.ts',
  'test/cli/check.test.ts',
  'test/diff/html.test.ts',
  'test/check/forms.test.ts',
  'test/cli/epipe.test.ts',
  'test/mps/alignUp.oracle.test.ts',
] as const;

/** Tests that need the WebGPU adapter (and nothing above). */
export const GPU = [
  'test/gpu/device.test.ts',
  'test/gpu/gemmOrder.test.ts',
  'test/ops/*/kernel.test.ts',
  'test/gpu/boundaries.test.ts',
  'test/cli/progress.test.ts',
  'test/gpu/chunking.test.ts',
  'test/gpu/fold.test.ts',
  'test/cli/contradictions.test.ts',
  'test/gpu/roundTrip.test.ts',
  'test/diff/differential.test.ts',
  'test/gpu/eventIds.test.ts',
  'test/gpu/alignUp.test.ts',
] as const;

export const ALL_TESTS = 'test/**/*.test.ts';

/** Whether `file` (a path from the repository root, `/`-separated) is what `entry` names: a path, or a pattern whose only wildcard is one `*` directory. */
export function entryMatches(entry: string, file: string): boolean {
  if (!entry.includes('*')) return entry === file;
  const [head = '', tail = ''] = entry.split('*');
  return file.startsWith(head) && file.endsWith(tail) && !file.slice(head.length, file.length - tail.length).includes('/') && file.length > head.length + tail.length;
}

/** The place of `file` in `list` (the index of the first entry naming it), or the list's length when none does. */
export function listRank(list: readonly string[], file: string): number {
  const i = list.findIndex((e) => entryMatches(e, file));
  return i < 0 ? list.length : i;
}
