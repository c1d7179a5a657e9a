/**
 * Opt-in, for machines with the memory (the H100 box): REFSIM_GPU_BIG_GIB=<GiB> runs one linear
 * whose output is that many GiB — above every device's storage limit once it passes 4 GiB (the
 * kernels' u32 indexing, src/gpu/limits.ts), so it runs in chunks (docs/gpu-limits.md). It runs
 * in this process: the isolated GPU's IPC carries one message per batch, bounded by Node's Buffer
 * size. x is [n, 1] and W is [n, 1], so every output is `+0 + x·w` (one product, exact for these
 * values, −0 products giving +0 in both profiles), checked on the host without the reference.
 */
import { describe, expect, it } from 'vitest';
import { destroyAllGpus, openGpu } from '../../src/gpu/device.ts';
import { storageLimit } from '../../src/gpu/limits.ts';
import { gpuOps } from '../../src/gpu/registry.ts';
import { testBackend } from '../support/gpu.ts';

const gib = Number(process.env['REFSIM_GPU_BIG_GIB'] ?? '');
const enabled = Number.isFinite(gib) && gib > 0;

// Quarters in [−8, 8): every product is exact in float32.
const xAt = (i: number): number => ((i * 7) % 64) / 4 - 8;
const wAt = (j: number): number => ((j * 13 + 5) % 64) / 4 - 8;

describe.skipIf(!enabled)(`an output of ${gib} GiB (REFSIM_GPU_BIG_GIB)`, () => {
  it('linear [n, 1] · [n, 1]ᵀ equals x·w at every output', async () => {
    const n = Math.ceil(Math.sqrt((gib * 2 ** 30) / 4));
    const backend = testBackend();
    const ctx = await openGpu(backend === undefined ? {} : { backend });
    try {
      const limit = storageLimit(ctx);
      process.stderr.write(`[big output] ${n}×${n} float32 = ${((n * n * 4) / 2 ** 30).toFixed(2)} GiB; one buffer holds ${limit.bytes} bytes (${limit.name})\n`);
      const x = Float32Array.from({ length: n }, (_, i) => xAt(i));
      const w = Float32Array.from({ length: n }, (_, j) => wAt(j));
      const c = { op: 'linear' as const, params: {}, inputs: { x: { shape: [n, 1], data: x }, weight: { shape: [n, 1], data: w }, bias: null } };
      const [y] = await gpuOps.linear.runBatch(ctx, [c]);
      expect(y!.shape).toEqual([n, n]);
      const bad: string[] = [];
      let count = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const want = x[i]! * w[j]! + 0; // + 0 turns a −0 product into +0, as +0 + x·w does
          const got = y!.data[i * n + j]!;
          if (!Object.is(got, want)) {
            count++;
            if (bad.length < 20) bad.push(`[${i}, ${j}]: got ${got}, want ${want}`);
          }
        }
      }
      expect(count, bad.join('\n')).toBe(0);
    } finally {
      ctx.destroy();
      destroyAllGpus();
    }
  }, 600_000);
});
