/** adaptiveAvgPool2d on the loose backend (test/support/perturbed.ts), in the documented order. */
import { adaptiveWindow } from '../../../src/ops/adaptiveAvgPool2d/reference.ts';
import type { OpCase } from '../../../src/ops/types.ts';
import { type LooseBackend, looseInput, treeSum } from '../../support/looseBackend.ts';

type Arr = Float32Array;

export function pool(be: LooseBackend, x: Arr, xs: number[], OH: number, OW: number) {
  const [N, C, H, W] = xs as [number, number, number, number];
  const out = new Float32Array(N * C * OH * OW);
  let o = 0;
  for (let pl = 0; pl < N * C; pl++)
    for (let i = 0; i < OH; i++)
      for (let j = 0; j < OW; j++) {
        const [r0, r1] = adaptiveWindow(i, H, OH);
        const [c0, c1] = adaptiveWindow(j, W, OW);
        const wc = c1 - c0;
        const n = (r1 - r0) * wc;
        const s = treeSum(be, n, (e, acc) => be.add(acc, x[(pl * H + r0 + Math.floor(e / wc)) * W + c0 + (e % wc)]!));
        out[o++] = be.div(s, n);
      }
  return out;
}

export function adaptiveAvgPool2dLoose(c: OpCase, be: LooseBackend): Float32Array {
  // Any accepted form: (C, H, W) as one sample; a null entry of outputSize is that input size.
  const x = looseInput(c, be, 'x')!;
  const [h, w] = x.shape.slice(-2) as [number, number];
  const v = c.params['outputSize'];
  const [oh, ow] = Array.isArray(v) ? [(v[0] as number | null) ?? h, (v[1] as number | null) ?? w] : [v as number, v as number];
  return pool(be, x.data, [x.data.length / (h * w), 1, h, w], oh, ow);
}
