/** Fully connected layer, PyTorch `linear(x [N,in], weight [out,in], bias [out])`, float32. */
import { fma32f } from './float32.ts';
import type { OpOptions, Tensor } from './tensor.ts';
import { checkTensor, optionalTensorOfShape, profileOf, requireDim } from './validate.ts';

/** Validates the arguments of linear; returns [N, in, out]. */
export function linearGeometry(x: unknown, weight: unknown, bias: unknown): [number, number, number] {
  const xt = checkTensor(x, 'x', 2);
  const wt = checkTensor(weight, 'weight', 2);
  const [n, inF] = xt.shape as [number, number];
  requireDim(wt, 'weight', 1, inF, 'the in-features of x');
  const outF = wt.shape[0]!;
  optionalTensorOfShape(bias, 'bias', [outF]);
  return [n, inF, outF];
}

/**
 * y = x·weightᵀ + bias.
 *
 * Evaluation order (the contract, docs/evaluation-order.md), per output element y[n,o]:
 *   acc = +0; for i in 0..in-1: acc = acc ⊕ (x[n,i] ⊗ w[o,i])   — fma(x, w, acc) under 'fma'
 *   y = acc ⊕ bias[o]   (if there is a bias)
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null, options?: OpOptions): Tensor {
  const [n, inF, outF] = linearGeometry(x, weight, bias);
  const profile = profileOf(options);
  const xd = x.data;
  const wd = weight.data;
  const bd = bias?.data;
  const out = new Float32Array(n * outF);
  for (let b = 0; b < n; b++) {
    const xRow = b * inF;
    let o = 0;
    if (profile === 'strict') {
      // Four independent output chains at once: the same per-output order, more instruction-level parallelism.
      for (; o + 4 <= outF; o += 4) {
        const w0 = o * inF;
        const w1 = w0 + inF;
        const w2 = w1 + inF;
        const w3 = w2 + inF;
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        for (let i = 0; i < inF; i++) {
          const xv = xd[xRow + i]!;
          a0 = Math.fround(a0 + Math.fround(xv * wd[w0 + i]!));
          a1 = Math.fround(a1 + Math.fround(xv * wd[w1 + i]!));
          a2 = Math.fround(a2 + Math.fround(xv * wd[w2 + i]!));
          a3 = Math.fround(a3 + Math.fround(xv * wd[w3 + i]!));
        }
        const r = b * outF + o;
        out[r] = bd === undefined ? a0 : a0 + bd[o]!;
        out[r + 1] = bd === undefined ? a1 : a1 + bd[o + 1]!;
        out[r + 2] = bd === undefined ? a2 : a2 + bd[o + 2]!;
        out[r + 3] = bd === undefined ? a3 : a3 + bd[o + 3]!;
      }
    }
    for (; o < outF; o++) {
      const wRow = o * inF;
      let acc = 0;
      if (profile === 'fma') {
        for (let i = 0; i < inF; i++) acc = fma32f(xd[xRow + i]!, wd[wRow + i]!, acc);
      } else {
        for (let i = 0; i < inF; i++) acc = Math.fround(acc + Math.fround(xd[xRow + i]! * wd[wRow + i]!));
      }
      out[b * outF + o] = bd === undefined ? acc : acc + bd[o]!;
    }
  }
  return { shape: [n, outF], data: out };
}
