/** pointwiseConv2d on the loose backend (test/support/perturbed.ts), in the documented order. */
import type { OpCase } from '../../../src/ops/types.ts';
import { type LooseBackend, looseInput } from '../../support/looseBackend.ts';
import { batched, convParams } from '../../support/convParams.ts';

type Arr = Float32Array;

export function pointwise(be: LooseBackend, x: Arr, xs: number[], w: Arr, CO: number, b: Arr | null) {
  const [N, CI, H, W] = xs as [number, number, number, number];
  const hw = H * W;
  const out = new Float32Array(N * CO * hw);
  for (let n = 0; n < N; n++)
    for (let co = 0; co < CO; co++)
      for (let p = 0; p < hw; p++) {
        const acc = be.chain(CI, (a, ci) => be.madd(a, x[(n * CI + ci) * hw + p]!, w[co * CI + ci]!));
        out[(n * CO + co) * hw + p] = b === null ? acc : be.add(acc, b[co]!);
      }
  return { data: out, shape: [N, CO, H, W] };
}

/** Any accepted form: x (C, H, W) as one sample; an output pixel in the padding is the empty dot product (+0) plus the bias. */
export function pointwiseConv2dLoose(c: OpCase, be: LooseBackend): Float32Array {
  const x = looseInput(c, be, 'x')!;
  const w = looseInput(c, be, 'weight')!;
  const b = looseInput(c, be, 'bias')?.data ?? null;
  const [N, CI, H, W] = batched(x.shape);
  const CO = w.shape[0]!;
  const inner = pointwise(be, x.data, [N, CI, H, W], w.data, CO, b).data;
  const { padding: [ph, pw] } = convParams(c.params, 1, 1);
  if (ph + pw === 0) return inner;
  const [OH, OW] = [H + 2 * ph, W + 2 * pw];
  const out = new Float32Array(N * CO * OH * OW);
  for (let n = 0; n < N; n++)
    for (let co = 0; co < CO; co++)
      for (let r = 0; r < OH; r++)
        for (let q = 0; q < OW; q++) {
          const inside = r >= ph && r < ph + H && q >= pw && q < pw + W;
          out[((n * CO + co) * OH + r) * OW + q] = inside ? inner[((n * CO + co) * H + r - ph) * W + q - pw]! : b === null ? 0 : be.add(0, b[co]!);
        }
  return out;
}
