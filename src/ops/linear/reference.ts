/** Fully connected layer, PyTorch `linear(x (*, in), weight (out, in) or (in), bias (out) or ())`, float32. */
import { fma32f } from '../../reference/float32.ts';
import type { OpOptions, Tensor } from '../../reference/tensor.ts';
import { checkOutputElements, checkTensor, optionalTensorOfShape, profileOf, requireDim } from '../../reference/validate.ts';
import { linearForm } from './canonical.ts';

/** Validates the arguments of linear in the canonical form (x [N, in], weight [out, in], bias [out]); returns [N, in, out]. */
export function linearGeometry(x: unknown, weight: unknown, bias: unknown): [number, number, number] {
  const xt = checkTensor(x, 'x', 2);
  const wt = checkTensor(weight, 'weight', 2);
  const [n, inF] = xt.shape as [number, number];
  requireDim(wt, 'weight', 1, inF, 'the in-features of x');
  const outF = wt.shape[0]!;
  optionalTensorOfShape(bias, 'bias', [outF]);
  checkOutputElements([n, outF], 'weight.shape[0]', outF);
  return [n, inF, outF];
}

/**
 * y = x·weightᵀ + bias, in every form PyTorch's `linear` accepts:
 *   x (*, in), any rank ≥ 1;  weight (out, in) or (in);  bias (out), () (added to every output) or none;
 *   output (*, out), or (*) for a 1-D weight.
 * Evaluated as the canonical x [rows, in] (./canonical.ts: the same data, rows = the product of
 * the leading dims) by linearCore, in its order.
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null, options?: OpOptions): Tensor {
  const f = linearForm(x, weight, bias);
  return { shape: f.outputShape, data: linearCore(f.x, f.weight, f.bias, options).data };
}

/**
 * linear on the canonical form x [N, in], weight [out, in], bias [out] (or none).
 *
 * Evaluation order (the contract, docs/evaluation-order.md), per output element y[n,o]:
 *   acc = +0; for i in 0..in-1: acc = acc ⊕ (x[n,i] ⊗ w[o,i])   — fma(x, w, acc) under 'fma'
 *   y = acc ⊕ bias[o]   (if there is a bias)
 * (Strict evaluates several outputs' chains side by side; each chain keeps this order.)
 */
export function linearCore(x: Tensor, weight: Tensor, bias?: Tensor | null, options?: OpOptions): Tensor {
  const [n, inF, outF] = linearGeometry(x, weight, bias);
  const profile = profileOf(options);
  const out = new Float32Array(n * outF);
  const bd = bias ? bias.data : null;
  if (profile === 'fma') {
    for (let b = 0; b < n; b++) {
      let o = 0;
      for (; o + 4 <= outF; o += 4) dotFused4(x.data, b * inF, weight.data, inF, bd, o, out, b * outF);
      for (; o < outF; o++) out[b * outF + o] = dotFused(x.data, b * inF, weight.data, o * inF, inF, bd, o);
    }
  } else {
    linearStrict(x.data, weight.data, bd, out, n, inF, outF);
  }
  return { shape: [n, outF], data: out };
}

function dotFused(xd: Float32Array, xr: number, wd: Float32Array, wr: number, inF: number, bd: Float32Array | null, o: number): number {
  let acc = 0;
  for (let i = 0; i < inF; i++) acc = fma32f(xd[xr + i]!, wd[wr + i]!, acc);
  return bd === null ? acc : Math.fround(acc + bd[o]!);
}

/** Four outputs' fused chains side by side (latency hiding); each chain in the documented order. */
function dotFused4(xd: Float32Array, xr: number, wd: Float32Array, inF: number, bd: Float32Array | null, o: number, out: Float32Array, outRow: number): void {
  const w0 = o * inF;
  const w1 = w0 + inF;
  const w2 = w1 + inF;
  const w3 = w2 + inF;
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  for (let i = 0; i < inF; i++) {
    const u = xd[xr + i]!;
    a0 = fma32f(u, wd[w0 + i]!, a0);
    a1 = fma32f(u, wd[w1 + i]!, a1);
    a2 = fma32f(u, wd[w2 + i]!, a2);
    a3 = fma32f(u, wd[w3 + i]!, a3);
  }
  const r = outRow + o;
  out[r] = bd === null ? a0 : a0 + bd[o]!;
  out[r + 1] = bd === null ? a1 : a1 + bd[o + 1]!;
  out[r + 2] = bd === null ? a2 : a2 + bd[o + 2]!;
  out[r + 3] = bd === null ? a3 : a3 + bd[o + 3]!;
}

