/** depthwiseConv2d's exact result (test/support/exact.ts). */
import type { OpCase } from '../../../src/ops/types.ts';
import type { Tensor } from '../../../src/reference/tensor.ts';
import { DD } from '../../support/dd.ts';
import { batched, type ConvParams, convOut, convParams } from '../../support/convParams.ts';

export interface Conv2dParams {
  stride: [number, number];
  padding: [number, number];
  /** Padding after the input where it differs ('same' with an odd total). */
  paddingEnd?: [number, number];
  dilation: [number, number];
}

/** x (N, C, H, W) or (C, H, W). */
export function exactDepthwiseConv2d(x: Tensor, w: Tensor, bias: Tensor | null, p: Conv2dParams | ConvParams): Float64Array {
  const [N, C, H, W] = batched(x.shape);
  const [CO, , KH, KW] = w.shape as [number, number, number, number];
  const mult = CO / C;
  const end = p.paddingEnd ?? p.padding;
  const OH = convOut(H, KH, p.stride[0], p.padding[0], end[0], p.dilation[0]);
  const OW = convOut(W, KW, p.stride[1], p.padding[1], end[1], p.dilation[1]);
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

export const depthwiseConv2dExact = (c: OpCase): Float64Array => {
  const w = c.inputs['weight']!;
  return exactDepthwiseConv2d(c.inputs['x']!, w, c.inputs['bias'] ?? null, convParams(c.params, w.shape[2]!, w.shape[3]!));
};
