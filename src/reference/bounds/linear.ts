/** Error bound of linear (docs/error-bounds.md §dot): Σ_i x[n,i]·w[o,i] (+ bias) in i order. */
import type { Tensor } from '../tensor.ts';
import { linearGeometry } from '../linear.ts';
import { type ArithModel, type BoundOptions, arithModel, finishDot, hasSubnormal, isSubnormal } from './common.ts';

/** Core over a centre/radius input x [n, inF] (see depthwiseConv2dBoundCore). */
export function linearBoundCore(
  n: number,
  inF: number,
  outF: number,
  xc: ArrayLike<number>,
  radius: Float64Array | null,
  wd: Float32Array,
  bd: Float32Array | null,
  m: ArithModel,
  out: Float64Array,
  centerOut: Float64Array | null,
): void {
  const checkSub = m.flush && (hasSubnormal(wd) || (radius === null && hasSubnormal(xc)));
  const steps = inF + (bd === null ? 0 : 1);
  for (let b = 0; b < n; b++) {
    const xo = b * inF;
    for (let o = 0; o < outF; o++) {
      const wo = o * inF;
      let s = 0;
      let sAbs = 0;
      let aAbs = 0;
      let inflate = 0;
      for (let i = 0; i < inF; i++) {
        const xv = xc[xo + i]!;
        const wv = wd[wo + i]!;
        const p = xv * wv;
        s += p;
        sAbs += Math.abs(s);
        const ap = Math.abs(p);
        aAbs += ap;
        if (radius !== null) inflate += Math.abs(wv) * radius[xo + i]!;
        if (checkSub && (isSubnormal(xv) || isSubnormal(wv))) inflate += ap;
      }
      const bias = bd === null ? 0 : bd[o]!;
      if (bd !== null) {
        s += bias;
        sAbs += Math.abs(s);
        if (m.flush && isSubnormal(bias)) inflate += Math.abs(bias);
      }
      if (centerOut !== null) centerOut[b * outF + o] = s;
      out[b * outF + o] = finishDot(sAbs, aAbs, Math.abs(bias), inF, steps, inflate, m);
    }
  }
}

/** Per output element of linear(x, weight, bias): a bound on |computed − exact|. */
export function linearBound(x: Tensor, weight: Tensor, bias: Tensor | null | undefined, options?: BoundOptions): Float64Array {
  const [n, inF, outF] = linearGeometry(x, weight, bias);
  const out = new Float64Array(n * outF);
  linearBoundCore(n, inF, outF, x.data, null, weight.data, bias?.data ?? null, arithModel(options), out, null);
  return out;
}
