/** depthwiseSeparableBlock's exact result (test/support/exact.ts): its stages in float64. */
import type { OpCase } from '../../../src/ops/types.ts';
import type { Tensor } from '../../../src/reference/tensor.ts';
import { DD } from '../../support/dd.ts';
import { exactDepthwiseConv2d } from '../depthwiseConv2d/exact.ts';
import { exactGroupNorm } from '../groupNorm/exact.ts';

/** Exact-ish block: the stages above in float64. */
export function exactBlock(
  x: Tensor,
  p: {
    dwWeight: Tensor; dwBias?: Tensor | null; pwWeight: Tensor; pwBias?: Tensor | null; numGroups: number;
    gnWeight?: Tensor | null; gnBias?: Tensor | null; eps?: number; fcWeight: Tensor; fcBias?: Tensor | null;
  },
): Float64Array {
  const [N, , H, W] = x.shape as [number, number, number, number];
  const one: [number, number] = [1, 1];
  const y1 = exactDepthwiseConv2d(x, p.dwWeight, p.dwBias ?? null, { stride: one, padding: one, dilation: one });
  const CM = p.dwWeight.shape[0]!;
  const CO = p.pwWeight.shape[0]!;
  const hw = H * W;
  const y2 = new Float64Array(N * CO * hw);
  for (let b = 0; b < N; b++)
    for (let co = 0; co < CO; co++)
      for (let q = 0; q < hw; q++) {
        const acc = new DD();
        for (let ci = 0; ci < CM; ci++) acc.add(y1[(b * CM + ci) * hw + q]! * p.pwWeight.data[co * CM + ci]!);
        if (p.pwBias) acc.add(p.pwBias.data[co]!);
        y2[(b * CO + co) * hw + q] = acc.value();
      }
  const y3 = exactGroupNorm(y2, [N, CO, H, W], p.numGroups, p.gnWeight?.data ?? null, p.gnBias?.data ?? null, p.eps ?? 1e-5);
  const pooled = new Float64Array(N * CO);
  for (let pl = 0; pl < N * CO; pl++) {
    const acc = new DD();
    for (let q = 0; q < hw; q++) acc.add(Math.max(y3[pl * hw + q]!, 0));
    pooled[pl] = acc.value() / hw;
  }
  const OUT = p.fcWeight.shape[0]!;
  const out = new Float64Array(N * OUT);
  for (let b = 0; b < N; b++)
    for (let o = 0; o < OUT; o++) {
      const acc = new DD();
      for (let i = 0; i < CO; i++) acc.add(pooled[b * CO + i]! * p.fcWeight.data[o * CO + i]!);
      if (p.fcBias) acc.add(p.fcBias.data[o]!);
      out[b * OUT + o] = acc.value();
    }
  return out;
}

const T = (c: OpCase, name: string) => c.inputs[name] ?? null;
const R = (c: OpCase, name: string) => c.inputs[name]!;

export const depthwiseSeparableBlockExact = (c: OpCase): Float64Array =>
  exactBlock(R(c, 'x'), {
    dwWeight: R(c, 'dwWeight'), dwBias: T(c, 'dwBias'), pwWeight: R(c, 'pwWeight'), pwBias: T(c, 'pwBias'), numGroups: c.params['numGroups'] as number,
    gnWeight: T(c, 'gnWeight'), gnBias: T(c, 'gnBias'), eps: (c.params['eps'] as number | undefined) ?? 1e-5, fcWeight: R(c, 'fcWeight'), fcBias: T(c, 'fcBias'),
  });
