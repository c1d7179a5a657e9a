/**
 * Native crashes under `refsim stress` on a real device (lavapipe in CI): the segv fault makes the
 * process holding a device kill itself with SIGSEGV while an op is in flight, as a Dawn or driver
 * segfault would. The orchestrator must survive it, report the signal, thread, ops and ids, save
 * every in-flight case as a fixture `refsim repro` replays in a fresh process, go on or stop as
 * --on-crash says, and exit 1. Without isolation the same fault ends the whole process, unreported.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { fixtureCase, readFixture } from '../../src/diff/fixture.ts';
import { makeBlockCase, parseBlockShape } from '../../src/stress/blockCase.ts';
import { parseFaults } from '../../src/stress/fault.ts';
import { stressExitCode } from '../../src/stress/outcome.ts';
import { runStress } from '../../src/stress/run.ts';
import type { NativeCrash, OnCrash, StressMode, StressOptions, StressReport } from '../../src/stress/types.ts';
import { runCli } from '../support/cli.ts';
import { describeGpu, testBackend } from '../support/gpu.ts';

const dir = mkdtempSync(join(tmpdir(), 'refsim-stress-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const shape = parseBlockShape('1x4x6x6');
const SEED = 4242;
const backendArgs = (): string[] => {
  const b = testBackend();
  return b === undefined ? [] : ['--backend', b];
};

/** Two threads of 6 ops, one submission in flight each; thread 1's device process dies at its op 2. */
const opts = (mode: StressMode, onCrash: OnCrash): StressOptions => {
  const backend = testBackend();
  return {
    threads: 2, ops: 12, mode, shape, seed: SEED, timeoutMs: 30_000, engine: 'gpu', fixtureDir: join(dir, `${mode}-${onCrash}`),
    faults: parseFaults('segv:1:2'), batch: 1, distinct: null, depth: 1, profile: 'strict', isolation: 'process', onCrash,
    ...(backend === undefined ? {} : { backend }),
  };
};

const bitsOf = (c: ReturnType<typeof makeBlockCase>): Record<string, number[]> =>
  Object.fromEntries(Object.entries(c.inputs).map(([k, t]) => [k, Array.from(new Uint32Array(t!.data.buffer, t!.data.byteOffset, t!.data.length))]));

/** The run's one native crash, after checking it is the only failure and the report says so. */
function theCrash(r: StressReport): NativeCrash {
  expect(r.failures.map((f) => f.kind), JSON.stringify(r.failures, null, 1)).toEqual(['native-crash']);
  expect(r.ok).toBe(false);
  expect(stressExitCode(r)).toBe(1);
  const c = r.failures[0]!.crash!;
  expect(c).toMatchObject({ signal: 'SIGSEGV', generation: 1, seed: SEED });
  // Every in-flight case is saved with the inputs that op had.
  for (const f of c.inFlight) {
    expect(f.fixture, `fixture of thread ${f.thread} op ${f.op}`).not.toBeNull();
    expect(readFixture(f.fixture!).generator).toMatchObject({ seed: SEED, path: `${f.thread}:${f.op}` });
    expect(bitsOf(fixtureCase(readFixture(f.fixture!)))).toEqual(bitsOf(makeBlockCase(shape, SEED, f.thread, f.op)));
  }
  return c;
}

