/**
 * refsim stress on the real GPU (lavapipe in CI): worker threads with their own devices, and
 * worker threads sharing one device through the owner thread, every op verified against the
 * reference with the checker's rules; then the failure paths on real devices, including a device
 * destroyed under running work. The hang (a watchdog verdict, timing-sensitive) is in watchdog.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { readFixture } from '../../src/diff/fixture.ts';
import { runStress } from '../../src/stress/run.ts';
import type { StressReport } from '../../src/stress/types.ts';
import { runMain } from '../cli/inProcess.ts';
import { describeGpu, isLavapipe, testBackend } from '../support/gpu.ts';
import { probedStressOptions } from './gpuOptions.ts';

const dir = mkdtempSync(join(tmpdir(), 'refsim-stress-gpu-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeGpu('refsim stress on the GPU', (gpu) => {
  const opts = probedStressOptions(gpu, dir);

  const expectClean = (r: StressReport, ops: number): void => {
    expect(r.failures, JSON.stringify(r.failures, null, 1)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.passed).toBe(ops);
    expect(r.perThread.map((t) => t.state)).toEqual(['done', 'done', 'done', 'done']);
    expect(r.ids).toMatchObject({ taken: ops, unique: ops, ok: true, min: '1', max: String(ops) });
    expect(r.adapter?.description).toBe(gpu().adapter.description);
    if (isLavapipe(gpu())) {
      // lavapipe is strict IEEE and the block kernel follows the reference's order: every element exact.
      const v = r.perThread.reduce((a, t) => ({ within: a.within + t.verdicts.withinBound, violation: a.violation + t.verdicts.violation }), { within: 0, violation: 0 });
      expect(v).toEqual({ within: 0, violation: 0 });
    }
  };

  it.each(['separate', 'shared'] as const)('%s mode: 4 threads, every op verified, ids unique', async (mode) => {
    expectClean(await runStress(opts(mode, 12)), 12);
  });

  it('shared mode with batches and cached references: each op still verified on its own', async () => {
    expectClean(await runStress(opts('shared', 16, '', { batch: 3, depth: 2, distinct: 2 })), 16);
    // A wrong result in the middle of a batch, with recurring inputs: the op and its input set are named.
    const r = await runStress(opts('shared', 16, 'wrong:1:2', { batch: 3, distinct: 2 }));
    expect(r.failures.map((f) => [f.thread, f.op, f.kind])).toEqual([[1, 2, 'wrong']]);
    expect(r.passed).toBe(15);
    expect(readFixture(r.failures[0]!.fixture!).generator.path).toBe('1:0');
  });

  it('the CLI measures the profile with the probe by default and prints the seed-form line', async () => {
    const backend = testBackend();
    const r = await runMain(['stress', '--threads', '2', '--ops', '4', '--shape', '1x4x6x6', '--seed', '3', '--fixtures', dir, ...(backend === undefined ? [] : ['--backend', backend])]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^DepthwiseConv\+GroupNorm: 4\/4 in \d+\.\d\ds, errors=0\n/);
    expect(r.stdout).toMatch(/verdicts: profile (strict|fma), div ≤[\d.]+ ULP.* \(GPU probe\)/);
    expect(r.stdout).toContain(`device: ${gpu().adapter.description}`);
    expect(r.stdout).toMatch(/event ids: 4 taken, 4 unique, range 1\.\.4: PASS/);
  });

  it('shared mode: destroying the one device is reported by the workers whose ops it took', async () => {
    // The wrong result is thread 2's op 0: with depth 1 it is verified before that thread sends the
    // op that destroys the device. (On another thread it raced the loss: an op still in flight
    // when the device goes is lost, not wrong.)
    const r = await runStress(opts('shared', 16, 'wrong:2:0,lost:2:2', { depth: 1 }));
    expect(r.ok).toBe(false);
    expect(r.failures.filter((f) => f.kind === 'wrong').map((f) => [f.thread, f.op])).toEqual([[2, 0]]);
    const lost = r.failures.filter((f) => f.kind === 'device-lost');
    expect(lost.some((f) => f.thread === 2 && f.op === 2)).toBe(true);
    expect(r.perThread[2]!.state).toBe('device-lost');
    expect(r.ids.ok).toBe(true);
  });
});
