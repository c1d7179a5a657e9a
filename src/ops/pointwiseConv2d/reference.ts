/** Pointwise (1×1) convolution, PyTorch `conv2d(x, weight (Cout, Cin, 1, 1), bias, padding)`, float32. */
import { fma32f } from '../../reference/float32.ts';
import type { OpOptions, Tensor } from '../../reference/tensor.ts';
import { profileOf } from '../../reference/validate.ts';
import { borderValue, embed, pointwiseConv2dGeometry, type PointwiseConv2dOptions, pointwiseForm } from './canonical.ts';

export { pointwiseConv2dGeometry, type PointwiseConv2dOptions } from './canonical.ts';

/**
 * pointwiseConv2d in every form PyTorch's conv2d with a 1×1 kernel accepts:
 *   x (N, C, H, W) or unbatched (C, H, W); weight (Cout, C, 1, 1); bias (Cout) or none;
 *   padding (options.padding) a number, [n], [h, w], 'valid' or 'same' (the last two: none);
 *   output (N, Cout, H + 2·pH, W + 2·pW), or without N for an unbatched x.
 * Evaluated as the canonical form (./canonical.ts: x (N, C, H, W), the same data, no padding) by
 * pointwiseConv2dCore, in its order; an output pixel in the padding has no taps inside the input
 * (they are skipped, as in depthwiseConv2d), so it is `+0 ⊕ bias[co]` (+0 without a bias).
 */
export function pointwiseConv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options?: PointwiseConv2dOptions): Tensor {
  const f = pointwiseForm(x, weight, bias, options?.padding);
  const y = pointwiseConv2dCore(f.x, weight, bias, options);
  const data = f.border === null ? y.data : embed(y.data, f.border, borderValue(bias ?? null), (n) => new Float32Array(n));
  return { shape: f.outputShape, data };
}

/**
 * 1×1 convolution on the canonical form x (N, C, H, W), no padding: y[b,co,p] over pixels p.
 *
 * Evaluation order (the contract, docs/evaluation-order.md), per output element:
 *   acc = +0; for ci in 0..Cin-1: acc = acc ⊕ (x[b,ci,p] ⊗ w[co,ci])   — fma(x, w, acc) under 'fma'
 *   y = acc ⊕ bias[co]   (if there is a bias)
 * (The loops are interchanged and blocked — output rows are the accumulators, four output
 * channels × four input channels per pass — but each output accumulates ci = 0, 1, … in order.)
 */
export function pointwiseConv2dCore(x: Tensor, weight: Tensor, bias?: Tensor | null, options?: OpOptions): Tensor {
  const [n, cin, h, w, cout] = pointwiseConv2dGeometry(x, weight, bias);
  const profile = profileOf(options);
  const hw = h * w;
  const out = new Float32Array(n * cout * hw); // fresh: every accumulator starts at +0
  for (let b = 0; b < n; b++) {
    const xBatch = b * cin * hw;
    const oBatch = b * cout * hw;
    if (profile === 'fma') {
      let co = 0;
      for (; co + 4 <= cout; co += 4) fusedRows4(out, oBatch + co * hw, x.data, xBatch, weight.data, co * cin, cin, hw);
      for (; co < cout; co++) fusedRow(out, oBatch + co * hw, x.data, xBatch, weight.data, co * cin, 0, cin, hw);
    } else {
      let co = 0;
      for (; co + 4 <= cout; co += 4) strictRows4(out, oBatch + co * hw, x.data, xBatch, weight.data, co * cin, cin, hw);
      for (; co < cout; co++) strictRow(out, oBatch + co * hw, x.data, xBatch, weight.data, co * cin, cin, hw);
    }
    if (bias) {
      // The Float32Array store rounds: y = acc ⊕ bias.
      for (let co = 0; co < cout; co++) {
        const bv = bias.data[co]!;
        const o = oBatch + co * hw;
        for (let p = 0; p < hw; p++) out[o + p] = out[o + p]! + bv;
      }
    }
  }
  return { shape: [n, cout, h, w], data: out };
}

/** Accumulates input channels [ci0, ci1) into one output row under 'fma'. */
function fusedRow(out: Float32Array, o: number, xd: Float32Array, xBatch: number, wd: Float32Array, wRow: number, ci0: number, ci1: number, hw: number): void {
  for (let ci = ci0; ci < ci1; ci++) {
    const wv = wd[wRow + ci]!;
    const xr = xBatch + ci * hw;
    for (let p = 0; p < hw; p++) out[o + p] = fma32f(xd[xr + p]!, wv, out[o + p]!);
  }
}

