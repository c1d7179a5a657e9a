/**
 * The stress watchdog on the real GPU: a thread that stops making progress is declared hung after
 * the run's timeout, beside a crash, a wrong result and a lost device in the other threads. The
 * verdict depends on wall-clock time (a thread slowed down by a loaded machine looks hung too), so
 * this runs in the `timing` project, alone on the machine. The hung thread may be left behind
 * busy (src/stress/run.ts), which ends with this file's process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { readFixture } from '../../src/diff/fixture.ts';
import { runStress } from '../../src/stress/run.ts';
import { runMain } from '../cli/inProcess.ts';
import { describeGpu, testBackend } from '../support/gpu.ts';
import { probedStressOptions } from './gpuOptions.ts';

const dir = mkdtempSync(join(tmpdir(), 'refsim-stress-watchdog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeGpu('refsim stress on the GPU', (gpu) => {
  const opts = probedStressOptions(gpu, dir);

  it('separate mode: a crash, a hang, a wrong result and a lost device, each at its thread and op', async () => {
    const r = await runStress(opts('separate', 12, 'crash:0:1,hang:1:1,wrong:2:1,lost:3:1', { depth: 1, timeoutMs: 4000 }));
    expect(r.ok).toBe(false);
    expect(r.failures.map((f) => [f.thread, f.op, f.kind])).toEqual([[0, 1, 'crash'], [1, 1, 'hang'], [2, 1, 'wrong'], [3, 1, 'device-lost']]);
    expect(r.perThread.map((t) => t.state)).toEqual(['crashed', 'hung', 'done', 'device-lost']);
    expect(r.perThread.map((t) => t.completed)).toEqual([1, 1, 3, 1]);
    expect(r.passed).toBe(1 + 1 + 2 + 1);
    expect(r.ids).toMatchObject({ taken: 2 + 2 + 3 + 2, ok: true });
    for (const f of r.failures) {
      const fx = readFixture(f.fixture!);
      expect(fx.generator.path).toBe(`${f.thread}:${f.op}`);
      expect(fx.adapter.description).toBe(gpu().adapter.description);
    }
    expect(r.failures[3]!.message).toMatch(/lost/i);
    // refsim repro reads a stress fixture like any other: the injected wrong result does not reproduce.
    const backend = testBackend();
    const repro = await runMain(['repro', r.failures[2]!.fixture!, ...(backend === undefined ? [] : ['--backend', backend])]);
    expect(repro.stdout, repro.stderr).toMatch(/mismatch does not reproduce/);
    expect(repro.code).toBe(0);
  });
});
