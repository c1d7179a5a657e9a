/**
 * A test-only backend that is as loose as an `Accuracy` allows, evaluating the ops in the
 * documented order (docs/evaluation-order.md): every division and square root moved by
 * ⌊ulp⌋ ULPs from the correctly rounded result (away from zero, toward zero, or at random),
 * multiply-adds fused, unfused or mixed, and subnormal inputs and results flushed to zero when
 * the accuracy allows flushing. The bound tests check that the derived bounds cover it.
 */
import { fma32, nextDown, nextUp } from '../../src/reference/float32.ts';
import { adaptiveWindow } from '../../src/reference/adaptiveAvgPool2d.ts';
import type { Accuracy, OpCase } from '../../src/ops/types.ts';
import { getOpSpec } from '../../src/ops/registry.ts';

export type Push = 'away' | 'toward' | 'random';
export type Fusion = 'strict' | 'fma' | 'mixed';

export class LooseBackend {
  private state: number;
  constructor(
    readonly accuracy: Accuracy,
    readonly push: Push,
    readonly fusion: Fusion,
    seed = 1,
  ) {
    this.state = seed >>> 0 || 1;
  }
  private coin(): boolean {
    // xorshift32
    let s = this.state;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.state = s >>> 0;
    return (this.state & 1) === 1;
  }
  ftz(x: number): number {
    return this.accuracy.flushSubnormals && Math.abs(x) < 2 ** -126 ? 0 * Math.sign(x) || 0 : x;
  }
  add(a: number, b: number): number {
    return this.ftz(Math.fround(a + b));
  }
  mul(a: number, b: number): number {
    return this.ftz(Math.fround(a * b));
  }
  /** acc ⊕ (a ⊗ b), fused or not per the fusion mode. */
  madd(acc: number, a: number, b: number): number {
    const fused = this.fusion === 'fma' || (this.fusion === 'mixed' && this.coin());
    return fused ? this.ftz(fma32(a, b, acc)) : this.add(acc, this.mul(a, b));
  }
  private perturb(r: number, ulp: number): number {
    let v = r;
    if (!Number.isFinite(v)) return v;
    for (let k = 0; k < Math.floor(ulp); k++) {
      const away = this.push === 'away' || (this.push === 'random' && this.coin());
      v = (v >= 0) === away ? nextUp(v) : nextDown(v);
    }
    return v;
  }
  div(a: number, b: number): number {
    return this.ftz(this.perturb(Math.fround(a / b), this.accuracy.divUlp));
  }
  sqrt(a: number): number {
    return this.ftz(this.perturb(Math.fround(Math.sqrt(a)), this.accuracy.sqrtUlp));
  }
  inputs(v: Float32Array): Float32Array {
    return v.map((x) => this.ftz(x));
  }
}

function treeSum(be: LooseBackend, n: number, term: (e: number, acc: number) => number): number {
  const p = new Float64Array(256);
  for (let e = 0; e < n; e++) p[e % 256] = term(e, p[e % 256]!);
  for (let s = 128; s >= 1; s >>= 1) for (let l = 0; l < s; l++) p[l] = be.add(p[l]!, p[l + s]!);
  return p[0]!;
}

type Arr = Float32Array;
const pair = (v: unknown, d: number): [number, number] => (Array.isArray(v) ? [v[0] as number, v[1] as number] : typeof v === 'number' ? [v, v] : [d, d]);

function depthwise(be: LooseBackend, x: Arr, xs: number[], w: Arr, ws: number[], b: Arr | null, st: [number, number], pd: [number, number], dl: [number, number]) {
  const [N, C, H, W] = xs as [number, number, number, number];
  const [CO, , KH, KW] = ws as [number, number, number, number];
  const OH = Math.floor((H + 2 * pd[0] - dl[0] * (KH - 1) - 1) / st[0]) + 1;
  const OW = Math.floor((W + 2 * pd[1] - dl[1] * (KW - 1) - 1) / st[1]) + 1;
  const out = new Float32Array(N * CO * OH * OW);
  let o = 0;
  for (let n = 0; n < N; n++)
    for (let oc = 0; oc < CO; oc++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          let acc = 0;
          for (let kh = 0; kh < KH; kh++)
            for (let kw = 0; kw < KW; kw++) {
              const ih = oh * st[0] - pd[0] + kh * dl[0];
              const iw = ow * st[1] - pd[1] + kw * dl[1];
              if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
              acc = be.madd(acc, x[((n * C + Math.floor(oc / (CO / C))) * H + ih) * W + iw]!, w[(oc * KH + kh) * KW + kw]!);
            }
          out[o++] = b === null ? acc : be.add(acc, b[oc]!);
        }
  return { data: out, shape: [N, CO, OH, OW] };
}

function pointwise(be: LooseBackend, x: Arr, xs: number[], w: Arr, CO: number, b: Arr | null) {
  const [N, CI, H, W] = xs as [number, number, number, number];
  const hw = H * W;
  const out = new Float32Array(N * CO * hw);
  for (let n = 0; n < N; n++)
    for (let co = 0; co < CO; co++)
      for (let p = 0; p < hw; p++) {
        let acc = 0;
        for (let ci = 0; ci < CI; ci++) acc = be.madd(acc, x[(n * CI + ci) * hw + p]!, w[co * CI + ci]!);
        out[(n * CO + co) * hw + p] = b === null ? acc : be.add(acc, b[co]!);
      }
  return { data: out, shape: [N, CO, H, W] };
}

