import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fma32 } from '../../src/reference/float32.ts';
import { TREE_LANES, treeSum, treeSumProducts, treeSumSquaredDeviations, treeSumWindow } from '../../src/reference/treeSum.ts';
import { exactFma32 } from '../support/exactFloat32.ts';
import { anyFloat32Bits, float32InExponents } from '../support/float32Arb.ts';
import { fcParams } from '../support/seed.ts';

/** The documented order, written literally: per-lane strided accumulation, then the halving tree. */
function naiveTree(n: number, term: (e: number) => number, step: (acc: number, e: number) => number = (acc, e) => Math.fround(acc + term(e))): number {
  const p: number[] = [];
  for (let l = 0; l < 256; l++) {
    let acc = 0;
    for (let e = l; e < n; e += 256) acc = step(acc, e);
    p.push(acc);
  }
  for (let s = 128; s >= 1; s /= 2) for (let l = 0; l < s; l++) p[l] = Math.fround(p[l]! + p[l + s]!);
  return p[0]!;
}

const lengths = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom(255, 256, 257, 512, 513, 1000));
const values = (n: number): fc.Arbitrary<Float32Array> =>
  fc.array(fc.oneof(float32InExponents(-10, 10), fc.constantFrom(0, -0)), { minLength: n, maxLength: n }).map((a) => Float32Array.from(a));

const caseArb = lengths.chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: 3 }), values(n + 3), values(n + 3)));

describe('treeSum', () => {
  it('has 256 lanes', () => expect(TREE_LANES).toBe(256));

  it('equals the literal lane-strided tree order', () => {
    fc.assert(
      fc.property(caseArb, ([n, off, v]) => {
        expect(Object.is(treeSum(v, off, n), naiveTree(n, (e) => v[off + e]!))).toBe(true);
      }),
      fcParams(200),
    );
  });

  it('equals the literal tree on any bit patterns (NaN, ±Inf, ±0, subnormals): the empty-lane shortcut is exact', () => {
    const special = fc.oneof(anyFloat32Bits, fc.constantFrom(0, -0, Infinity, -Infinity, NaN, 2 ** -149));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 700 }), fc.array(special, { minLength: 700, maxLength: 700 }), (n, vals) => {
        const v = Float32Array.from(vals);
        expect(Object.is(treeSum(v, 0, n), naiveTree(n, (e) => v[e]!))).toBe(true);
        const strict = naiveTree(n, (e) => Math.fround(v[e]! * v[699 - e]!));
        expect(Object.is(treeSumProducts(v, 0, v.slice().reverse(), 0, n), strict)).toBe(true);
      }),
      fcParams(100),
    );
  });

  it('treeSumWindow sums a strided 2-D window in row-major order, as treeSum of the gathered window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 9 }), (rows, cols, extra, off) => {
        const stride = cols + extra;
        const v = Float32Array.from({ length: off + rows * stride }, (_, i) => Math.fround(Math.sin(i) * 2 ** ((i % 7) - 3)));
        const gathered: number[] = [];
        for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) gathered.push(v[off + r * stride + c]!);
        const want = naiveTree(gathered.length, (e) => gathered[e]!);
        expect(Object.is(treeSumWindow(v, off, stride, rows, cols), want)).toBe(true);
      }),
      fcParams(100),
    );
  });

  it('starts lanes at +0: a lone −0 sums to +0, an empty sum is +0', () => {
    expect(Object.is(treeSum(new Float32Array([-0]), 0, 1), 0)).toBe(true);
    expect(Object.is(treeSum(new Float32Array(0), 0, 0), 0)).toBe(true);
  });

  it('is not the sequential order (the order is observable)', () => {
    // v = [2^24, 1 × 256]. Sequentially every +1 is lost at 2^24 (ties to even). In the tree, lane 0
    // holds 2^24 ⊕ 1 = 2^24 and lanes 1..255 hold 1; the halving steps add 1 (lost), then the
    // pair sums 2, 4, …, 128 into lane 0 exactly: 2^24 + 254.
    const v = new Float32Array(257).fill(1);
    v[0] = 2 ** 24;
    let seq = 0;
    for (const x of v) seq = Math.fround(seq + x);
    expect(seq).toBe(2 ** 24);
    expect(treeSum(v, 0, 257)).toBe(2 ** 24 + 254);
  });

  it('sum of products: strict and fma follow the order with ⊕(⊗) and exact fma', () => {
    fc.assert(
      fc.property(caseArb, ([n, off, a, b]) => {
        const strict = naiveTree(n, (e) => Math.fround(a[off + e]! * b[e]!));
        expect(Object.is(treeSumProducts(a, off, b, 0, n, 'strict'), strict)).toBe(true);
        expect(Object.is(treeSumProducts(a, off, b, 0, n), strict)).toBe(true);
        const fused = naiveTree(n, () => 0, (acc, e) => exactFma32(a[off + e]!, b[e]!, acc));
        expect(Object.is(treeSumProducts(a, off, b, 0, n, 'fma'), fused)).toBe(true);
      }),
      fcParams(60),
    );
  });

  it('sum of squared deviations follows d = v ⊖ mean, then the multiply-add d ⊗ d', () => {
    fc.assert(
      fc.property(caseArb, float32InExponents(-3, 3), ([n, off, v], mean) => {
        const d = (e: number): number => Math.fround(v[off + e]! - mean);
        const strict = naiveTree(n, (e) => Math.fround(d(e) * d(e)));
        expect(Object.is(treeSumSquaredDeviations(v, off, n, mean, 'strict'), strict)).toBe(true);
        const fused = naiveTree(n, () => 0, (acc, e) => fma32(d(e), d(e), acc));
        expect(Object.is(treeSumSquaredDeviations(v, off, n, mean, 'fma'), fused)).toBe(true);
      }),
      fcParams(100),
    );
  });
});
