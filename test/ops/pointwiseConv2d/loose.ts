/** pointwiseConv2d on the loose backend (test/support/perturbed.ts), in the documented order. */
import type { OpCase } from '../../../src/ops/types.ts';
import { type LooseBackend, looseInput } from '../../support/looseBackend.ts';

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

export function pointwiseConv2dLoose(c: OpCase, be: LooseBackend): Float32Array {
  const x = looseInput(c, be, 'x')!;
  const w = looseInput(c, be, 'weight')!;
  return pointwise(be, x.data, x.shape, w.data, w.shape[0]!, looseInput(c, be, 'bias')?.data ?? null).data;
}
