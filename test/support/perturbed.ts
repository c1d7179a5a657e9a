/**
 * A test-only backend that is as loose as an `Accuracy` allows, evaluating the ops in the
 * documented order (docs/evaluation-order.md): every division and square root moved by
 * ⌊ulp⌋ ULPs from the correctly rounded result (away from zero, toward zero, or at random),
 * multiply-adds fused, unfused or mixed, and subnormal inputs and results flushed to zero when
 * the accuracy allows flushing. The bound tests check that the derived bounds cover it.
 *
 * Relaxed math (Dawn's default on Metal) on top: `lanes` > 1 reassociates every dot product into
 * that many interleaved partial sums (as a vectorising compiler may), and SimulatedProbeDevice runs
 * `refsim probe`'s forms under the RelaxedMode switches (reassociation, reciprocal division,
 * NaN to zero, −0 to +0, contraction, folded identities).
 */
import { f32Bits, fma32, nextDown, nextUp } from '../../src/reference/float32.ts';
import { adaptiveWindow } from '../../src/ops/adaptiveAvgPool2d/reference.ts';
import type { LoopShape, ProbeDevice } from '../../src/gpu/probe.ts';
import type { AdapterReport } from '../../src/gpu/types.ts';
import type { Accuracy, OpCase } from '../../src/ops/types.ts';
import { getOpSpec } from '../../src/ops/registry.ts';
import { Rng } from '../../src/util/rng.ts';
import { type RelaxedMode, WgslExpr } from './wgslExpr.ts';

export type { RelaxedMode } from './wgslExpr.ts';

export type Push = 'away' | 'toward' | 'random';
export type Fusion = 'strict' | 'fma' | 'mixed';

export class LooseBackend {
  private readonly rng: Rng;
  constructor(
    readonly accuracy: Accuracy,
    readonly push: Push,
    readonly fusion: Fusion,
    seed = 1,
    /** Interleaved partial sums of every dot product (1: the documented order). */
    readonly lanes = 1,
  ) {
    this.rng = new Rng(seed);
  }
  private coin(): boolean {
    return this.rng.coin();
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
  /** step applied for i = 0 … n−1, in `lanes` interleaved partial sums from +0 added in order at the end. */
  chain(n: number, step: (acc: number, i: number) => number): number {
    const p = new Array<number>(Math.max(1, this.lanes)).fill(0);
    for (let i = 0; i < n; i++) p[i % p.length] = step(p[i % p.length]!, i);
    return p.slice(1).reduce((s, v) => this.add(s, v), p[0]!);
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
          const taps: [number, number][] = [];
          for (let kh = 0; kh < KH; kh++)
            for (let kw = 0; kw < KW; kw++) {
              const ih = oh * st[0] - pd[0] + kh * dl[0];
              const iw = ow * st[1] - pd[1] + kw * dl[1];
              if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
              taps.push([((n * C + Math.floor(oc / (CO / C))) * H + ih) * W + iw, (oc * KH + kh) * KW + kw]);
            }
          const acc = be.chain(taps.length, (a, t) => be.madd(a, x[taps[t]![0]]!, w[taps[t]![1]]!));
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
        const acc = be.chain(CI, (a, ci) => be.madd(a, x[(n * CI + ci) * hw + p]!, w[co * CI + ci]!));
        out[(n * CO + co) * hw + p] = b === null ? acc : be.add(acc, b[co]!);
      }
  return { data: out, shape: [N, CO, H, W] };
}

function linear(be: LooseBackend, x: Arr, N: number, IN: number, w: Arr, OUT: number, b: Arr | null) {
  const out = new Float32Array(N * OUT);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < OUT; o++) {
      const acc = be.chain(IN, (a, i) => be.madd(a, x[n * IN + i]!, w[o * IN + i]!));
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

const SIMULATED_ADAPTER: AdapterReport = {
  vendor: 'simulated', architecture: 'relaxed-math', device: 'simulated', description: 'simulated backend (tests)', backend: 'metal', featureLevel: 'core',
};

/**
 * `refsim probe` on a simulated backend: its WGSL forms evaluated by test/support/wgslExpr.ts
 * under `mode`; loop sums in order, or (reassociate) as two interleaved partial sums.
 */
export class SimulatedProbeDevice implements ProbeDevice {
  readonly adapter = SIMULATED_ADAPTER;
  private readonly exprs = new Map<string, WgslExpr>();
  constructor(readonly mode: RelaxedMode = {}) {}

  async elementwise(_name: string, expr: string, a: Float32Array, b: Float32Array, c: Float32Array): Promise<Uint32Array> {
    let e = this.exprs.get(expr);
    if (e === undefined) this.exprs.set(expr, (e = new WgslExpr(expr, this.mode)));
    const out = new Uint32Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = f32Bits(e.eval(a[i]!, b[i]!, c[i]!));
    return out;
  }

  async loopSum(_shape: LoopShape, len: number, x: Float32Array): Promise<Uint32Array> {
    const add = new WgslExpr('a + b', this.mode);
    const rows = Math.floor(x.length / len);
    const out = new Uint32Array(rows);
    for (let row = 0; row < rows; row++) {
      const p = [0, 0];
      const k = this.mode.reassociate ? 2 : 1;
      for (let i = 0; i < len; i++) p[i % k] = add.eval(p[i % k]!, x[row * len + i]!, 0);
      out[row] = f32Bits(k === 2 ? add.eval(p[0]!, p[1]!, 0) : p[0]!);
    }
    return out;
  }
}
