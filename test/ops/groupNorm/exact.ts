/** groupNorm's exact result (test/support/exact.ts). */
import type { OpCase } from '../../../src/ops/types.ts';
import { DD } from '../../support/dd.ts';

/** Exact-ish groupNorm on float64 data (eps rounded to float32, as the contract defines). */
export function exactGroupNorm(
  xd: ArrayLike<number>,
  shape: readonly number[],
  G: number,
  gamma: ArrayLike<number> | null,
  beta: ArrayLike<number> | null,
  eps: number,
): Float64Array {
  const N = shape[0]!;
  const C = shape[1]!;
  let S = 1;
  for (let i = 2; i < shape.length; i++) S *= shape[i]!;
  const n = (C / G) * S;
  const out = new Float64Array(N * C * S);
  const e32 = Math.fround(eps);
  for (let b = 0; b < N; b++)
    for (let g = 0; g < G; g++) {
      const start = (b * C + g * (C / G)) * S;
      const acc = new DD();
      for (let e = 0; e < n; e++) acc.add(xd[start + e]!);
      const mu = acc.value() / n;
      // Second pass on the residual of the float64 mean: exact-ish deviations.
      const acc2 = new DD();
      for (let e = 0; e < n; e++) acc2.add(xd[start + e]! - mu);
      const mu2 = mu + acc2.value() / n;
      const q = new DD();
      for (let e = 0; e < n; e++) {
        const d = xd[start + e]! - mu2;
        q.add(d * d);
      }
      const sd = Math.sqrt(q.value() / n + e32);
      for (let e = 0; e < n; e++) {
        const c = Math.floor((start + e - b * C * S) / S);
        const t = (xd[start + e]! - mu2) / sd;
        out[start + e] = t * (gamma === null ? 1 : gamma[c]!) + (beta === null ? 0 : beta[c]!);
      }
    }
  return out;
}

export function groupNormExact(c: OpCase): Float64Array {
  const x = c.inputs['x']!;
  return exactGroupNorm(x.data, x.shape, c.params['numGroups'] as number, c.inputs['weight']?.data ?? null, c.inputs['bias']?.data ?? null, (c.params['eps'] as number | undefined) ?? 1e-5);
}
