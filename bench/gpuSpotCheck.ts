/**
 * A benchmark's GEMM output, spot-checked: 8 rows × 8 columns spread over the output (first and
 * last included) of linear, and of pointwiseConv2d's first and last sample, compared bit for bit
 * with the reference computed on just those rows and columns (the reference is per output, so a
 * gathered sub-problem gives the same values) under the profile the device computes in. A fast
 * but wrong kernel cannot pass a row unnoticed; the full shapes' reference would take minutes.
 */
import type { PreparedBatch } from '../src/gpu/kernel.ts';
import { readBack } from '../src/gpu/runtime.ts';
import type { RefsimGpu } from '../src/gpu/device.ts';
import type { OpCase } from '../src/ops/types.ts';
import { linear } from '../src/ops/linear/reference.ts';
import { pointwiseConv2d } from '../src/ops/pointwiseConv2d/reference.ts';
import type { Profile, Tensor } from '../src/reference/tensor.ts';

/** `count` indices spread over [0, n), first and last included. */
function spread(n: number, count: number): number[] {
  const k = Math.min(n, count);
  return [...new Set(Array.from({ length: k }, (_, i) => (k === 1 ? 0 : Math.round((i * (n - 1)) / (k - 1)))))];
}

/** Rows `rows` of a row-major [*, width] array, as a [rows.length, width] tensor. */
function gatherRows(data: Float32Array, width: number, rows: readonly number[]): Tensor {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => out.set(data.subarray(r * width, (r + 1) * width), i * width));
  return { shape: [rows.length, width], data: out };
}

const sameBits = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

export async function spotCheckGemm(ctx: RefsimGpu, c: OpCase, batch: PreparedBatch, profile: Profile): Promise<{ checked: number; differing: number }> {
  const slot = batch.slots[0];
  if (slot === undefined) throw new Error('spot check: the batch has no output');
  const count = slot.shape.reduce((a, b) => a * b, 1);
  const got = new Float32Array(await readBack(ctx, { op: `spot check ${c.op}`, caseIndex: 0 }, batch.output, count * 4, slot.offset * 4));
  const x = c.inputs['x']!;
  const w = c.inputs['weight']!;
  const b = c.inputs['bias'] ?? null;
  let checked = 0;
  let differing = 0;
  const compare = (want: number, at: number) => {
    checked++;
    if (!sameBits(want, got[at]!)) differing++;
  };
  if (c.op === 'linear') {
    const [n = 1, inF = 1] = x.shape;
    const outF = w.shape[0] ?? 1;
    const rows = spread(n, 8);
    const cols = spread(outF, 8);
    const bias = b === null ? null : { shape: [cols.length], data: Float32Array.from(cols, (o) => b.data[o]!) };
    const want = linear(gatherRows(x.data, inF, rows), gatherRows(w.data, inF, cols), bias, { profile });
    rows.forEach((r, i) => cols.forEach((o, j) => compare(want.data[i * cols.length + j]!, r * outF + o)));
  } else {
    const [n = 1, cin = 1, h = 1, wd = 1] = x.shape;
    const hw = h * wd;
    const cout = w.shape[0] ?? 1;
    const chans = spread(cout, 8);
    const pixels = spread(hw, 8);
    const weight = gatherRows(w.data, cin, chans);
    const bias = b === null ? null : { shape: [chans.length], data: Float32Array.from(chans, (o) => b.data[o]!) };
    for (const s of spread(n, 2)) {
      const xs = new Float32Array(cin * pixels.length);
      for (let ci = 0; ci < cin; ci++) pixels.forEach((p, j) => (xs[ci * pixels.length + j] = x.data[(s * cin + ci) * hw + p]!));
      const want = pointwiseConv2d({ shape: [1, cin, 1, pixels.length], data: xs }, { shape: [chans.length, cin, 1, 1], data: weight.data }, bias, { profile });
      chans.forEach((o, i) => pixels.forEach((p, j) => compare(want.data[i * pixels.length + j]!, (s * cout + o) * hw + p)));
    }
  }
  return { checked, differing };
}
