/**
 * pointwiseConv2d's accepted forms (PyTorch's conv2d with a 1×1 kernel): x (N, C, H, W) or
 * unbatched (C, H, W); padding a number, [n], [h, w], 'valid' or 'same' (both none for a 1×1
 * kernel). The output is (N, Cout, H + 2·pH, W + 2·pW), or without N for an unbatched x.
 *
 * The canonical form is the unpadded convolution of x (N, C, H, W) (the same data), padding 0. A
 * padded output is that output inside a border: an output pixel in the padding has no tap inside
 * the input, so, as in depthwiseConv2d's order (padded taps skipped), it is `+0 ⊕ bias[co]` (+0
 * without a bias), which `restore` writes around the canonical output.
 */
import { InputRangeError } from '../../errors.ts';
import type { OpOptions, Tensor } from '../../reference/tensor.ts';
import { checkOutputElements, checkTensor, intPair, nonNegativeInt, optionalTensorOfShape, requireDim } from '../../reference/validate.ts';
import { input, optionalInput, type Padding } from '../shared/params.ts';
import { batchedImage, imageOutputShape } from '../shared/canonical.ts';
import type { CanonicalCase, OpCase } from '../types.ts';
import { pointwiseConv2dParams } from './params.ts';

export interface PointwiseConv2dOptions extends OpOptions {
  padding?: Padding;
}

/** Validates the arguments of pointwiseConv2d in the canonical form (x (N, C, H, W), no padding); returns [N, Cin, H, W, Cout]. */
export function pointwiseConv2dGeometry(x: unknown, weight: unknown, bias: unknown): [number, number, number, number, number] {
  const xt = checkTensor(x, 'x', 4);
  const wt = checkTensor(weight, 'weight', 4);
  const [n, cin, h, w] = xt.shape as [number, number, number, number];
  const cout = wt.shape[0]!;
  requireDim(wt, 'weight', 1, cin, 'the input channels of x');
  if (wt.shape[2] !== 1 || wt.shape[3] !== 1) throw new InputRangeError('weight.shape', '[Cout, Cin, 1, 1] (a 1×1 kernel)', wt.shape);
  optionalTensorOfShape(bias, 'bias', [cout]);
  checkOutputElements([n, cout, h, w], 'weight.shape[0]', cout);
  return [n, cin, h, w, cout];
}

/** The padding [pH, pW] of a 1×1 convolution: 'valid' and 'same' are none. */
export function pointwisePadding(padding: unknown): [number, number] {
  if (padding === 'valid' || padding === 'same' || padding === undefined || padding === null) return [0, 0];
  if (typeof padding === 'string') throw new InputRangeError('padding', "a number, [n], a pair [h, w], 'valid' or 'same'", padding);
  return intPair(padding, 'padding', nonNegativeInt, true);
}

/** Where the canonical output [N, Cout, H, W] sits in the padded output. */
export interface Border {
  readonly n: number;
  readonly cout: number;
  readonly h: number;
  readonly w: number;
  readonly padding: [number, number];
}

/**
 * The padded output from the canonical output's data `inner` [N, Cout, H, W]: each channel's
 * plane inside a border of `fill(co)`. For the outputs (Float32Array) and their bounds (Float64Array).
 */
export function embed<A extends Float32Array | Float64Array>(inner: A, b: Border, fill: (co: number) => number, make: (n: number) => A): A {
  const [ph, pw] = b.padding;
  const [H, W] = [b.h + 2 * ph, b.w + 2 * pw];
  const out = make(b.n * b.cout * H * W);
  for (let plane = 0; plane < b.n * b.cout; plane++) {
    const base = plane * H * W;
    out.fill(fill(plane % b.cout), base, base + H * W);
    for (let r = 0; r < b.h; r++) out.set(inner.subarray((plane * b.h + r) * b.w, (plane * b.h + r + 1) * b.w), base + (r + ph) * W + pw);
  }
  return out;
}

/** An output pixel in the padding: no taps, so acc = +0 and y = +0 ⊕ bias[co] (the Float32Array store rounds). */
export const borderValue = (bias: Tensor | null) => (co: number): number => (bias === null ? 0 : 0 + bias.data[co]!);

export interface PointwiseForm {
  /** x as (N, C, H, W). */
  readonly x: Tensor;
  readonly outputShape: number[];
  /** Null without padding. */
  readonly border: Border | null;
}

/** Validates the arguments in any accepted form; returns x as (N, C, H, W), the output shape and the border. */
export function pointwiseForm(x: unknown, weight: unknown, bias: unknown, padding: unknown): PointwiseForm {
  const b = batchedImage(x);
  const [n, , h, w, cout] = pointwiseConv2dGeometry(b.x, weight, bias);
  const p = pointwisePadding(padding);
  const shape = [n, cout, h + 2 * p[0], w + 2 * p[1]];
  checkOutputElements(shape, 'padding', padding);
  return { x: b.x, outputShape: imageOutputShape(shape, b.unbatched), border: p[0] + p[1] > 0 ? { n, cout, h, w, padding: p } : null };
}

export function pointwiseConv2dCanonical(c: OpCase): CanonicalCase {
  const weight = input(c, 'weight');
  const bias = optionalInput(c, 'bias');
  const f = pointwiseForm(input(c, 'x'), weight, bias, pointwiseConv2dParams.read(c).padding);
  const k: OpCase = { op: c.op, params: { padding: 0 }, inputs: { x: f.x, weight, bias } };
  const border = f.border;
  if (border === null) return { case: k, outputShape: f.outputShape };
  return {
    case: k,
    outputShape: f.outputShape,
    restore: (y) => ({ shape: [...f.outputShape], data: embed(y.data, border, borderValue(bias), (n) => new Float32Array(n)) }),
  };
}