/**
 * Strict: eight independent accumulation chains at a time (two rows × four outputs), each in
 * the documented order; the chains only add instruction-level parallelism and weight reuse.
 */
function linearStrict(xd: Float32Array, wd: Float32Array, bd: Float32Array | null, out: Float32Array, n: number, inF: number, outF: number): void {
  const fr = Math.fround;
  const withBias = (acc: number, o: number): number => (bd === null ? acc : acc + bd[o]!);
  let b = 0;
  for (; b + 2 <= n; b += 2) {
    const x0 = b * inF;
    const x1 = x0 + inF;
    let o = 0;
    for (; o + 4 <= outF; o += 4) {
      const w0 = o * inF;
      const w1 = w0 + inF;
      const w2 = w1 + inF;
      const w3 = w2 + inF;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
      for (let i = 0; i < inF; i++) {
        const u = xd[x0 + i]!;
        const v = xd[x1 + i]!;
        const k0 = wd[w0 + i]!, k1 = wd[w1 + i]!, k2 = wd[w2 + i]!, k3 = wd[w3 + i]!;
        a0 = fr(a0 + fr(u * k0));
        a1 = fr(a1 + fr(u * k1));
        a2 = fr(a2 + fr(u * k2));
        a3 = fr(a3 + fr(u * k3));
        b0 = fr(b0 + fr(v * k0));
        b1 = fr(b1 + fr(v * k1));
        b2 = fr(b2 + fr(v * k2));
        b3 = fr(b3 + fr(v * k3));
      }
      const r0 = b * outF + o;
      const r1 = r0 + outF;
      out[r0] = withBias(a0, o);
      out[r0 + 1] = withBias(a1, o + 1);
      out[r0 + 2] = withBias(a2, o + 2);
      out[r0 + 3] = withBias(a3, o + 3);
      out[r1] = withBias(b0, o);
      out[r1 + 1] = withBias(b1, o + 1);
      out[r1 + 2] = withBias(b2, o + 2);
      out[r1 + 3] = withBias(b3, o + 3);
    }
    for (; o < outF; o++) {
      const w0 = o * inF;
      let a = 0;
      let c = 0;
      for (let i = 0; i < inF; i++) {
        const k = wd[w0 + i]!;
        a = fr(a + fr(xd[x0 + i]! * k));
        c = fr(c + fr(xd[x1 + i]! * k));
      }
      out[b * outF + o] = withBias(a, o);
      out[(b + 1) * outF + o] = withBias(c, o);
    }
  }
  for (; b < n; b++) {
    const x0 = b * inF;
    let o = 0;
    for (; o + 4 <= outF; o += 4) {
      const w0 = o * inF;
      const w1 = w0 + inF;
      const w2 = w1 + inF;
      const w3 = w2 + inF;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      for (let i = 0; i < inF; i++) {
        const u = xd[x0 + i]!;
        a0 = fr(a0 + fr(u * wd[w0 + i]!));
        a1 = fr(a1 + fr(u * wd[w1 + i]!));
        a2 = fr(a2 + fr(u * wd[w2 + i]!));
        a3 = fr(a3 + fr(u * wd[w3 + i]!));
      }
      const r = b * outF + o;
      out[r] = withBias(a0, o);
      out[r + 1] = withBias(a1, o + 1);
      out[r + 2] = withBias(a2, o + 2);
      out[r + 3] = withBias(a3, o + 3);
    }
    for (; o < outF; o++) {
      const w0 = o * inF;
      let a = 0;
      for (let i = 0; i < inF; i++) a = fr(a + fr(xd[x0 + i]! * wd[w0 + i]!));
      out[b * outF + o] = withBias(a, o);
    }
  }
}
