/** depthwiseConv2d on the loose backend (test/support/perturbed.ts), in the documented order. */
import type { OpCase } from '../../../src/ops/types.ts';
import { type LooseBackend, looseInput } from '../../support/looseBackend.ts';
import { batched, convOut, convParams } from '../../support/convParams.ts';

type Arr = Float32Array;

/** x (N, C, H, W) or (C, H, W); `pdEnd`: the padding after the input where it differs from `pd`. */
export function depthwise(be: LooseBackend, x: Arr, xs: number[], w: Arr, ws: number[], b: Arr | null, st: [number, number], pd: [number, number], dl: [number, number], pdEnd = pd) {
  const [N, C, H, W] = batched(xs);
  const [CO, , KH, KW] = ws as [number, number, number, number];
  const OH = convOut(H, KH, st[0], pd[0], pdEnd[0], dl[0]);
  const OW = convOut(W, KW, st[1], pd[1], pdEnd[1], dl[1]);
  const out = new Float32Array(N * CO * OH * OW);
  let o = 0;
  for (let n = 0; n < N; n++)
    for (let oc = 0; oc < CO; oc++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          const taps: [number, number][] = [];
          for (let kh = 0; kh < KH; kh++)
            for (let kw = 0; kw < KW; kw++) {
              const ih = oh * st[0] - pd[0] + kh * dl[0];
              const iw = ow * st[1] - pd[1] + kw * dl[1];
              if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
              taps.push([((n * C + Math.floor(oc / (CO / C))) * H + ih) * W + iw, (oc * KH + kh) * KW + kw]);
            }
          const acc = be.chain(taps.length, (a, t) => be.madd(a, x[taps[t]![0]]!, w[taps[t]![1]]!));
          out[o++] = b === null ? acc : be.add(acc, b[oc]!);
        }
  return { data: out, shape: [N, CO, OH, OW] };
}

export function depthwiseConv2dLoose(c: OpCase, be: LooseBackend): Float32Array {
  const x = looseInput(c, be, 'x')!;
  const w = looseInput(c, be, 'weight')!;
  const p = convParams(c.params, w.shape[2]!, w.shape[3]!);
  return depthwise(be, x.data, x.shape, w.data, w.shape, looseInput(c, be, 'bias')?.data ?? null, p.stride, p.padding, p.dilation, p.paddingEnd).data;
}