function linear(be: LooseBackend, x: Arr, N: number, IN: number, w: Arr, OUT: number, b: Arr | null) {
  const out = new Float32Array(N * OUT);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < OUT; o++) {
      let acc = 0;
      for (let i = 0; i < IN; i++) acc = be.madd(acc, x[n * IN + i]!, w[o * IN + i]!);
      out[n * OUT + o] = b === null ? acc : be.add(acc, b[o]!);
    }
  return out;
}

function pool(be: LooseBackend, x: Arr, xs: number[], OH: number, OW: number) {
  const [N, C, H, W] = xs as [number, number, number, number];
  const out = new Float32Array(N * C * OH * OW);
  let o = 0;
  for (let pl = 0; pl < N * C; pl++)
    for (let i = 0; i < OH; i++)
      for (let j = 0; j < OW; j++) {
        const [r0, r1] = adaptiveWindow(i, H, OH);
        const [c0, c1] = adaptiveWindow(j, W, OW);
        const wc = c1 - c0;
        const n = (r1 - r0) * wc;
        const s = treeSum(be, n, (e, acc) => be.add(acc, x[(pl * H + r0 + Math.floor(e / wc)) * W + c0 + (e % wc)]!));
        out[o++] = be.div(s, n);
      }
  return out;
}

function groupNorm(be: LooseBackend, x: Arr, xs: number[], G: number, gw: Arr | null, gb: Arr | null, eps: number) {
  const N = xs[0]!;
  const C = xs[1]!;
  let S = 1;
  for (let i = 2; i < xs.length; i++) S *= xs[i]!;
  const n = (C / G) * S;
  const out = new Float32Array(x.length);
  const e32 = be.ftz(Math.fround(eps));
  for (let b = 0; b < N; b++)
    for (let g = 0; g < G; g++) {
      const start = (b * C + g * (C / G)) * S;
      const mean = be.div(treeSum(be, n, (e, acc) => be.add(acc, x[start + e]!)), n);
      const q = treeSum(be, n, (e, acc) => {
        const d = be.add(x[start + e]!, -mean);
        return be.madd(acc, d, d);
      });
      const sd = be.sqrt(be.add(be.div(q, n), e32));
      for (let e = 0; e < n; e++) {
        const c = Math.floor((start + e - b * C * S) / S);
        const t = be.div(be.add(x[start + e]!, -mean), sd);
        let y = t;
        if (gw !== null && gb !== null) y = be.madd(gb[c]!, t, gw[c]!);
        else if (gw !== null) y = be.mul(t, gw[c]!);
        else if (gb !== null) y = be.add(t, gb[c]!);
        out[start + e] = y;
      }
    }
  return out;
}

/** Evaluates case `c` on the loose backend `be` (documented order). */
export function looseEval(c: OpCase, be: LooseBackend): Float32Array {
  const I = (name: string) => {
    const t = c.inputs[name];
    return t === undefined || t === null ? null : { data: be.inputs(t.data), shape: t.shape };
  };
  const R = (name: string) => I(name)!;
  const p = c.params;
  switch (c.op) {
    case 'relu':
      return R('x').data.map((v) => (v < 0 ? 0 : v));
    case 'depthwiseConv2d': {
      const x = R('x');
      const w = R('weight');
      return depthwise(be, x.data, x.shape, w.data, w.shape, I('bias')?.data ?? null, pair(p['stride'], 1), pair(p['padding'], 0), pair(p['dilation'], 1)).data;
    }
    case 'pointwiseConv2d': {
      const x = R('x');
      const w = R('weight');
      return pointwise(be, x.data, x.shape, w.data, w.shape[0]!, I('bias')?.data ?? null).data;
    }
    case 'linear': {
      const x = R('x');
      const w = R('weight');
      return linear(be, x.data, x.shape[0]!, x.shape[1]!, w.data, w.shape[0]!, I('bias')?.data ?? null);
    }
    case 'adaptiveAvgPool2d': {
      const x = R('x');
      const [oh, ow] = pair(p['outputSize'], 1);
      return pool(be, x.data, x.shape, oh, ow);
    }
    case 'groupNorm': {
      const x = R('x');
      return groupNorm(be, x.data, x.shape, p['numGroups'] as number, I('weight')?.data ?? null, I('bias')?.data ?? null, (p['eps'] as number | undefined) ?? 1e-5);
    }
    case 'depthwiseSeparableBlock': {
      const x = R('x');
      const dw = depthwise(be, x.data, x.shape, R('dwWeight').data, R('dwWeight').shape, I('dwBias')?.data ?? null, [1, 1], [1, 1], [1, 1]);
      const pwW = R('pwWeight');
      const pw = pointwise(be, dw.data, dw.shape, pwW.data, pwW.shape[0]!, I('pwBias')?.data ?? null);
      const gn = groupNorm(be, pw.data, pw.shape, p['numGroups'] as number, I('gnWeight')?.data ?? null, I('gnBias')?.data ?? null, (p['eps'] as number | undefined) ?? 1e-5);
      const r = gn.map((v) => be.ftz(v < 0 ? 0 : v));
      const pooled = pool(be, r, pw.shape, 1, 1);
      const fc = R('fcWeight');
      return linear(be, pooled, pw.shape[0]!, pw.shape[1]!, fc.data, fc.shape[0]!, I('fcBias')?.data ?? null);
    }
  }
}

/** Output length of a case (via the registry). */
export function outputSize(c: OpCase): number {
  return getOpSpec(c.op).outputShape(c).reduce((a, b) => a * b, 1);
}
