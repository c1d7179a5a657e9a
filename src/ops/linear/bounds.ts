/** Error bound of linear (docs/error-bounds.md §dot): Σ_i x[n,i]·w[o,i] (+ bias) in i order. */
import type { Tensor } from '../../reference/tensor.ts';
import { linearGeometry } from './reference.ts';
import { linearForm } from './canonical.ts';
import { type ArithModel, type BoundOptions, type BoundTargets, type DotOperands, arithModel, dotConstants, finishDot, hasSubnormal, isSubnormal } from '../../reference/bounds/common.ts';

/** Core over a centre/radius input x [n, inF] (see depthwiseConv2dBoundCore). */
export function linearBoundCore(dims: { n: number; inF: number; outF: number }, operands: DotOperands, m: ArithModel, to: BoundTargets): void {
  const { n, inF, outF } = dims;
  const { xc, radius, wd, bd } = operands;
  const { out, centerOut } = to;
  const checkSub = m.flush && (hasSubnormal(wd) || (radius === null && hasSubnormal(xc)));
  const k = dotConstants(inF, inF + (bd === null ? 0 : 1), m);
  const finish = (b: number, o: number, s: number, sAbs: number, aAbs: number): void => {
    const xo = b * inF;
    const wo = o * inF;
    let inflate = 0;
    if (radius !== null) for (let i = 0; i < inF; i++) inflate += Math.abs(wd[wo + i]!) * radius[xo + i]!;
    if (checkSub) {
      for (let i = 0; i < inF; i++) {
        const xv = xc[xo + i]!;
        const wv = wd[wo + i]!;
        if (isSubnormal(xv) || isSubnormal(wv)) inflate += Math.abs(xv * wv);
      }
    }
    const bias = bd === null ? 0 : bd[o]!;
    if (bd !== null) {
      s += bias;
      sAbs += Math.abs(s);
      if (m.flush && isSubnormal(bias)) inflate += Math.abs(bias);
    }
    if (centerOut !== null) centerOut[b * outF + o] = s;
    out[b * outF + o] = finishDot(sAbs, aAbs, Math.abs(bias), inflate, k);
  };
  for (let b = 0; b < n; b++) {
    const xo = b * inF;
    let o = 0;
    // Four outputs at a time: independent running sums for instruction-level parallelism, each
    // x element loaded once.
    for (; o + 4 <= outF; o += 4) {
      const wa = o * inF;
      const wb = wa + inF;
      const wc = wb + inF;
      const wdd = wc + inF;
      let sa = 0, sb = 0, sc = 0, sd = 0;
      let ga = 0, gb = 0, gc = 0, gd = 0;
      let aa = 0, ab = 0, ac = 0, ad = 0;
      for (let i = 0; i < inF; i++) {
        const xv = xc[xo + i]!;
        const pa = xv * wd[wa + i]!;
        const pb = xv * wd[wb + i]!;
        const pc = xv * wd[wc + i]!;
        const pd = xv * wd[wdd + i]!;
        sa += pa;
        sb += pb;
        sc += pc;
        sd += pd;
        ga += Math.abs(sa);
        gb += Math.abs(sb);
        gc += Math.abs(sc);
        gd += Math.abs(sd);
        aa += Math.abs(pa);
        ab += Math.abs(pb);
        ac += Math.abs(pc);
        ad += Math.abs(pd);
      }
      finish(b, o, sa, ga, aa);
      finish(b, o + 1, sb, gb, ab);
      finish(b, o + 2, sc, gc, ac);
      finish(b, o + 3, sd, gd, ad);
    }
    for (; o < outF; o++) {
      const wo = o * inF;
      let s = 0;
      let sAbs = 0;
      let aAbs = 0;
      for (let i = 0; i < inF; i++) {
        const p = xc[xo + i]! * wd[wo + i]!;
        s += p;
        sAbs += Math.abs(s);
        aAbs += Math.abs(p);
      }
      finish(b, o, s, sAbs, aAbs);
    }
  }
}

/** Per output element of linear(x, weight, bias) in any accepted form (./canonical.ts): a bound on |computed − exact|. */
export function linearBound(x: Tensor, weight: Tensor, bias: Tensor | null | undefined, options?: BoundOptions): Float64Array {
  const f = linearForm(x, weight, bias);
  const [n, inF, outF] = linearGeometry(f.x, f.weight, f.bias);
  const out = new Float64Array(n * outF);
  linearBoundCore({ n, inF, outF }, { xc: f.x.data, radius: null, wd: f.weight.data, bd: f.bias?.data ?? null }, arithModel(options), { out, centerOut: null });
  return out;
}
