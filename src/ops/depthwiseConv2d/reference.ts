/**
 * Depthwise 2-D convolution (PyTorch `conv2d(x, weight, bias, stride, padding, dilation,
 * groups = C)`), on (N, C, H, W) or unbatched (C, H, W) inputs, float32.
 */
import { InputRangeError } from '../../errors.ts';
import { fma32f } from '../../reference/float32.ts';
import type { OpOptions, Tensor } from '../../reference/tensor.ts';
import { checkOutputElements, checkTensor, intPair, nonNegativeInt, optionalTensorOfShape, positiveInt, profileOf } from '../../reference/validate.ts';
import { batchedImage, imageOutputShape } from '../shared/canonical.ts';
import type { Padding } from '../shared/params.ts';

export interface DepthwiseConv2dOptions extends OpOptions {
  stride?: number | [number] | [number, number];
  padding?: Padding;
  dilation?: number | [number] | [number, number];
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
  /** Padding before the first row and column (top, left): input row ih = oh·sH − padding[0] + kh·dH. */
  padding: [number, number];
  /**
   * Padding after the last row and column (bottom, right), where it differs from `padding`
   * ('same' with an odd total); absent: the same as `padding`. Only the output size depends on it.
   */
  paddingEnd?: [number, number];
  dilation: [number, number];
  oh: number;
  ow: number;
}

/** Output extent of a convolution along one axis: ⌊(in + p + pEnd − d(k − 1) − 1)/s⌋ + 1 (pEnd = p: symmetric padding). */
export function convOutputSize(inSize: number, k: number, s: number, p: number, d: number, pEnd = p): number {
  return Math.floor((inSize + p + pEnd - d * (k - 1) - 1) / s) + 1;
}

/**
 * conv2d's padding as [begin, end] per axis. A number, [n] or [h, w] pads both sides alike;
 * 'valid' is no padding; 'same' (stride 1 only, as in PyTorch) pads d·(k − 1) in all per axis,
 * ⌊·/2⌋ before and the rest after, so the output has the input's size. PyTorch pads the same way
 * (its extra row or column for an odd total goes after, at the bottom or right).
 */
export function resolvePadding(padding: unknown, stride: [number, number], dilation: [number, number], kernel: [number, number]): { begin: [number, number]; end: [number, number] } {
  if (padding === 'valid') return { begin: [0, 0], end: [0, 0] };
  if (padding === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) throw new InputRangeError('padding', "a number or pair with a stride other than 1 ('same' needs stride 1, as in PyTorch)", padding);
    const total = [dilation[0] * (kernel[0] - 1), dilation[1] * (kernel[1] - 1)] as const;
    const begin: [number, number] = [Math.floor(total[0] / 2), Math.floor(total[1] / 2)];
    return { begin, end: [total[0] - begin[0], total[1] - begin[1]] };
  }
  if (typeof padding === 'string') throw new InputRangeError('padding', "a number, [n], a pair [h, w], 'valid' or 'same'", padding);
  const p = intPair(padding, 'padding', nonNegativeInt, true);
  return { begin: p, end: [...p] };
}

/**
 * Along one axis, per output position o, the kernel taps [lo[o], hi[o]) whose input position
 * o·stride − pad + k·dil lies inside [0, inSize) (padded taps are skipped; lo = hi when none is).
 */
export function inputTaps(outSize: number, k: number, inSize: number, stride: number, pad: number, dil: number): { lo: Int32Array; hi: Int32Array } {
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const base = o * stride - pad;
    lo[o] = Math.max(0, Math.ceil(-base / dil));
    hi[o] = Math.max(lo[o]!, Math.min(k, Math.ceil((inSize - base) / dil)));
  }
  return { lo, hi };
}

/**
 * Validates the arguments of depthwiseConv2d in the canonical form (x (N, C, H, W); stride,
 * padding, dilation in any of conv2d's forms) and returns its geometry (throws InputRangeError).
 */
