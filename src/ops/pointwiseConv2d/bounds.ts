/**
 * Error bound of pointwiseConv2d (docs/error-bounds.md §dot): per output, the running-error
 * bound of Σ_ci x[ci]·w[co,ci] (+ bias) in ci order. Loops run ci outside the pixel loop over
 * per-pixel float64 accumulators, so the cost is a small multiple of the op itself.
 */
import type { Tensor } from '../../reference/tensor.ts';
import { embed, pointwiseConv2dGeometry, pointwiseForm } from './canonical.ts';
import type { Padding } from '../shared/params.ts';
import { type ArithModel, type BoundOptions, type BoundTargets, type DotOperands, arithModel, dotConstants, finishDot, hasSubnormal, isSubnormal } from '../../reference/bounds/common.ts';

export interface PointwiseGeometry {
  readonly n: number;
  readonly cin: number;
  readonly hw: number;
  readonly cout: number;
}

/** Core over a centre/radius input (see depthwiseConv2dBoundCore). */
export function pointwiseConv2dBoundCore(g: PointwiseGeometry, operands: DotOperands, m: ArithModel, to: BoundTargets): void {
  const { xc, radius, wd, bd } = operands;
  const { out, centerOut } = to;
  const { n, cin, hw, cout } = g;
  const checkSub = m.flush && (hasSubnormal(wd) || (radius === null && hasSubnormal(xc)));
  const s = new Float64Array(hw);
  const sAbs = new Float64Array(hw);
  const aAbs = new Float64Array(hw);
  const infl = new Float64Array(hw);
  const k = dotConstants(cin, cin + (bd === null ? 0 : 1), m);
  for (let b = 0; b < n; b++) {
    const xBase = b * cin * hw;
    for (let co = 0; co < cout; co++) {
      s.fill(0);
      sAbs.fill(0);
      aAbs.fill(0);
      infl.fill(0);
      const wRow = co * cin;
      // Main pass, four input channels at a time with the running sum in a register (the
      // per-pixel accumulators are read and written once per four terms).
      let ci = 0;
      for (; ci + 4 <= cin; ci += 4) {
        const w0 = wd[wRow + ci]!;
        const w1 = wd[wRow + ci + 1]!;
        const w2 = wd[wRow + ci + 2]!;
        const w3 = wd[wRow + ci + 3]!;
        const x0 = xBase + ci * hw;
        for (let p = 0; p < hw; p++) {
          const q = x0 + p;
          const p0 = xc[q]! * w0;
          const p1 = xc[q + hw]! * w1;
          const p2 = xc[q + 2 * hw]! * w2;
          const p3 = xc[q + 3 * hw]! * w3;
          const s0 = s[p]! + p0;
          const s1 = s0 + p1;
          const s2 = s1 + p2;
          const s3 = s2 + p3;
          s[p] = s3;
          sAbs[p]! += Math.abs(s0) + Math.abs(s1) + Math.abs(s2) + Math.abs(s3);
          aAbs[p]! += Math.abs(p0) + Math.abs(p1) + Math.abs(p2) + Math.abs(p3);
        }
      }
      for (; ci < cin; ci++) {
        const wv = wd[wRow + ci]!;
        const xo = xBase + ci * hw;
        for (let p = 0; p < hw; p++) {
          const prod = xc[xo + p]! * wv;
          const sv = s[p]! + prod;
          s[p] = sv;
          sAbs[p]! += Math.abs(sv);
          aAbs[p]! += Math.abs(prod);
        }
      }
      // Rare passes: propagated input radius (the block) and flushed subnormal inputs.
      if (radius !== null || checkSub) {
        for (let cj = 0; cj < cin; cj++) {
          const wv = wd[wRow + cj]!;
          const aw = Math.abs(wv);
          const wSub = isSubnormal(wv);
          const xo = xBase + cj * hw;
          if (radius !== null) for (let p = 0; p < hw; p++) infl[p]! += aw * radius[xo + p]!;
          if (checkSub) {
            for (let p = 0; p < hw; p++) {
              const xv = xc[xo + p]!;
              if (wSub || isSubnormal(xv)) infl[p]! += Math.abs(xv * wv);
            }
          }
        }
      }
      const bias = bd === null ? 0 : bd[co]!;
      const absBias = Math.abs(bias);
      const biasFlush = m.flush && isSubnormal(bias) ? absBias : 0;
      const oBase = (b * cout + co) * hw;
      for (let p = 0; p < hw; p++) {
        let sv = s[p]!;
        let sa = sAbs[p]!;
        if (bd !== null) {
          sv += bias;
          sa += Math.abs(sv);
        }
        if (centerOut !== null) centerOut[oBase + p] = sv;
        out[oBase + p] = finishDot(sa, aAbs[p]!, absBias, infl[p]! + biasFlush, k);
      }
    }
  }
}

/**
 * Per output element of pointwiseConv2d(x, weight, bias, padding) in any accepted form
 * (./canonical.ts): a bound on |computed − exact|.
 */
export function pointwiseConv2dBound(x: Tensor, weight: Tensor, bias: Tensor | null | undefined, options?: BoundOptions & { readonly padding?: Padding }): Float64Array {
  const f = pointwiseForm(x, weight, bias, options?.padding);
  const [n, cin, h, w, cout] = pointwiseConv2dGeometry(f.x, weight, bias);
  const out = new Float64Array(n * cout * h * w);
  const m = arithModel(options);
  pointwiseConv2dBoundCore({ n, cin, hw: h * w, cout }, { xc: f.x.data, radius: null, wd: weight.data, bd: bias?.data ?? null }, m, { out, centerOut: null });
  return f.border === null ? out : embed(out, f.border, (co) => borderBound(weight, bias ?? null, co, m), (k) => new Float64Array(k));
}

/**
 * Bound of an output in the padding, `+0 ⊕ bias[co]`: exact (0), the bias where a flushing backend
 * may flush it, no finite bound for a non-finite bias, and none in any order (PyTorch pads x with
 * zeros and multiplies them in: 0·±Inf = NaN) where the channel's weights are not all finite.
 */
function borderBound(weight: Tensor, bias: Tensor | null, co: number, m: ArithModel): number {
  const b = bias === null ? 0 : bias.data[co]!;
  if (!Number.isFinite(b)) return Infinity;
  if (m.anyOrder) {
    const cin = weight.shape[1]!;
    for (let ci = 0; ci < cin; ci++) if (!Number.isFinite(weight.data[co * cin + ci]!)) return Infinity;
  }
  return m.flush && isSubnormal(b) ? Math.abs(b) : 0;
}
