/**
 * Near-exact float64 evaluations of the CNN ops, the "exact real result" the bound tests compare
 * against. Dot products and sums accumulate in double-double (TwoSum), so they are exact to
 * ~2⁻¹⁰⁰ relative to Σ|terms| (float32 products are exact in float64); groupNorm's divisions and
 * square root are float64 (relative error 2⁻⁵³, far below the float32 bounds under test), and
 * the tests allow `exactSlack` for that.
 */
import { adaptiveWindow } from '../../src/ops/adaptiveAvgPool2d/reference.ts';
import type { Tensor } from '../../src/reference/tensor.ts';

/** Double-double accumulator: hi + lo. */
export class DD {
  hi = 0;
  lo = 0;
  add(x: number): void {
    const s = this.hi + x;
    const bb = s - this.hi;
    const err = this.hi - (s - bb) + (x - bb);
    this.hi = s;
    this.lo += err;
  }
  value(): number {
    return this.hi + this.lo;
  }
}

export interface Conv2dParams {
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
}

export function exactDepthwiseConv2d(x: Tensor, w: Tensor, bias: Tensor | null, p: Conv2dParams): Float64Array {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [CO, , KH, KW] = w.shape as [number, number, number, number];
  const mult = CO / C;
  const OH = Math.floor((H + 2 * p.padding[0] - p.dilation[0] * (KH - 1) - 1) / p.stride[0]) + 1;
  const OW = Math.floor((W + 2 * p.padding[1] - p.dilation[1] * (KW - 1) - 1) / p.stride[1]) + 1;
  const out = new Float64Array(N * CO * OH * OW);
  let o = 0;
  for (let b = 0; b < N; b++)
    for (let oc = 0; oc < CO; oc++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          const acc = new DD();
          for (let kh = 0; kh < KH; kh++)
            for (let kw = 0; kw < KW; kw++) {
              const ih = oh * p.stride[0] - p.padding[0] + kh * p.dilation[0];
              const iw = ow * p.stride[1] - p.padding[1] + kw * p.dilation[1];
              if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
              acc.add(x.data[((b * C + Math.floor(oc / mult)) * H + ih) * W + iw]! * w.data[(oc * KH + kh) * KW + kw]!);
            }
          if (bias !== null) acc.add(bias.data[oc]!);
          out[o++] = acc.value();
        }
  return out;
}

export function exactPointwiseConv2d(x: Tensor, w: Tensor, bias: Tensor | null): Float64Array {
  const [N, CI, H, W] = x.shape as [number, number, number, number];
  const CO = w.shape[0]!;
  const hw = H * W;
  const out = new Float64Array(N * CO * hw);
  for (let b = 0; b < N; b++)
    for (let co = 0; co < CO; co++)
      for (let p = 0; p < hw; p++) {
        const acc = new DD();
        for (let ci = 0; ci < CI; ci++) acc.add(x.data[(b * CI + ci) * hw + p]! * w.data[co * CI + ci]!);
        if (bias !== null) acc.add(bias.data[co]!);
        out[(b * CO + co) * hw + p] = acc.value();
      }
  return out;
}

export function exactLinear(x: Tensor, w: Tensor, bias: Tensor | null): Float64Array {
  const [N, IN] = x.shape as [number, number];
  const OUT = w.shape[0]!;
  const out = new Float64Array(N * OUT);
  for (let b = 0; b < N; b++)
    for (let o = 0; o < OUT; o++) {
      const acc = new DD();
      for (let i = 0; i < IN; i++) acc.add(x.data[b * IN + i]! * w.data[o * IN + i]!);
      if (bias !== null) acc.add(bias.data[o]!);
      out[b * OUT + o] = acc.value();
    }
  return out;
}

export function exactAdaptiveAvgPool2d(x: Tensor, outputSize: [number, number]): Float64Array {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [OH, OW] = outputSize;
  const out = new Float64Array(N * C * OH * OW);
  let o = 0;
  for (let pl = 0; pl < N * C; pl++)
    for (let i = 0; i < OH; i++)
      for (let j = 0; j < OW; j++) {
        const [r0, r1] = adaptiveWindow(i, H, OH);
        const [c0, c1] = adaptiveWindow(j, W, OW);
        const acc = new DD();
        for (let r = r0; r < r1; r++) for (let q = c0; q < c1; q++) acc.add(x.data[(pl * H + r) * W + q]!);
        out[o++] = acc.value() / ((r1 - r0) * (c1 - c0));
      }
  return out;
}

/** Exact-ish groupNorm on float64 data (eps rounded to float32, as the contract defines). */
export function exactGroupNorm(
  xd: ArrayLike<number>,
  shape: readonly number[],
  G: number,
  gamma: ArrayLike<number> | null,
  beta: ArrayLike<number> | null,
  eps: number,
): Float64Array {
  const N = shape[0]!;
  const C = shape[1]!;
  let S = 1;
  for (let i = 2; i < shape.length; i++) S *= shape[i]!;
  const n = (C / G) * S;
  const out = new Float64Array(N * C * S);
  const e32 = Math.fround(eps);
  for (let b = 0; b < N; b++)
    for (let g = 0; g < G; g++) {
      const start = (b * C + g * (C / G)) * S;
      const acc = new DD();
      for (let e = 0; e < n; e++) acc.add(xd[start + e]!);
      const mu = acc.value() / n;
      // Second pass on the residual of the float64 mean: exact-ish deviations.
      const acc2 = new DD();
      for (let e = 0; e < n; e++) acc2.add(xd[start + e]! - mu);
      const mu2 = mu + acc2.value() / n;
      const q = new DD();
      for (let e = 0; e < n; e++) {
        const d = xd[start + e]! - mu2;
        q.add(d * d);
      }
      const sd = Math.sqrt(q.value() / n + e32);
      for (let e = 0; e < n; e++) {
        const c = Math.floor((start + e - b * C * S) / S);
        const t = (xd[start + e]! - mu2) / sd;
        out[start + e] = t * (gamma === null ? 1 : gamma[c]!) + (beta === null ? 0 : beta[c]!);
      }
    }
  return out;
}

