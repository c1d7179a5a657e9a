/**
 * Depthwise 2-D convolution (PyTorch `conv2d(x, weight, bias, stride, padding, dilation,
 * groups = C)`), NCHW float32.
 */
import { InputRangeError } from '../errors.ts';
import { fma32f } from './float32.ts';
import type { OpOptions, Tensor } from './tensor.ts';
import { checkTensor, intPair, nonNegativeInt, optionalTensorOfShape, positiveInt, profileOf } from './validate.ts';

export interface DepthwiseConv2dOptions extends OpOptions {
  stride?: number | [number, number];
  padding?: number | [number, number];
  dilation?: number | [number, number];
}

/** Validated geometry of a depthwise convolution. */
export interface DepthwiseGeometry {
  n: number;
  c: number;
  h: number;
  w: number;
  /** Output channels C·m; output channel oc reads input channel ⌊oc/m⌋. */
  cout: number;
  multiplier: number;
  kh: number;
  kw: number;
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  oh: number;
  ow: number;
}

/** Output extent of a convolution along one axis: ⌊(in + 2p − d(k − 1) − 1)/s⌋ + 1. */
export function convOutputSize(inSize: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((inSize + 2 * p - d * (k - 1) - 1) / s) + 1;
}

/** Validates the arguments of depthwiseConv2d and returns its geometry (throws InputRangeError). */
export function depthwiseConv2dGeometry(x: unknown, weight: unknown, bias: unknown, opts: DepthwiseConv2dOptions | undefined): DepthwiseGeometry {
  const xt = checkTensor(x, 'x', 4);
  const wt = checkTensor(weight, 'weight', 4);
  const [n, c, h, w] = xt.shape as [number, number, number, number];
  const [cout, one, kh, kw] = wt.shape as [number, number, number, number];
  if (one !== 1) throw new InputRangeError('weight.shape[1]', '1 (one input channel per group)', one);
  if (cout % c !== 0) throw new InputRangeError('weight.shape[0]', `a multiple of the input channels ${c} (groups = C)`, cout);
  optionalTensorOfShape(bias, 'bias', [cout]);
  if (opts !== undefined && (typeof opts !== 'object' || opts === null)) throw new InputRangeError('opts', 'an object { stride?, padding?, dilation?, profile? }', opts);
  const stride = intPair(opts?.stride ?? 1, 'stride', positiveInt);
  const padding = intPair(opts?.padding ?? 0, 'padding', nonNegativeInt);
  const dilation = intPair(opts?.dilation ?? 1, 'dilation', positiveInt);
  const oh = convOutputSize(h, kh, stride[0], padding[0], dilation[0]);
  const ow = convOutputSize(w, kw, stride[1], padding[1], dilation[1]);
  if (oh < 1 || ow < 1) {
    throw new InputRangeError(
      'weight.shape',
      `a dilated kernel that fits the padded input ${h + 2 * padding[0]}×${w + 2 * padding[1]} (output size ≥ 1)`,
      wt.shape,
    );
  }
  return { n, c, h, w, cout, multiplier: cout / c, kh, kw, stride, padding, dilation, oh, ow };
}

/**
 * Depthwise convolution. `weight` is [C·m, 1, KH, KW]; output channel `oc` reads input channel
 * ⌊oc/m⌋. `opts.profile` or the last argument's `profile` selects the arithmetic (the last wins).
 *
 * Evaluation order (the contract, docs/evaluation-order.md), per output element:
 *   acc = +0
 *   for kh in 0..KH-1, for kw in 0..KW-1:
 *     (ih, iw) = (oh·sH − pH + kh·dH, ow·sW − pW + kw·dW)
 *     if (ih, iw) is inside the input: acc = acc ⊕ (x[ih,iw] ⊗ w[kh,kw])   — fma(x, w, acc) under 'fma'
 *     (padded taps are skipped, not added as 0·w)
 *   y = acc ⊕ bias[oc]   (if there is a bias)
 */
export function depthwiseConv2d(
  x: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  opts?: DepthwiseConv2dOptions,
  options?: OpOptions,
): Tensor {
  const g = depthwiseConv2dGeometry(x, weight, bias, opts);
  const lastProfile = profileOf(options);
  const profile = options?.profile !== undefined ? lastProfile : profileOf(opts, 'opts.profile');
  const { n, c, h, w, cout, multiplier, kh: KH, kw: KW, oh: OH, ow: OW } = g;
  const [sH, sW] = g.stride;
  const [pH, pW] = g.padding;
  const [dH, dW] = g.dilation;
  const xd = x.data;
  const wd = weight.data;
  const bd = bias?.data;
  const out = new Float32Array(n * cout * OH * OW);

  // Valid tap ranges per output row/column, so the inner loops carry no bounds tests.
  const khLo = new Int32Array(OH);
  const khHi = new Int32Array(OH);
  for (let oh = 0; oh < OH; oh++) {
    const base = oh * sH - pH;
    khLo[oh] = Math.max(0, Math.ceil(-base / dH));
    khHi[oh] = Math.min(KH, Math.ceil((h - base) / dH));
  }
  const kwLo = new Int32Array(OW);
  const kwHi = new Int32Array(OW);
  for (let ow = 0; ow < OW; ow++) {
    const base = ow * sW - pW;
    kwLo[ow] = Math.max(0, Math.ceil(-base / dW));
    kwHi[ow] = Math.min(KW, Math.ceil((w - base) / dW));
  }

  const fused = profile === 'fma';
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let oc = 0; oc < cout; oc++) {
      const xPlane = (b * c + Math.floor(oc / multiplier)) * h * w;
      const wBase = oc * KH * KW;
      for (let oh = 0; oh < OH; oh++) {
        const ihBase = oh * sH - pH;
        const k0 = khLo[oh]!;
        const k1 = khHi[oh]!;
        for (let ow = 0; ow < OW; ow++) {
          const iwBase = ow * sW - pW;
          const j0 = kwLo[ow]!;
          const j1 = kwHi[ow]!;
          let acc = 0;
          for (let kh = k0; kh < k1; kh++) {
            const xRow = xPlane + (ihBase + kh * dH) * w + iwBase;
            const wRow = wBase + kh * KW;
            if (fused) {
              for (let kw = j0; kw < j1; kw++) acc = fma32f(xd[xRow + kw * dW]!, wd[wRow + kw]!, acc);
            } else {
              for (let kw = j0; kw < j1; kw++) acc = Math.fround(acc + Math.fround(xd[xRow + kw * dW]! * wd[wRow + kw]!));
            }
          }
          // The Float32Array store rounds: out[o] = acc ⊕ bias exactly.
          out[o++] = bd === undefined ? acc : acc + bd[oc]!;
        }
      }
    }
  }
  return { shape: [n, cout, OH, OW], data: out };
}
