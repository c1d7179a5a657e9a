/** pointwiseConv2d's exact result (test/support/exact.ts). */
import type { OpCase } from '../../../src/ops/types.ts';
import type { Tensor } from '../../../src/reference/tensor.ts';
import { DD } from '../../support/dd.ts';

export function exactPointwiseConv2d(x: Tensor, w: Tensor, bias: Tensor | null): Float64Array {
  const [N, CI, H, W] = x.shape as [number, number, number, number];
  const CO = w.shape[0]!;
  const hw = H * W;
  const out = new Float64Array(N * CO * hw);
  for (let b = 0; b < N; b++)
    for (let co = 0; co < CO; co++)
      for (let p = 0; p < hw; p++) {
        const acc = new DD();
        for (let ci = 0; ci < CI; ci++) acc.add(x.data[(b * CI + ci) * hw + p]! * w.data[co * CI + ci]!);
        if (bias !== null) acc.add(bias.data[co]!);
        out[(b * CO + co) * hw + p] = acc.value();
      }
  return out;
}

export const pointwiseConv2dExact = (c: OpCase): Float64Array => exactPointwiseConv2d(c.inputs['x']!, c.inputs['weight']!, c.inputs['bias'] ?? null);