/** Exact-ish block: the stages above in float64. */
export function exactBlock(
  x: Tensor,
  p: {
    dwWeight: Tensor; dwBias?: Tensor | null; pwWeight: Tensor; pwBias?: Tensor | null; numGroups: number;
    gnWeight?: Tensor | null; gnBias?: Tensor | null; eps?: number; fcWeight: Tensor; fcBias?: Tensor | null;
  },
): Float64Array {
  const [N, , H, W] = x.shape as [number, number, number, number];
  const one: [number, number] = [1, 1];
  const y1 = exactDepthwiseConv2d(x, p.dwWeight, p.dwBias ?? null, { stride: one, padding: one, dilation: one });
  const CM = p.dwWeight.shape[0]!;
  const CO = p.pwWeight.shape[0]!;
  const hw = H * W;
  const y2 = new Float64Array(N * CO * hw);
  for (let b = 0; b < N; b++)
    for (let co = 0; co < CO; co++)
      for (let q = 0; q < hw; q++) {
        const acc = new DD();
        for (let ci = 0; ci < CM; ci++) acc.add(y1[(b * CM + ci) * hw + q]! * p.pwWeight.data[co * CM + ci]!);
        if (p.pwBias) acc.add(p.pwBias.data[co]!);
        y2[(b * CO + co) * hw + q] = acc.value();
      }
  const y3 = exactGroupNorm(y2, [N, CO, H, W], p.numGroups, p.gnWeight?.data ?? null, p.gnBias?.data ?? null, p.eps ?? 1e-5);
  const pooled = new Float64Array(N * CO);
  for (let pl = 0; pl < N * CO; pl++) {
    const acc = new DD();
    for (let q = 0; q < hw; q++) acc.add(Math.max(y3[pl * hw + q]!, 0));
    pooled[pl] = acc.value() / hw;
  }
  const OUT = p.fcWeight.shape[0]!;
  const out = new Float64Array(N * OUT);
  for (let b = 0; b < N; b++)
    for (let o = 0; o < OUT; o++) {
      const acc = new DD();
      for (let i = 0; i < CO; i++) acc.add(pooled[b * CO + i]! * p.fcWeight.data[o * CO + i]!);
      if (p.fcBias) acc.add(p.fcBias.data[o]!);
      out[b * OUT + o] = acc.value();
    }
  return out;
}

const pairOf = (v: unknown, d: number): [number, number] =>
  Array.isArray(v) ? [v[0] as number, v[1] as number] : typeof v === 'number' ? [v, v] : [d, d];

/** The exact (to ~2⁻⁵⁰ relative) real result of an OpCase. */
export function exactEval(c: import('../../src/ops/types.ts').OpCase): Float64Array {
  const T = (name: string) => c.inputs[name] ?? null;
  const R = (name: string) => c.inputs[name]!;
  const p = c.params;
  switch (c.op) {
    case 'relu':
      return Float64Array.from(R('x').data, (v) => (v < 0 ? 0 : v));
    case 'depthwiseConv2d':
      return exactDepthwiseConv2d(R('x'), R('weight'), T('bias'), {
        stride: pairOf(p['stride'], 1), padding: pairOf(p['padding'], 0), dilation: pairOf(p['dilation'], 1),
      });
    case 'pointwiseConv2d':
      return exactPointwiseConv2d(R('x'), R('weight'), T('bias'));
    case 'linear':
      return exactLinear(R('x'), R('weight'), T('bias'));
    case 'adaptiveAvgPool2d':
      return exactAdaptiveAvgPool2d(R('x'), pairOf(p['outputSize'], 1));
    case 'groupNorm':
      return exactGroupNorm(R('x').data, R('x').shape, p['numGroups'] as number, T('weight')?.data ?? null, T('bias')?.data ?? null, (p['eps'] as number | undefined) ?? 1e-5);
    case 'depthwiseSeparableBlock':
      return exactBlock(R('x'), {
        dwWeight: R('dwWeight'), dwBias: T('dwBias'), pwWeight: R('pwWeight'), pwBias: T('pwBias'), numGroups: p['numGroups'] as number,
        gnWeight: T('gnWeight'), gnBias: T('gnBias'), eps: (p['eps'] as number | undefined) ?? 1e-5, fcWeight: R('fcWeight'), fcBias: T('fcBias'),
      });
  }
}

/**
 * Allowance for the float64 evaluation error of exactEval: 2⁻⁴⁰ of the output's scale (the
 * largest |exact| in the tensor, at least 2⁻²⁰ of 1). 2⁻¹⁶ of a float32 ULP: any unsoundness
 * at float32 resolution still shows.
 */
export function exactSlack(exact: Float64Array): number {
  let scale = 0;
  for (const v of exact) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  return 2 ** -40 * scale + 2 ** -140;
}
