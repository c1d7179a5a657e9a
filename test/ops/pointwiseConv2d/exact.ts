/** pointwiseConv2d's exact result (test/support/exact.ts). */
import type { OpCase } from '../../../src/ops/types.ts';
import type { Tensor } from '../../../src/reference/tensor.ts';
import { DD } from '../../support/dd.ts';
import { batched, convParams } from '../../support/convParams.ts';

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

/**
 * Any accepted form: x (C, H, W) as one sample; with padding, an output pixel in the padding has no
 * taps (its exact value is the bias, or 0).
 */
export const pointwiseConv2dExact = (c: OpCase): Float64Array => {
  const x = c.inputs['x']!;
  const w = c.inputs['weight']!;
  const bias = c.inputs['bias'] ?? null;
  const [N, CI, H, W] = batched(x.shape);
  const inner = exactPointwiseConv2d({ shape: [N, CI, H, W], data: x.data }, w, bias);
  const { padding: [ph, pw] } = convParams(c.params, 1, 1);
  const CO = w.shape[0]!;
  const [OH, OW] = [H + 2 * ph, W + 2 * pw];
  const out = new Float64Array(N * CO * OH * OW);
  for (let b = 0; b < N; b++)
    for (let co = 0; co < CO; co++)
      for (let r = 0; r < OH; r++)
        for (let q = 0; q < OW; q++) {
          const inside = r >= ph && r < ph + H && q >= pw && q < pw + W;
          out[((b * CO + co) * OH + r) * OW + q] = inside ? inner[((b * CO + co) * H + r - ph) * W + q - pw]! : bias === null ? 0 : bias.data[co]!;
        }
  return out;
};