export function depthwiseConv2dGeometry(x: unknown, weight: unknown, bias: unknown, opts: DepthwiseConv2dOptions | undefined): DepthwiseGeometry {
  const xt = checkTensor(x, 'x', 4);
  const wt = checkTensor(weight, 'weight', 4);
  const [n, c, h, w] = xt.shape as [number, number, number, number];
  const [cout, one, kh, kw] = wt.shape as [number, number, number, number];
  if (one !== 1) throw new InputRangeError('weight.shape[1]', '1 (one input channel per group)', one);
  if (cout % c !== 0) throw new InputRangeError('weight.shape[0]', `a multiple of the input channels ${c} (groups = C)`, cout);
  optionalTensorOfShape(bias, 'bias', [cout]);
  if (opts !== undefined && (typeof opts !== 'object' || opts === null)) throw new InputRangeError('opts', 'an object { stride?, padding?, dilation?, profile? }', opts);
  const stride = intPair(opts?.stride ?? 1, 'stride', positiveInt, true);
  const dilation = intPair(opts?.dilation ?? 1, 'dilation', positiveInt, true);
  const { begin: padding, end: paddingEnd } = resolvePadding(opts?.padding ?? 0, stride, dilation, [kh, kw]);
  const oh = convOutputSize(h, kh, stride[0], padding[0], dilation[0], paddingEnd[0]);
  const ow = convOutputSize(w, kw, stride[1], padding[1], dilation[1], paddingEnd[1]);
  if (oh < 1 || ow < 1) {
    throw new InputRangeError(
      'weight.shape',
      `a dilated kernel that fits the padded input ${h + padding[0] + paddingEnd[0]}×${w + padding[1] + paddingEnd[1]} (output size ≥ 1)`,
      wt.shape,
    );
  }
  const padded = padding[0] + padding[1] + paddingEnd[0] + paddingEnd[1] > 0;
  checkOutputElements([n, cout, oh, ow], padded ? 'padding' : 'weight.shape[0]', padded ? opts?.padding : cout);
  return { n, c, h, w, cout, multiplier: cout / c, kh, kw, stride, padding, paddingEnd, dilation, oh, ow };
}

/**
 * Depthwise convolution in every form PyTorch's conv2d (groups = C) accepts:
 *   x (N, C, H, W) or unbatched (C, H, W); weight (C·m, 1, KH, KW); bias (C·m) or none;
 *   stride, dilation a number, [n] or [h, w]; padding those, 'valid' (none) or 'same' (stride 1
 *   only; d·(k − 1) per axis, ⌊·/2⌋ before and the rest after, as PyTorch pads);
 *   output (N, C·m, OH, OW), or (C·m, OH, OW) for an unbatched x.
 * Evaluated as the canonical form (./canonical.ts: x (N, C, H, W), the same data) by
 * depthwiseConv2dCore, in its order.
 */
export function depthwiseConv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, opts?: DepthwiseConv2dOptions, options?: OpOptions): Tensor {
  const b = batchedImage(x);
  const y = depthwiseConv2dCore(b.x, weight, bias, opts, options);
  return { shape: imageOutputShape(y.shape, b.unbatched), data: y.data };
}

/**
 * Depthwise convolution on the canonical form x (N, C, H, W). `weight` is [C·m, 1, KH, KW]; output
 * channel `oc` reads input channel ⌊oc/m⌋. `opts.profile` or the last argument's `profile` selects the arithmetic (the last wins).
 *
 * Evaluation order (the contract, docs/evaluation-order.md), per output element:
 *   acc = +0
 *   for kh in 0..KH-1, for kw in 0..KW-1:
 *     (ih, iw) = (oh·sH − pH + kh·dH, ow·sW − pW + kw·dW)
 *     if (ih, iw) is inside the input: acc = acc ⊕ (x[ih,iw] ⊗ w[kh,kw])   — fma(x, w, acc) under 'fma'
 *     (padded taps are skipped, not added as 0·w; with 'same' and an odd total, the
 *     extra padding after the input is skipped the same way)
 *   y = acc ⊕ bias[oc]   (if there is a bias)
 */
