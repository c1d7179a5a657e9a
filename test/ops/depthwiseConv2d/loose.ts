/** depthwiseConv2d on the loose backend (test/support/perturbed.ts), in the documented order. */
import type { OpCase } from '../../../src/ops/types.ts';
import { type LooseBackend, looseInput } from '../../support/looseBackend.ts';

type Arr = Float32Array;
const pair = (v: unknown, d: number): [number, number] => (Array.isArray(v) ? [v[0] as number, v[1] as number] : typeof v === 'number' ? [v, v] : [d, d]);

export function depthwise(be: LooseBackend, x: Arr, xs: number[], w: Arr, ws: number[], b: Arr | null, st: [number, number], pd: [number, number], dl: [number, number]) {
  const [N, C, H, W] = xs as [number, number, number, number];
  const [CO, , KH, KW] = ws as [number, number, number, number];
  const OH = Math.floor((H + 2 * pd[0] - dl[0] * (KH - 1) - 1) / st[0]) + 1;
  const OW = Math.floor((W + 2 * pd[1] - dl[1] * (KW - 1) - 1) / st[1]) + 1;
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
  const p = c.params;
  return depthwise(be, x.data, x.shape, w.data, w.shape, looseInput(c, be, 'bias')?.data ?? null, pair(p['stride'], 1), pair(p['padding'], 0), pair(p['dilation'], 1)).data;
}
