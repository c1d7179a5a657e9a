/** adaptiveAvgPool2d's exact result (test/support/exact.ts). */
import { adaptiveWindow } from '../../../src/ops/adaptiveAvgPool2d/reference.ts';
import type { OpCase } from '../../../src/ops/types.ts';
import type { Tensor } from '../../../src/reference/tensor.ts';
import { DD } from '../../support/dd.ts';

export function exactAdaptiveAvgPool2d(x: Tensor, outputSize: [number, number]): Float64Array {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [OH, OW] = outputSize;
  const out = new Float64Array(N * C * OH * OW);
  let o = 0;
  for (let pl = 0; pl < N * C; pl++)
    for (let i = 0; i < OH; i++)
      for (let j = 0; j < OW; j++) {
        const [r0, r1] = adaptiveWindow(i, H, OH);
        const [c0, c1] = adaptiveWindow(j, W, OW);
        const acc = new DD();
        for (let r = r0; r < r1; r++) for (let q = c0; q < c1; q++) acc.add(x.data[(pl * H + r) * W + q]!);
        out[o++] = acc.value() / ((r1 - r0) * (c1 - c0));
      }
  return out;
}

/** Any accepted form: (C, H, W) as one sample; a null entry of outputSize is that input size. */
export const adaptiveAvgPool2dExact = (c: OpCase): Float64Array => {
  const x = c.inputs['x']!;
  const [h, w] = x.shape.slice(-2) as [number, number];
  const v = c.params['outputSize'];
  const size: [number, number] = Array.isArray(v) ? [(v[0] as number | null) ?? h, (v[1] as number | null) ?? w] : [v as number, v as number];
  return exactAdaptiveAvgPool2d({ shape: [x.data.length / (h * w), 1, h, w], data: x.data }, size);
};
