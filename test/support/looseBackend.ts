/**
 * A test-only backend that is as loose as an `Accuracy` allows: every division and square root
 * moved by ⌊ulp⌋ ULPs from the correctly rounded result (away from zero, toward zero, or at random),
 * multiply-adds fused, unfused or mixed, subnormal inputs and results flushed to zero when the
 * accuracy allows flushing, and (relaxed math) `lanes` > 1 interleaved partial sums per dot
 * product. Each op evaluates on it in the documented order in test/ops/<op>/loose.ts.
 */
import { fma32, nextDown, nextUp } from '../../src/reference/float32.ts';
import type { Accuracy, OpCase } from '../../src/ops/types.ts';
import { Rng } from '../../src/util/rng.ts';

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

/** The 256-lane strided tree sum of the documented order, on the loose backend. */
export function treeSum(be: LooseBackend, n: number, term: (e: number, acc: number) => number): number {
  const p = new Float64Array(256);
  for (let e = 0; e < n; e++) p[e % 256] = term(e, p[e % 256]!);
  for (let s = 128; s >= 1; s >>= 1) for (let l = 0; l < s; l++) p[l] = be.add(p[l]!, p[l + s]!);
  return p[0]!;
}

type Arr = Float32Array;

/** The case's input `name` as the backend reads it (flushed where it flushes), or null. */
export function looseInput(c: OpCase, be: LooseBackend, name: string): { data: Arr; shape: number[] } | null {
  const t = c.inputs[name];
  return t === undefined || t === null ? null : { data: be.inputs(t.data), shape: t.shape };
}
