/**
 * Error bound of adaptiveAvgPool2d (docs/error-bounds.md §pool): the window's lane-strided tree
 * sum (γ_k·Σ|v| with k its rounding depth), then ⊘ n under the accuracy's division model.
 * Any order: γ_{n−1} for the sum and two roundings for a divide-or-multiply-by-reciprocal.
 */
import type { Tensor } from '../../reference/tensor.ts';
import { adaptiveAvgPool2dGeometry, adaptiveWindow } from './reference.ts';
import { adaptiveAvgPool2dForm } from './canonical.ts';
import type { OutputSize } from './params.ts';
import { type ArithModel, type BoundOptions, FLT_MAX, SAFE, arithModel, gamma, isSubnormal, treeRoundings } from '../../reference/bounds/common.ts';

/**
 * Bound of one average over n elements given Σv, Σ|v|, the summed input radius (plus flushed
 * input magnitude) `rad`, writing nothing: returns the bound.
 */
export function meanBound(n: number, sum: number, sumAbs: number, rad: number, m: ArithModel): number {
  const k = m.anyOrder ? n - 1 : treeRoundings(n, false);
  const g = gamma(k);
  // Sum: error of the tree on the actual inputs, plus the inputs' distance from the centre.
  const eSum = g * (sumAbs + rad) + rad + (n + 255) * m.addAbs * (1 + g);
  const sAbs = Math.abs(sum) + eSum;
  let e: number;
  if (m.anyOrder) {
    const g2 = gamma(2);
    e = eSum / n + (g2 * sAbs) / n + 2 * (m.mulAbs + m.divAbs);
  } else {
    e = eSum / n + (m.divRel * sAbs) / n + m.divAbs;
  }
  e *= SAFE;
  if (!((sumAbs + rad) * (1 + 2 ** -23) + eSum < FLT_MAX)) return Infinity;
  return e;
}

/** Core over a centre/radius input (see depthwiseConv2dBoundCore). */
export function adaptiveAvgPool2dBoundCore(
  dims: readonly [number, number, number, number, number, number],
  xc: ArrayLike<number>,
  radius: Float64Array | null,
  m: ArithModel,
  out: Float64Array,
  centerOut: Float64Array | null,
): void {
  const [N, C, H, W, OH, OW] = dims;
  const checkSub = m.flush && radius === null;
  const rows = new Int32Array(2 * OH);
  for (let i = 0; i < OH; i++) [rows[2 * i], rows[2 * i + 1]] = adaptiveWindow(i, H, OH);
  const cols = new Int32Array(2 * OW);
  for (let j = 0; j < OW; j++) [cols[2 * j], cols[2 * j + 1]] = adaptiveWindow(j, W, OW);
  let o = 0;
  for (let plane = 0; plane < N * C; plane++) {
    const base = plane * H * W;
    for (let i = 0; i < OH; i++) {
      const r0 = rows[2 * i]!;
      const r1 = rows[2 * i + 1]!;
      for (let j = 0; j < OW; j++) {
        const c0 = cols[2 * j]!;
        const c1 = cols[2 * j + 1]!;
        let sum = 0;
        let sumAbs = 0;
        let rad = 0;
        for (let r = r0; r < r1; r++) {
          const row = base + r * W;
          for (let q = c0; q < c1; q++) {
            const v = xc[row + q]!;
            sum += v;
            sumAbs += Math.abs(v);
            if (radius !== null) rad += radius[row + q]!;
            else if (checkSub && isSubnormal(v)) rad += Math.abs(v);
          }
        }
        const n = (r1 - r0) * (c1 - c0);
        if (centerOut !== null) centerOut[o] = sum / n;
        out[o++] = meanBound(n, sum, sumAbs, rad, m);
      }
    }
  }
}

/** Per output element of adaptiveAvgPool2d(x, outputSize) in any accepted form (./canonical.ts): a bound on |computed − exact|. */
export function adaptiveAvgPool2dBound(x: Tensor, outputSize: OutputSize, options?: BoundOptions): Float64Array {
  const f = adaptiveAvgPool2dForm(x, outputSize);
  const dims = adaptiveAvgPool2dGeometry(f.x, f.outputSize);
  const [N, C, , , OH, OW] = dims;
  const out = new Float64Array(N * C * OH * OW);
  adaptiveAvgPool2dBoundCore(dims, f.x.data, null, arithModel(options), out, null);
  return out;
}
