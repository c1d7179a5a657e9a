/**
 * Error bound of depthwiseConv2d (docs/error-bounds.md §dot): per output, the running-error bound
 * of its dot product over the in-range taps (documented order: taps in (kh, kw) order, padded
 * taps skipped, then the bias), or the any-order bound over the full KH·KW window.
 */
import type { Tensor } from '../tensor.ts';
import { type DepthwiseConv2dOptions, type DepthwiseGeometry, depthwiseConv2dGeometry } from '../depthwiseConv2d.ts';
import { type ArithModel, type BoundOptions, arithModel, finishDot, hasSubnormal, isSubnormal } from './common.ts';

/**
 * Core: x given as a centre (the exact input, or the float32 input itself) and an optional
 * radius (|actual input − centre| ≤ radius), as the block's composition needs. Writes the bound
 * to `out` and, when `centerOut` is given, the float64 value of the exact output there.
 */
export function depthwiseConv2dBoundCore(
  g: DepthwiseGeometry,
  xc: ArrayLike<number>,
  radius: Float64Array | null,
  wd: Float32Array,
  bd: Float32Array | null,
  m: ArithModel,
  out: Float64Array,
  centerOut: Float64Array | null,
): void {
  const { n, c, h, w, cout, multiplier, kh: KH, kw: KW, oh: OH, ow: OW } = g;
  const [sH, sW] = g.stride;
  const [pH, pW] = g.padding;
  const [dH, dW] = g.dilation;
  // Flushed inputs: a term with a subnormal factor becomes 0, an error of |x·w| (docs §flush).
  const checkSub = m.flush && (hasSubnormal(wd) || (radius === null && hasSubnormal(xc)));
  const full = KH * KW;
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
        for (let ow = 0; ow < OW; ow++) {
          const iwBase = ow * sW - pW;
          let s = 0;
          let sAbs = 0;
          let aAbs = 0;
          let inflate = biasFlush;
          let taps = 0;
          for (let kh = 0; kh < KH; kh++) {
            const ih = ihBase + kh * dH;
            if (ih < 0 || ih >= h) continue;
            const xRow = xPlane + ih * w;
            const wRow = wBase + kh * KW;
            for (let kw = 0; kw < KW; kw++) {
              const iw = iwBase + kw * dW;
              if (iw < 0 || iw >= w) continue;
              const xv = xc[xRow + iw]!;
              const wv = wd[wRow + kw]!;
              const p = xv * wv;
              s += p;
              sAbs += Math.abs(s);
              const ap = Math.abs(p);
              aAbs += ap;
              taps++;
              if (radius !== null) inflate += Math.abs(wv) * radius[xRow + iw]!;
              if (checkSub && (isSubnormal(xv) || isSubnormal(wv))) inflate += ap;
            }
          }
          let steps = taps;
          if (bd !== null) {
            s += bias;
            sAbs += Math.abs(s);
            steps++;
          }
          if (centerOut !== null) centerOut[o] = s;
          if (m.anyOrder) out[o++] = finishDot(0, aAbs, absBias, full, full + (bd === null ? 0 : 1), inflate, m);
          else out[o++] = finishDot(sAbs, aAbs, absBias, taps, steps, inflate, m);
        }
      }
    }
  }
}

/** Per output element of depthwiseConv2d(x, weight, bias, opts): a bound on |computed − exact|. */
export function depthwiseConv2dBound(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null | undefined,
  opts: DepthwiseConv2dOptions | undefined,
  options?: BoundOptions,
): Float64Array {
  const g = depthwiseConv2dGeometry(x, weight, bias, opts);
  const out = new Float64Array(g.n * g.cout * g.oh * g.ow);
  depthwiseConv2dBoundCore(g, x.data, null, weight.data, bias?.data ?? null, arithModel(options), out, null);
  return out;
}
