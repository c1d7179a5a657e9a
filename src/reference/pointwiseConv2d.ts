/** Pointwise (1×1) convolution, PyTorch `conv2d(x, weight [Cout,Cin,1,1], bias)`, NCHW float32. */
import { InputRangeError } from '../errors.ts';
import { fma32f } from './float32.ts';
import type { OpOptions, Tensor } from './tensor.ts';
import { checkTensor, optionalTensorOfShape, profileOf, requireDim } from './validate.ts';

/** Validates the arguments of pointwiseConv2d; returns [N, Cin, H, W, Cout]. */
export function pointwiseConv2dGeometry(x: unknown, weight: unknown, bias: unknown): [number, number, number, number, number] {
  const xt = checkTensor(x, 'x', 4);
  const wt = checkTensor(weight, 'weight', 4);
  const [n, cin, h, w] = xt.shape as [number, number, number, number];
  const cout = wt.shape[0]!;
  requireDim(wt, 'weight', 1, cin, 'the input channels of x');
  if (wt.shape[2] !== 1 || wt.shape[3] !== 1) throw new InputRangeError('weight.shape', '[Cout, Cin, 1, 1] (a 1×1 kernel)', wt.shape);
  optionalTensorOfShape(bias, 'bias', [cout]);
  return [n, cin, h, w, cout];
}

/**
 * 1×1 convolution: y[b,co,p] over pixels p.
 *
 * Evaluation order (the contract, docs/evaluation-order.md), per output element:
 *   acc = +0; for ci in 0..Cin-1: acc = acc ⊕ (x[b,ci,p] ⊗ w[co,ci])   — fma(x, w, acc) under 'fma'
 *   y = acc ⊕ bias[co]   (if there is a bias)
 * (Loops may be interchanged — here ci runs outside the pixel loop — as long as each output's
 * accumulation follows ci = 0, 1, … in order.)
 */
export function pointwiseConv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options?: OpOptions): Tensor {
  const [n, cin, h, w, cout] = pointwiseConv2dGeometry(x, weight, bias);
  const profile = profileOf(options);
  const hw = h * w;
  const xd = x.data;
  const wd = weight.data;
  const bd = bias?.data;
  const out = new Float32Array(n * cout * hw);
  for (let b = 0; b < n; b++) {
    const xBatch = b * cin * hw;
    for (let co = 0; co < cout; co++) {
      // The output row is the accumulator: each Float32Array store rounds acc ⊕ (x ⊗ w) exactly.
      const acc = out.subarray((b * cout + co) * hw, (b * cout + co + 1) * hw);
      for (let ci = 0; ci < cin; ci++) {
        const wv = wd[co * cin + ci]!;
        const xRow = xBatch + ci * hw;
        if (profile === 'fma') {
          for (let p = 0; p < hw; p++) acc[p] = fma32f(xd[xRow + p]!, wv, acc[p]!);
        } else {
          for (let p = 0; p < hw; p++) acc[p] = acc[p]! + Math.fround(xd[xRow + p]! * wv);
        }
      }
      if (bd !== undefined) {
        const bv = bd[co]!;
        for (let p = 0; p < hw; p++) acc[p] = acc[p]! + bv;
      }
    }
  }
  return { shape: [n, cout, h, w], data: out };
}
