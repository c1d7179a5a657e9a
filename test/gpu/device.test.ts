import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { GpuCrashError, NoAdapterError } from '../../src/gpu/errors.ts';
import { IsolatedGpu } from '../../src/gpu/isolate.ts';
import type { BackendName } from '../../src/gpu/types.ts';
import type { OpCase } from '../../src/ops/types.ts';
import { tensor } from '../../src/reference/tensor.ts';
import { describeGpu } from '../support/gpu.ts';

const lifetime = fileURLToPath(new URL('./fixtures/lifetime.ts', import.meta.url));
const absentBackend: BackendName = process.platform === 'darwin' ? 'd3d12' : 'metal';
const reluCase = (first: number): OpCase => ({ op: 'relu', params: {}, inputs: { x: tensor([2], [first, -0]) } });

describeGpu('gpu device lifetime and isolation', (gpu) => {
  it('survives many open/destroy cycles with GC in between and lets the process exit', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', lifetime, '25'], { encoding: 'utf8', timeout: 90_000 });
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('ok 25 live=0');
  });

  it('reports a missing backend as NoAdapterError naming it', async () => {
    const err = await IsolatedGpu.open({ backend: absentBackend }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoAdapterError);
    expect((err as Error).message).toContain(absentBackend);
  });

  it('reports a native crash with the op, the case and the signal, then keeps working', async () => {
    const marker = 1234.5;
    const saved = process.env['REFSIM_TEST_CRASH_MARKER'];
    process.env['REFSIM_TEST_CRASH_MARKER'] = String(marker);
    let crashing: IsolatedGpu | null = null;
    try {
      crashing = await IsolatedGpu.open(gpu().adapter.backend === 'opengles' ? { backend: 'opengles' } : {});
      const cases = [1, 2, 3, marker, 5].map(reluCase);
      const err = await crashing.runBatch('relu', cases).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GpuCrashError);
      const crash = err as GpuCrashError;
      expect(crash.where).toEqual({ op: 'relu', caseIndex: 3 });
      expect(crash.signal).toBe('SIGSEGV');
      expect(crash.message).toMatch(/relu case 3.*SIGSEGV/);
      // A fresh child replaces the dead one.
      const [y] = await crashing.runBatch('relu', [reluCase(-7)]);
      expect(Array.from(y?.data ?? [])).toEqual([0, -0]);
      expect(Object.is(y?.data[1], -0)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env['REFSIM_TEST_CRASH_MARKER'];
      else process.env['REFSIM_TEST_CRASH_MARKER'] = saved;
      await crashing?.close();
    }
  });

  it('returns typed errors from the child for bad jobs', async () => {
    await expect(gpu().runBatch('relu', [{ op: 'relu', params: {}, inputs: {} }])).rejects.toThrow(/inputs\.x must be a tensor/);
    await expect(gpu().job('no-such-job', {})).rejects.toThrow(RangeError);
  });
});
