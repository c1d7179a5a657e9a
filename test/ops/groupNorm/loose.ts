/** groupNorm on the loose backend (test/support/perturbed.ts), in the documented order. */
import type { OpCase } from '../../../src/ops/types.ts';
import { type LooseBackend, looseInput, treeSum } from '../../support/looseBackend.ts';

type Arr = Float32Array;

export function groupNorm(be: LooseBackend, x: Arr, xs: number[], G: number, gw: Arr | null, gb: Arr | null, eps: number) {
  const N = xs[0]!;
  const C = xs[1]!;
  let S = 1;
  for (let i = 2; i < xs.length; i++) S *= xs[i]!;
  const n = (C / G) * S;
  const out = new Float32Array(x.length);
  const e32 = be.ftz(Math.fround(eps));
  for (let b = 0; b < N; b++)
    for (let g = 0; g < G; g++) {
      const start = (b * C + g * (C / G)) * S;
      const mean = be.div(treeSum(be, n, (e, acc) => be.add(acc, x[start + e]!)), n);
      const q = treeSum(be, n, (e, acc) => {
        const d = be.add(x[start + e]!, -mean);
        return be.madd(acc, d, d);
      });
      const sd = be.sqrt(be.add(be.div(q, n), e32));
      for (let e = 0; e < n; e++) {
        const c = Math.floor((start + e - b * C * S) / S);
        const t = be.div(be.add(x[start + e]!, -mean), sd);
        let y = t;
        if (gw !== null && gb !== null) y = be.madd(gb[c]!, t, gw[c]!);
        else if (gw !== null) y = be.mul(t, gw[c]!);
        else if (gb !== null) y = be.add(t, gb[c]!);
        out[start + e] = y;
      }
    }
  return out;
}

export function groupNormLoose(c: OpCase, be: LooseBackend): Float32Array {
  const x = looseInput(c, be, 'x')!;
  const eps = (c.params['eps'] as number | undefined) ?? 1e-5;
  return groupNorm(be, x.data, x.shape, c.params['numGroups'] as number, looseInput(c, be, 'weight')?.data ?? null, looseInput(c, be, 'bias')?.data ?? null, eps);
}
