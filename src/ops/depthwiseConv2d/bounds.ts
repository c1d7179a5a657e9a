/**
 * Error bound of depthwiseConv2d (docs/error-bounds.md §dot): per output, the running-error bound
 * of its dot product over the in-range taps (documented order: taps in (kh, kw) order, padded
 * taps skipped, then the bias), or the any-order bound over the full KH·KW window.
 */
import type { Tensor } from '../../reference/tensor.ts';
import { batchedImage } from '../shared/canonical.ts';
import { type DepthwiseConv2dOptions, type DepthwiseGeometry, depthwiseConv2dGeometry, inputTaps } from './reference.ts';
import { type ArithModel, type BoundOptions, type BoundTargets, type DotConstants, type DotOperands, arithModel, dotConstants, finishDot, hasSubnormal, isSubnormal } from '../../reference/bounds/common.ts';

/**
 * Core: x given as centres with optional radii (DotOperands), as the block's composition needs.
 * Writes the bound to `to.out` and, when `to.centerOut` is given, the float64 value of the exact
 * output there.
 */
export function depthwiseConv2dBoundCore(g: DepthwiseGeometry, operands: DotOperands, m: ArithModel, to: BoundTargets): void {
  const { xc, radius, wd, bd } = operands;
  const { out, centerOut } = to;
  const { n, c, h, w, cout, multiplier, kh: KH, kw: KW, oh: OH, ow: OW } = g;
  const [sH, sW] = g.stride;
  const [pH, pW] = g.padding;
  const [dH, dW] = g.dilation;
  // Flushed inputs: a term with a subnormal factor becomes 0, an error of |x·w| (docs §flush).
  const checkSub = m.flush && (hasSubnormal(wd) || (radius === null && hasSubnormal(xc)));
  const full = KH * KW;
  // In-range tap ranges per output row/column (padded taps are skipped, as in the op).
  const { lo: khLo, hi: khHi } = inputTaps(OH, KH, h, sH, pH, dH);
  const { lo: kwLo, hi: kwHi } = inputTaps(OW, KW, w, sW, pW, dW);
  const rare = radius !== null || checkSub;
  // Bound constants by tap count (documented order) or for the full window (any order).
  const hasBias = bd === null ? 0 : 1;
  const byTaps: DotConstants[] = [];
  for (let t = 0; t <= full; t++) byTaps.push(m.anyOrder ? dotConstants(full, full + hasBias, m) : dotConstants(t, t + hasBias, m));
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let oc = 0; oc < cout; oc++) {
      const xPlane = (b * c + Math.floor(oc / multiplier)) * h * w;
      const wBase = oc * full;
      const bias = bd === null ? 0 : bd[oc]!;
      const absBias = Math.abs(bias);
      const biasFlush = m.flush && isSubnormal(bias) ? absBias : 0;
      for (let oh = 0; oh < OH; oh++) {
        const ihBase = oh * sH - pH;
        const k0 = khLo[oh]!;
        const k1 = khHi[oh]!;
        for (let ow = 0; ow < OW; ow++) {
          const iwBase = ow * sW - pW;
          const j0 = kwLo[ow]!;
          const j1 = kwHi[ow]!;
          let s = 0;
          let sAbs = 0;
          let aAbs = 0;
          for (let kh = k0; kh < k1; kh++) {
            const xRow = xPlane + (ihBase + kh * dH) * w + iwBase;
            const wRow = wBase + kh * KW;
            for (let kw = j0; kw < j1; kw++) {
              const p = xc[xRow + kw * dW]! * wd[wRow + kw]!;
              s += p;
              sAbs += Math.abs(s);
              aAbs += Math.abs(p);
            }
          }
          let inflate = biasFlush;
          if (rare) {
            for (let kh = k0; kh < k1; kh++) {
              const xRow = xPlane + (ihBase + kh * dH) * w + iwBase;
              const wRow = wBase + kh * KW;
              for (let kw = j0; kw < j1; kw++) {
                const xv = xc[xRow + kw * dW]!;
                const wv = wd[wRow + kw]!;
                if (radius !== null) inflate += Math.abs(wv) * radius[xRow + kw * dW]!;
                if (checkSub && (isSubnormal(xv) || isSubnormal(wv))) inflate += Math.abs(xv * wv);
              }
            }
          }
          if (bd !== null) {
            s += bias;
            sAbs += Math.abs(s);
          }
          if (centerOut !== null) centerOut[o] = s;
          out[o++] = finishDot(sAbs, aAbs, absBias, inflate, byTaps[(k1 - k0) * (j1 - j0)]!);
        }
      }
    }
  }
}

/** Per output element of depthwiseConv2d(x, weight, bias, opts) in any accepted form (./canonical.ts): a bound on |computed − exact|. */
export function depthwiseConv2dBound(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null | undefined,
  opts: DepthwiseConv2dOptions | undefined,
  options?: BoundOptions,
): Float64Array {
  const g = depthwiseConv2dGeometry(batchedImage(x).x, weight, bias, opts);
  const out = new Float64Array(g.n * g.cout * g.oh * g.ow);
  depthwiseConv2dBoundCore(g, { xc: x.data, radius: null, wd: weight.data, bd: bias?.data ?? null }, arithModel(options), { out, centerOut: null });
  return out;
}
