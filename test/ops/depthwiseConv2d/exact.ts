/** depthwiseConv2d's exact result (test/support/exact.ts). */
import type { OpCase } from '../../../src/ops/types.ts';
import type { Tensor } from '../../../src/reference/tensor.ts';
import { DD } from '../../support/dd.ts';

export interface Conv2dParams {
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
}

export function exactDepthwiseConv2d(x: Tensor, w: Tensor, bias: Tensor | null, p: Conv2dParams): Float64Array {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [CO, , KH, KW] = w.shape as [number, number, number, number];
  const mult = CO / C;
  const OH = Math.floor((H + 2 * p.padding[0] - p.dilation[0] * (KH - 1) - 1) / p.stride[0]) + 1;
  const OW = Math.floor((W + 2 * p.padding[1] - p.dilation[1] * (KW - 1) - 1) / p.stride[1]) + 1;
  const out = new Float64Array(N * CO * OH * OW);
  let o = 0;
  for (let b = 0; b < N; b++)
    for (let oc = 0; oc < CO; oc++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          const acc = new DD();
          for (let kh = 0; kh < KH; kh++)
            for (let kw = 0; kw < KW; kw++) {
              const ih = oh * p.stride[0] - p.padding[0] + kh * p.dilation[0];
              const iw = ow * p.stride[1] - p.padding[1] + kw * p.dilation[1];
              if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
              acc.add(x.data[((b * C + Math.floor(oc / mult)) * H + ih) * W + iw]! * w.data[(oc * KH + kh) * KW + kw]!);
            }
          if (bias !== null) acc.add(bias.data[oc]!);
          out[o++] = acc.value();
        }
  return out;
}

const pairOf = (v: unknown, d: number): [number, number] =>
  Array.isArray(v) ? [v[0] as number, v[1] as number] : typeof v === 'number' ? [v, v] : [d, d];

export const depthwiseConv2dExact = (c: OpCase): Float64Array =>
  exactDepthwiseConv2d(c.inputs['x']!, c.inputs['weight']!, c.inputs['bias'] ?? null, {
    stride: pairOf(c.params['stride'], 1), padding: pairOf(c.params['padding'], 0), dilation: pairOf(c.params['dilation'], 1),
  });