/** One output row, strict: four input channels per pass with the running value in a register. */
function strictRow(out: Float32Array, o: number, xd: Float32Array, xBatch: number, wd: Float32Array, wRow: number, cin: number, hw: number): void {
  const fr = Math.fround;
  let ci = 0;
  for (; ci + 4 <= cin; ci += 4) {
    const w0 = wd[wRow + ci]!;
    const w1 = wd[wRow + ci + 1]!;
    const w2 = wd[wRow + ci + 2]!;
    const w3 = wd[wRow + ci + 3]!;
    const x0 = xBatch + ci * hw;
    for (let p = 0; p < hw; p++) {
      const q = x0 + p;
      let a = fr(out[o + p]! + fr(xd[q]! * w0));
      a = fr(a + fr(xd[q + hw]! * w1));
      a = fr(a + fr(xd[q + 2 * hw]! * w2));
      out[o + p] = a + fr(xd[q + 3 * hw]! * w3);
    }
  }
  for (; ci < cin; ci++) {
    const wv = wd[wRow + ci]!;
    const xr = xBatch + ci * hw;
    for (let p = 0; p < hw; p++) out[o + p] = out[o + p]! + fr(xd[xr + p]! * wv);
  }
}

/** Four output rows (channels co..co+3) at once, strict: each x element is loaded once for four outputs. */
function strictRows4(out: Float32Array, o: number, xd: Float32Array, xBatch: number, wd: Float32Array, wRow: number, cin: number, hw: number): void {
  const fr = Math.fround;
  const [oa, ob, oc, od] = [o, o + hw, o + 2 * hw, o + 3 * hw];
  const [wa, wb, wc, wdd] = [wRow, wRow + cin, wRow + 2 * cin, wRow + 3 * cin];
  let ci = 0;
  for (; ci + 4 <= cin; ci += 4) {
    const a0 = wd[wa + ci]!, a1 = wd[wa + ci + 1]!, a2 = wd[wa + ci + 2]!, a3 = wd[wa + ci + 3]!;
    const b0 = wd[wb + ci]!, b1 = wd[wb + ci + 1]!, b2 = wd[wb + ci + 2]!, b3 = wd[wb + ci + 3]!;
    const c0 = wd[wc + ci]!, c1 = wd[wc + ci + 1]!, c2 = wd[wc + ci + 2]!, c3 = wd[wc + ci + 3]!;
    const d0 = wd[wdd + ci]!, d1 = wd[wdd + ci + 1]!, d2 = wd[wdd + ci + 2]!, d3 = wd[wdd + ci + 3]!;
    const x0 = xBatch + ci * hw;
    for (let p = 0; p < hw; p++) {
      const q = x0 + p;
      const e0 = xd[q]!, e1 = xd[q + hw]!, e2 = xd[q + 2 * hw]!, e3 = xd[q + 3 * hw]!;
      let a = fr(out[oa + p]! + fr(e0 * a0));
      let b = fr(out[ob + p]! + fr(e0 * b0));
      let c = fr(out[oc + p]! + fr(e0 * c0));
      let d = fr(out[od + p]! + fr(e0 * d0));
      a = fr(a + fr(e1 * a1));
      b = fr(b + fr(e1 * b1));
      c = fr(c + fr(e1 * c1));
      d = fr(d + fr(e1 * d1));
      a = fr(a + fr(e2 * a2));
      b = fr(b + fr(e2 * b2));
      c = fr(c + fr(e2 * c2));
      d = fr(d + fr(e2 * d2));
      out[oa + p] = a + fr(e3 * a3);
      out[ob + p] = b + fr(e3 * b3);
      out[oc + p] = c + fr(e3 * c3);
      out[od + p] = d + fr(e3 * d3);
    }
  }
  for (; ci < cin; ci++) {
    const a0 = wd[wa + ci]!, b0 = wd[wb + ci]!, c0 = wd[wc + ci]!, d0 = wd[wdd + ci]!;
    const xr = xBatch + ci * hw;
    for (let p = 0; p < hw; p++) {
      const e = xd[xr + p]!;
      out[oa + p] = out[oa + p]! + fr(e * a0);
      out[ob + p] = out[ob + p]! + fr(e * b0);
      out[oc + p] = out[oc + p]! + fr(e * c0);
      out[od + p] = out[od + p]! + fr(e * d0);
    }
  }
}

/** Four output rows under 'fma': each x element is loaded once for four outputs. */
function fusedRows4(out: Float32Array, o: number, xd: Float32Array, xBatch: number, wd: Float32Array, wRow: number, cin: number, hw: number): void {
  const [oa, ob, oc, od] = [o, o + hw, o + 2 * hw, o + 3 * hw];
  for (let ci = 0; ci < cin; ci++) {
    const a = wd[wRow + ci]!;
    const b = wd[wRow + cin + ci]!;
    const c = wd[wRow + 2 * cin + ci]!;
    const d = wd[wRow + 3 * cin + ci]!;
    const xr = xBatch + ci * hw;
    for (let p = 0; p < hw; p++) {
      const e = xd[xr + p]!;
      out[oa + p] = fma32f(e, a, out[oa + p]!);
      out[ob + p] = fma32f(e, b, out[ob + p]!);
      out[oc + p] = fma32f(e, c, out[oc + p]!);
      out[od + p] = fma32f(e, d, out[od + p]!);
    }
  }
}