describeGpu('native crashes in refsim stress (process isolation)', () => {
  it('separate, --on-crash continue: thread 1 gets a fresh device process and finishes; the rest is untouched', async () => {
    const r = await runStress(opts('separate', 'continue'));
    const c = theCrash(r);
    expect(c.thread).toBe(1);
    expect(c.outcome).toBe('restarted');
    expect(c.inFlight.map((f) => [f.thread, f.op, f.submission])).toEqual([[1, 2, 2]]);
    // Thread 1 had taken no id after op 2's when it reported the crash.
    expect(c.lastIds[1]).toBe(c.inFlight[0]!.id);
    expect(r.crashSummary).toBe('1 native crash in thread 1 (SIGSEGV) during op 2');
    expect(r.perThread.map((t) => [t.state, t.completed, t.restarts])).toEqual([['done', 6, 0], ['done', 5, 1]]);
    expect(r.passed).toBe(11);
    // The lost op took its id: all 12 ids were handed out exactly once.
    expect(r.ids).toMatchObject({ taken: 12, unique: 12, ok: true });
  });

  it('separate, --on-crash stop: thread 1 ends at the crash; thread 0 finishes', async () => {
    const r = await runStress(opts('separate', 'stop'));
    const c = theCrash(r);
    expect(c).toMatchObject({ thread: 1, outcome: 'stopped' });
    expect(c.inFlight.map((f) => [f.thread, f.op])).toEqual([[1, 2]]);
    expect(r.perThread.map((t) => [t.state, t.completed, t.restarts])).toEqual([['done', 6, 0], ['native-crash', 2, 0]]);
    expect(r.ids).toMatchObject({ taken: 6 + 3, ok: true });
  });

  it('shared, --on-crash continue: one crash of the shared device, a fresh one serves every thread to the end', async () => {
    const r = await runStress(opts('shared', 'continue'));
    const c = theCrash(r);
    expect(c).toMatchObject({ thread: null, outcome: 'restarted' });
    expect(c.inFlight.some((f) => f.thread === 1 && f.op === 2)).toBe(true);
    expect(r.crashSummary).toMatch(/^1 native crash in the shared device \(SIGSEGV\) during .*thread 1 op 2/);
    expect(r.perThread.map((t) => t.state)).toEqual(['done', 'done']);
    expect(r.completed).toBe(12 - c.inFlight.length);
    expect(r.ids).toMatchObject({ taken: 12, unique: 12, ok: true });
  });

  it('shared, --on-crash stop: the shared device is everyone\'s, so every thread ends', async () => {
    const r = await runStress(opts('shared', 'stop'));
    const c = theCrash(r);
    expect(c).toMatchObject({ thread: null, outcome: 'stopped' });
    expect(c.inFlight.some((f) => f.thread === 1 && f.op === 2)).toBe(true);
    expect(r.perThread.map((t) => t.state)).toEqual(['native-crash', 'native-crash']);
    expect(r.ids.ok).toBe(true);
  });

  it('the CLI survives, prints the one-line summary, exits 1, and refsim repro replays the fixture in a fresh process', () => {
    const fixtures = join(dir, 'cli');
    const args = ['stress', '--threads', '2', '--ops', '6', '--shape', '1x4x6x6', '--seed', '9', '--profile', 'strict', '--depth', '1', '--fixtures', fixtures, ...backendArgs()];
    const r = runCli([...args, '--json'], { env: { REFSIM_STRESS_FAULT: 'segv:0:1' }, timeoutMs: 180_000 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('refsim stress: 1 native crash in thread 0 (SIGSEGV) during op 1\n');
    const j = JSON.parse(r.stdout) as StressReport;
    expect(j.failures).toHaveLength(1);
    expect(j.failures[0]).toMatchObject({ thread: 0, op: 1, kind: 'native-crash' });
    expect(j.perThread.map((t) => t.completed)).toEqual([2, 3]);
    const fixture = j.failures[0]!.crash!.inFlight[0]!.fixture!;
    expect(j.failures[0]!.fixture).toBe(fixture);
    const repro = runCli(['repro', fixture, ...backendArgs()], { timeoutMs: 120_000 });
    expect(repro.stdout, repro.stderr).toMatch(/mismatch does not reproduce/);
    expect(repro.code).toBe(0);

    const text = runCli(args, { env: { REFSIM_STRESS_FAULT: 'segv:0:1' }, timeoutMs: 180_000 });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^ {2}thread 0 \(device process 1\): native crash: SIGSEGV; 1 op\(s\) in flight; a fresh device process took over$/m);
    expect(text.stdout).toMatch(/^ {4}in flight: thread 0 op 1 \(event id \d+, submission 1\); inputs saved: .*mismatch-depthwiseSeparableBlock-[0-9a-f]{12}\.json$/m);
    expect(text.stdout.trimEnd().split('\n').slice(-2)).toEqual(['1 native crash in thread 0 (SIGSEGV) during op 1', 'DepthwiseConv+GroupNorm stress test: FAIL']);
  });

  it('control: with --isolation thread the same fault kills the whole process and nothing is reported', () => {
    const r = runCli(['stress', '--threads', '2', '--ops', '6', '--shape', '1x4x6x6', '--seed', '9', '--profile', 'strict', '--isolation', 'thread', '--fixtures', join(dir, 'thread'), ...backendArgs()], {
      env: { REFSIM_STRESS_FAULT: 'segv:0:1' }, timeoutMs: 180_000,
    });
    expect(r.signal).toBe('SIGSEGV');
    expect(r.stdout).toBe('');
  });
});
