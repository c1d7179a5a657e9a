/**
 * Second, deliberately naive implementations of the CNN ops, written from docs/evaluation-order.md
 * with every tap and bounds test spelled out, over a pluggable arithmetic. With float32 strict
 * arithmetic they must reproduce the reference bit for bit; with `fusedArith` they define the
 * 'fma' profile; with `float64Arith` they give the (nearly) exact value the bound is checked
 * against. No code is shared with src/reference except the Tensor type.
 */
import type { Tensor } from '../../src/reference/tensor.ts';
import { exactFma32 } from './exactFloat32.ts';

export interface Arith {
  /** Rounds a stored value (float32: Math.fround; float64: identity). */
  round(v: number): number;
  add(a: number, b: number): number;
  sub(a: number, b: number): number;
  mul(a: number, b: number): number;
  div(a: number, b: number): number;
  sqrt(a: number): number;
  /** The multiply-add acc ⊕ (a ⊗ b). */
  madd(acc: number, a: number, b: number): number;
}

const fr = Math.fround;
export const strictArith: Arith = {
  round: fr,
  add: (a, b) => fr(a + b),
  sub: (a, b) => fr(a - b),
  mul: (a, b) => fr(a * b),
  div: (a, b) => fr(a / b),
  sqrt: (a) => fr(Math.sqrt(a)),
  madd: (acc, a, b) => fr(acc + fr(a * b)),
};
/** 'fma' profile, with the BigInt oracle as the fused operation. */
export const fusedArith: Arith = { ...strictArith, madd: (acc, a, b) => exactFma32(a, b, acc) };
export const float64Arith: Arith = {
  round: (v) => v,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  sqrt: Math.sqrt,
  madd: (acc, a, b) => acc + a * b,
};

/** Output of a naive op: plain numbers (float32 values for the float32 ariths). */
export interface NaiveOut {
  shape: number[];
  data: number[];
}

/** The documented 256-lane strided tree sum, literally; `step` accumulates element e into a lane. */
export function naiveTreeSum(ar: Arith, n: number, step: (acc: number, e: number) => number): number {
  const p: number[] = [];
  for (let l = 0; l < 256; l++) {
    let acc = 0;
    for (let e = l; e < n; e += 256) acc = step(acc, e);
    p.push(acc);
  }
  for (let s = 128; s >= 1; s /= 2) for (let l = 0; l < s; l++) p[l] = ar.add(p[l]!, p[l + s]!);
  return p[0]!;
}

export function naiveDepthwiseConv2d(
  ar: Arith,
  x: Tensor,
  w: Tensor,
  bias: Tensor | null,
  stride: [number, number],
  padding: [number, number],
  dilation: [number, number],
  paddingEnd: [number, number] = padding,
): NaiveOut {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [CO, , KH, KW] = w.shape as [number, number, number, number];
  const m = CO / C;
  const OH = Math.floor((H + padding[0] + paddingEnd[0] - dilation[0] * (KH - 1) - 1) / stride[0]) + 1;
  const OW = Math.floor((W + padding[1] + paddingEnd[1] - dilation[1] * (KW - 1) - 1) / stride[1]) + 1;
  const data: number[] = [];
  for (let n = 0; n < N; n++)
    for (let oc = 0; oc < CO; oc++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          let acc = 0;
          for (let kh = 0; kh < KH; kh++)
            for (let kw = 0; kw < KW; kw++) {
              const ih = oh * stride[0] - padding[0] + kh * dilation[0];
              const iw = ow * stride[1] - padding[1] + kw * dilation[1];
              if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
              const xv = x.data[((n * C + Math.floor(oc / m)) * H + ih) * W + iw]!;
              acc = ar.madd(acc, xv, w.data[(oc * KH + kh) * KW + kw]!);
            }
          data.push(bias ? ar.add(acc, bias.data[oc]!) : acc);
        }
  return { shape: [N, CO, OH, OW], data };
}

export function naivePointwiseConv2d(ar: Arith, x: Tensor, w: Tensor, bias: Tensor | null): NaiveOut {
  const [N, CI, H, W] = x.shape as [number, number, number, number];
  const CO = w.shape[0]!;
  const data: number[] = [];
  for (let n = 0; n < N; n++)
    for (let co = 0; co < CO; co++)
      for (let p = 0; p < H * W; p++) {
        let acc = 0;
        for (let ci = 0; ci < CI; ci++) acc = ar.madd(acc, x.data[(n * CI + ci) * H * W + p]!, w.data[co * CI + ci]!);
        data.push(bias ? ar.add(acc, bias.data[co]!) : acc);
      }
  return { shape: [N, CO, H, W], data };
}

export function naiveLinear(ar: Arith, x: Tensor, w: Tensor, bias: Tensor | null): NaiveOut {
  const [N, IN] = x.shape as [number, number];
  const OUT = w.shape[0]!;
  const data: number[] = [];
  for (let n = 0; n < N; n++)
    for (let o = 0; o < OUT; o++) {
      let acc = 0;
      for (let i = 0; i < IN; i++) acc = ar.madd(acc, x.data[n * IN + i]!, w.data[o * IN + i]!);
      data.push(bias ? ar.add(acc, bias.data[o]!) : acc);
    }
  return { shape: [N, OUT], data };
}

export function naiveAdaptiveAvgPool2d(ar: Arith, x: Tensor, OH: number, OW: number): NaiveOut {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const data: number[] = [];
  for (let nc = 0; nc < N * C; nc++)
    for (let i = 0; i < OH; i++)
      for (let j = 0; j < OW; j++) {
        const r0 = Math.floor((i * H) / OH);
        const r1 = Math.ceil(((i + 1) * H) / OH);
        const c0 = Math.floor((j * W) / OW);
        const c1 = Math.ceil(((j + 1) * W) / OW);
        const v: number[] = [];
        for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) v.push(x.data[(nc * H + r) * W + c]!);
        const s = naiveTreeSum(ar, v.length, (acc, e) => ar.add(acc, v[e]!));
        data.push(ar.div(s, ar.round(v.length)));
      }
  return { shape: [N, C, OH, OW], data };
}

export function naiveGroupNorm(ar: Arith, x: Tensor, G: number, gamma: Tensor | null, beta: Tensor | null, eps: number): NaiveOut {
  const [N, C] = x.shape as [number, number];
  const S = x.data.length / (N * C);
  const cg = C / G;
  const data: number[] = new Array<number>(x.data.length).fill(0);
  for (let n = 0; n < N; n++)
    for (let g = 0; g < G; g++) {
      const off = (n * C + g * cg) * S;
      const cnt = cg * S;
      const v = (e: number): number => x.data[off + e]!;
      const mean = ar.div(
        naiveTreeSum(ar, cnt, (acc, e) => ar.add(acc, v(e))),
        ar.round(cnt),
      );
      const sq = naiveTreeSum(ar, cnt, (acc, e) => {
        const d = ar.sub(v(e), mean);
        return ar.madd(acc, d, d);
      });
      const variance = ar.div(sq, ar.round(cnt));
      const sd = ar.sqrt(ar.add(variance, ar.round(eps)));
      for (let e = 0; e < cnt; e++) {
        const c = g * cg + Math.floor(e / S);
        const t = ar.div(ar.sub(v(e), mean), sd);
        let y = t;
        if (gamma && beta) y = ar.madd(beta.data[c]!, t, gamma.data[c]!);
        else if (gamma) y = ar.mul(t, gamma.data[c]!);
        else if (beta) y = ar.add(t, beta.data[c]!);
        data[off + e] = y;
      }
    }
  return { shape: [...x.shape], data };
}
