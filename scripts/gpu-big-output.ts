/**
 * For machines with the memory (the H100 box), not part of `npm test`: one linear whose output is
 * GIB GiB — above every device's storage limit once it passes 4 GiB (the kernels' u32 indexing,
 * src/gpu/limits.ts), so it runs in chunks (docs/gpu-limits.md). In this process: the isolated
 * GPU's IPC carries one message per batch, bounded by Node's Buffer size. x is [n, 1] and W is
 * [n, 1], so every output is `+0 + x·w` (one product, exact for these values, −0 products giving
 * +0 in both profiles), checked on the host without the reference.
 *
 *   node --import tsx scripts/gpu-big-output.ts GIB      (exit 1 on any wrong element)
 */
import { destroyAllGpus, openGpu } from '../src/gpu/device.ts';
import { storageLimit } from '../src/gpu/limits.ts';
import { gpuOps } from '../src/gpu/registry.ts';
import { BACKENDS } from '../src/gpu/types.ts';

const gib = Number(process.argv[2]);
if (!(gib > 0)) {
  process.stderr.write('usage: node --import tsx scripts/gpu-big-output.ts GIB\n');
  process.exit(2);
}
// Quarters in [−8, 8): every product is exact in float32.
const xAt = (i: number): number => ((i * 7) % 64) / 4 - 8;
const wAt = (j: number): number => ((j * 13 + 5) % 64) / 4 - 8;

const n = Math.ceil(Math.sqrt((gib * 2 ** 30) / 4));
const backend = BACKENDS.find((b) => b === process.env['REFSIM_BACKEND']);
const ctx = await openGpu(backend === undefined ? {} : { backend });
try {
  const limit = storageLimit(ctx);
  process.stdout.write(`${n}×${n} float32 = ${((n * n * 4) / 2 ** 30).toFixed(2)} GiB; one buffer holds ${limit.bytes} bytes (${limit.name})\n`);
  const x = Float32Array.from({ length: n }, (_, i) => xAt(i));
  const w = Float32Array.from({ length: n }, (_, j) => wAt(j));
  const c = { op: 'linear' as const, params: {}, inputs: { x: { shape: [n, 1], data: x }, weight: { shape: [n, 1], data: w }, bias: null } };
  const t0 = performance.now();
  const [y] = await gpuOps.linear.runBatch(ctx, [c]);
  let wrong = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const want = x[i]! * w[j]! + 0; // + 0 turns a −0 product into +0, as +0 + x·w does
      if (!Object.is(y!.data[i * n + j], want) && wrong++ < 20) process.stdout.write(`[${i}, ${j}]: got ${y!.data[i * n + j]}, want ${want}\n`);
    }
  }
  process.stdout.write(`${wrong === 0 ? 'every element equal' : `${wrong} elements wrong`} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  process.exitCode = wrong === 0 ? 0 : 1;
} finally {
  ctx.destroy();
  destroyAllGpus();
}
