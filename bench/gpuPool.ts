/**
 * The `pool` suite of `npm run bench:gpu`: adaptiveAvgPool2d with small windows (an output as large
 * as the input or larger), where the `small` kernel variant runs one invocation per output and the
 * `lanes256` variant one workgroup of 256 (src/ops/adaptiveAvgPool2d/wgsl.ts). Both variants on
 * the issue's 64×512×4×4 → 7×7 (windows of 1 to 4 elements); with `--quick` the 256-lane variant
 * runs on one sample of the batch only (about 47 s for all 64 on lavapipe), and the ratio compares
 * time per output. Both outputs are checked against the reference bit for bit.
 */
import { describeAdapter, type RefsimGpu } from '../src/gpu/device.ts';
import { runPrepared } from '../src/gpu/kernel.ts';
import { prepareAdaptiveAvgPool2d, type PoolVariant } from '../src/ops/adaptiveAvgPool2d/kernel.ts';
import { adaptiveAvgPool2d } from '../src/ops/adaptiveAvgPool2d/reference.ts';
import type { OpCase } from '../src/ops/types.ts';
import type { Tensor } from '../src/reference/tensor.ts';
import { Rng } from '../src/util/rng.ts';
import { timeBatch } from './gpuTimer.ts';
import type { BenchRow } from './lib.ts';

const rng = new Rng(0x51ed270b);
const poolCase = (n: number): OpCase => {
  const shape = [n, 512, 4, 4];
  return { op: 'adaptiveAvgPool2d', params: { outputSize: 7 }, inputs: { x: { shape, data: rng.fill(new Float32Array(n * 512 * 16), -1, 1) } } };
};

/** Outputs whose bits differ from the reference (NaNs as a class). */
function differing(got: Tensor, c: OpCase): number {
  const want = adaptiveAvgPool2d(c.inputs['x']!, 7);
  let bad = 0;
  for (let i = 0; i < want.data.length; i++) {
    const [g, w] = [got.data[i]!, want.data[i]!];
    if (!(Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)))) bad++;
  }
  return bad + Math.abs(got.data.length - want.data.length);
}

/** Median ms of one dispatch of `variant` on `c`, and its outputs that differ from the reference. */
async function measure(ctx: RefsimGpu, c: OpCase, variant: PoolVariant, quick: boolean): Promise<{ ms: number; method: string; differing: number }> {
  const batch = await prepareAdaptiveAvgPool2d(ctx, [c], variant);
  try {
    const timing = await timeBatch(ctx, `pool ${variant}`, batch, quick);
    const [y] = await runPrepared(ctx, { op: 'bench pool', caseIndex: 0 }, batch);
    return { ...timing, differing: differing(y!, c) };
  } finally {
    batch.destroy();
  }
}

export async function poolSuite(ctx: RefsimGpu, opts: { quick: boolean; log: (s: string) => void }): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const full = poolCase(64);
  const wideN = opts.quick ? 1 : 64;
  const outputs = (n: number) => n * 512 * 49;
  opts.log('bench:gpu: adaptiveAvgPool2d 64×512×4×4 → 7×7, small-window variant...');
  const small = await measure(ctx, full, 'small', opts.quick);
  opts.log(`bench:gpu: adaptiveAvgPool2d ${wideN}×512×4×4 → 7×7, 256-lane variant...`);
  const wide = await measure(ctx, wideN === 64 ? full : poolCase(wideN), 'lanes256', opts.quick);
  const perOutput = (t: { ms: number }, n: number) => t.ms / outputs(n);
  const wrong = (d: number) => (d > 0 ? ` — ${d} OUTPUTS DIFFER FROM THE REFERENCE` : '');
  const rows: BenchRow[] = [
    {
      suite: 'gpu pool',
      name: `adaptiveAvgPool2d 64×512×4×4 → 7×7 (${outputs(64)} outputs), small-window variant (the default here)${wrong(small.differing + wide.differing)}`,
      value: `${small.ms.toFixed(3)} ms`,
      baseline: `256-lane variant: ${wide.ms.toFixed(3)} ms for ${wideN === 64 ? 'the same shape' : `${wideN}×512×4×4 (${outputs(wideN)} outputs; ${(perOutput(wide, wideN) * outputs(64)).toFixed(0)} ms at this rate for all 64)`}`,
      ratio: perOutput(wide, wideN) / perOutput(small, 64),
      ratioLabel: '256-lane / small-window time per output',
      goal: '< 1000 ms',
      met: small.ms < 1000 && small.differing + wide.differing === 0,
    },
  ];
  return { rows, notes: [`- pool suite: ${describeAdapter(ctx.adapter)}; ${small.method}; the goal is the small-window variant's time on the full shape (issue 14: < 1 s on lavapipe)`] };
}