export function depthwiseConv2dCore(
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

  // Loops run (oh, kh, kw, ow) with the output row as the accumulator row: each output still
  // sees its taps in (kh, kw) order, and the innermost loop is long and branch-free. Valid
  // ranges: kh for each output row, ow for each kw (taps outside the input are skipped).
  const { lo: khLo, hi: khHi } = inputTaps(OH, KH, h, sH, pH, dH);
  const owLo = new Int32Array(KW);
  const owHi = new Int32Array(KW);
  for (let kw = 0; kw < KW; kw++) {
    const shift = kw * dW - pW; // iw = ow·sW + shift
    owLo[kw] = Math.max(0, Math.ceil(-shift / sW));
    owHi[kw] = Math.min(OW, Math.ceil((w - shift) / sW));
  }

  const fused = profile === 'fma';
  for (let b = 0; b < n; b++) {
    for (let oc = 0; oc < cout; oc++) {
      const xPlane = (b * c + Math.floor(oc / multiplier)) * h * w;
      const wBase = oc * KH * KW;
      for (let oh = 0; oh < OH; oh++) {
        const oRow = ((b * cout + oc) * OH + oh) * OW; // out is fresh: every accumulator starts at +0
        for (let kh = khLo[oh]!; kh < khHi[oh]!; kh++) {
          const xRow = xPlane + (oh * sH - pH + kh * dH) * w;
          if (KW === 3 && !fused) {
            row3(out, oRow, OW, xd, xRow - pW, sW, dW, wd, wBase + kh * 3, owLo, owHi);
            continue;
          }
          for (let kw = 0; kw < KW; kw++) {
            const wv = wd[wBase + kh * KW + kw]!;
            const xs = xRow + kw * dW - pW;
            const o1 = owHi[kw]!;
            if (fused) {
              for (let ow = owLo[kw]!; ow < o1; ow++) out[oRow + ow] = fma32f(xd[xs + ow * sW]!, wv, out[oRow + ow]!);
            } else {
              for (let ow = owLo[kw]!; ow < o1; ow++) out[oRow + ow] = out[oRow + ow]! + Math.fround(xd[xs + ow * sW]! * wv);
            }
          }
        }
        // The Float32Array store rounds: out = acc ⊕ bias exactly.
        if (bd !== undefined) {
          const bv = bd[oc]!;
          for (let ow = 0; ow < OW; ow++) out[oRow + ow] = out[oRow + ow]! + bv;
        }
      }
    }
  }
  return { shape: [n, cout, OH, OW], data: out };
}

/**
 * One kernel row of a 3-wide kernel, strict: where all three taps are inside the input the
 * three multiply-adds run back to back in a register (kw = 0, 1, 2 — the documented order);
 * at the borders each tap is checked. `xs` is the input index of iw = 0·sW + 0·dW − pW.
 */
function row3(
  out: Float32Array,
  oRow: number,
  OW: number,
  xd: Float32Array,
  xs: number,
  sW: number,
  dW: number,
  wd: Float32Array,
  wRow: number,
  owLo: Int32Array,
  owHi: Int32Array,
): void {
  const w0 = wd[wRow]!;
  const w1 = wd[wRow + 1]!;
  const w2 = wd[wRow + 2]!;
  // owLo/owHi fall with kw (the tap moves right), so all three taps are valid on [owLo[0], owHi[2]).
  const inLo = Math.min(owLo[0]!, OW);
  const inHi = Math.max(inLo, Math.min(owHi[2]!, OW));
  for (let ow = 0; ow < OW; ow++) {
    if (ow === inLo) {
      for (; ow < inHi; ow++) {
        const q = xs + ow * sW;
        let a = Math.fround(out[oRow + ow]! + Math.fround(xd[q]! * w0));
        a = Math.fround(a + Math.fround(xd[q + dW]! * w1));
        out[oRow + ow] = a + Math.fround(xd[q + 2 * dW]! * w2);
      }
      if (ow >= OW) break;
    }
    const q = xs + ow * sW;
    if (ow >= owLo[0]! && ow < owHi[0]!) out[oRow + ow] = out[oRow + ow]! + Math.fround(xd[q]! * w0);
    if (ow >= owLo[1]! && ow < owHi[1]!) out[oRow + ow] = out[oRow + ow]! + Math.fround(xd[q + dW]! * w1);
    if (ow >= owLo[2]! && ow < owHi[2]!) out[oRow + ow] = out[oRow + ow]! + Math.fround(xd[q + 2 * dW]! * w2);
  }
}
