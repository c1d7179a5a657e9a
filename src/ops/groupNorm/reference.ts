/** Group normalization, PyTorch `group_norm(x (N, C, *), numGroups, weight, bias, eps)`, float32. */
import { InputRangeError } from '../../errors.ts';
import { fma32f } from '../../reference/float32.ts';
import type { OpOptions, Tensor } from '../../reference/tensor.ts';
import { treeSum, treeSumSquaredDeviations } from '../../reference/treeSum.ts';
import { checkTensor, finiteNumber, optionalTensorOfShape, positiveInt, profileOf } from '../../reference/validate.ts';

export interface GroupNormGeometry {
  n: number;
  c: number;
  /** Elements per channel (product of the dims after C; 1 for [N, C]). */
  spatial: number;
  groups: number;
}

/** Validates the arguments of groupNorm (x of any rank ≥ 2: (N, C, *)). */
export function groupNormGeometry(x: unknown, numGroups: unknown, weight: unknown, bias: unknown, eps: unknown): GroupNormGeometry {
  const shape = (x as Partial<Tensor> | null)?.shape;
  const rank = Array.isArray(shape) ? shape.length : 4;
  if (rank < 2) throw new InputRangeError('x.shape', 'rank ≥ 2: (N, C, *)', shape);
  const xt = checkTensor(x, 'x', rank);
  const [n, c] = xt.shape as [number, number];
  const groups = positiveInt(numGroups, 'numGroups');
  if (c % groups !== 0) throw new InputRangeError('numGroups', `a divisor of the channel count ${c}`, groups);
  optionalTensorOfShape(weight, 'weight', [c]);
  optionalTensorOfShape(bias, 'bias', [c]);
  finiteNumber(eps, 'eps');
  let spatial = 1;
  for (let i = 2; i < rank; i++) spatial *= xt.shape[i]!;
  return { n, c, spatial, groups };
}

/**
 * Group normalization with the biased variance, on x (N, C, *) of any rank ≥ 2 (as PyTorch's
 * `group_norm`: (N, C), (N, C, L), (N, C, H, W), (N, C, D, H, W), …; weight and bias (C)); the
 * output has x's shape. The dims after C are one spatial extent S (the canonical form [N, C, S]
 * of ./canonical.ts is the same data). Group g of sample b holds channels
 * g·C/G … (g+1)·C/G − 1; its elements in (c, h, w) row-major order are v[0..n), n = (C/G)·H·W.
 * `eps` is any finite number (PyTorch does not restrict its sign); it is rounded to float32.
 *
 * Evaluation order (the contract, docs/evaluation-order.md), per group:
 *   1. mean = treeSum(v) ⊘ n                                     (n as float32)
 *   2. var  = treeSum of the multiply-adds (d ⊗ d), d = v[e] ⊖ mean, then ⊘ n
 *   3. sd   = sqrt(var ⊕ eps)                                     (correctly rounded sqrt)
 *   4. t    = (v[e] ⊖ mean) ⊘ sd, then by channel c:
 *        weight and bias: y = t ⊗ γ[c] ⊕ β[c]   — one multiply-add, fma(t, γ, β) under 'fma'
 *        weight only:     y = t ⊗ γ[c]
 *        bias only:       y = t ⊕ β[c]
 *        neither:         y = t
 * treeSum is the lane-strided 256-lane tree of src/reference/treeSum.ts.
 */
export function groupNorm(
  x: Tensor,
  numGroups: number,
  weight?: Tensor | null,
  bias?: Tensor | null,
  eps = 1e-5,
  options?: OpOptions,
): Tensor {
  const { n, c, spatial, groups } = groupNormGeometry(x, numGroups, weight, bias, eps);
  const profile = profileOf(options);
  const cg = c / groups;
  const count = cg * spatial;
  const countF = Math.fround(count);
  const epsF = Math.fround(eps);
  const xd = x.data;
  const gd = weight?.data;
  const bd = bias?.data;
  const out = new Float32Array(xd.length);
  for (let b = 0; b < n; b++) {
    for (let g = 0; g < groups; g++) {
      const off = (b * c + g * cg) * spatial;
      const mean = Math.fround(treeSum(xd, off, count) / countF);
      const variance = Math.fround(treeSumSquaredDeviations(xd, off, count, mean, profile) / countF);
      const sd = Math.fround(Math.sqrt(Math.fround(variance + epsF)));
      for (let ch = g * cg; ch < (g + 1) * cg; ch++) {
        const start = (b * c + ch) * spatial;
        const end = start + spatial;
        const gamma = gd?.[ch];
        const beta = bd?.[ch];
        if (gamma !== undefined && beta !== undefined) {
          if (profile === 'fma') {
            for (let e = start; e < end; e++) out[e] = fma32f(Math.fround(Math.fround(xd[e]! - mean) / sd), gamma, beta);
          } else {
            for (let e = start; e < end; e++) out[e] = Math.fround(Math.fround(Math.fround(xd[e]! - mean) / sd) * gamma) + beta;
          }
        } else if (gamma !== undefined) {
          for (let e = start; e < end; e++) out[e] = Math.fround(Math.fround(xd[e]! - mean) / sd) * gamma;
        } else if (beta !== undefined) {
          for (let e = start; e < end; e++) out[e] = Math.fround(Math.fround(xd[e]! - mean) / sd) + beta;
        } else {
          for (let e = start; e < end; e++) out[e] = Math.fround(xd[e]! - mean) / sd;
        }
      }
    }
  }
  return { shape: [...x.shape], data: out };
}
