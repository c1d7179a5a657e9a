import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { depthwiseConv2d, type DepthwiseConv2dOptions } from '../../../src/ops/depthwiseConv2d/reference.ts';
import { tensor, type Tensor } from '../../../src/reference/tensor.ts';
import { doubleRoundingOperands } from '../../support/exactFloat32.ts';
import { expectInputRangeError } from '../../support/inputErrors.ts';
import { float64Arith, fusedArith, naiveDepthwiseConv2d, strictArith } from '../../support/naiveOps.ts';
import { fcParams } from '../../support/seed.ts';
import { absTensor, expectBitExact, expectWithin, randomTensor, seedArb, U } from '../../support/tensorArb.ts';

interface DwCase {
  x: Tensor;
  w: Tensor;
  b: Tensor | null;
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
}

const pair = (min: number, max: number) => fc.tuple(fc.integer({ min, max }), fc.integer({ min, max }));

const dwCase: fc.Arbitrary<DwCase> = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }),
    c: fc.integer({ min: 1, max: 4 }),
    m: fc.integer({ min: 1, max: 2 }),
    hw: pair(1, 9),
    k: pair(1, 4),
    stride: pair(1, 3),
    padding: pair(0, 3),
    dilation: pair(1, 3),
    hasBias: fc.boolean(),
    seed: seedArb,
  })
  .filter(({ hw, k, padding, dilation }) => hw[0] + 2 * padding[0] > dilation[0] * (k[0] - 1) && hw[1] + 2 * padding[1] > dilation[1] * (k[1] - 1))
  .map(({ n, c, m, hw, k, stride, padding, dilation, hasBias, seed }) => ({
    x: randomTensor([n, c, hw[0], hw[1]], seed),
    w: randomTensor([c * m, 1, k[0], k[1]], seed + 1),
    b: hasBias ? randomTensor([c * m], seed + 2) : null,
    stride,
    padding,
    dilation,
  }));

const convOpts = (c: DwCase): DepthwiseConv2dOptions => ({ stride: c.stride, padding: c.padding, dilation: c.dilation });
const run = (c: DwCase, x = c.x, w = c.w, b = c.b, profile: 'strict' | 'fma' = 'strict') => depthwiseConv2d(x, w, b, convOpts(c), { profile });
const naive = (ar = strictArith, c: DwCase, x = c.x, w = c.w, b = c.b) => naiveDepthwiseConv2d(ar, x, w, b, c.stride, c.padding, c.dilation);

/** Recursive-summation bound γ_{k+1}·Σ|x·w| + |b| (k taps plus the bias), a little loosened for the float64 reference's own rounding. */
function bound(c: DwCase, x = c.x, w = c.w, b = c.b): number[] {
  const taps = c.w.shape[2]! * c.w.shape[3]! + 1;
  const gamma = (taps * U) / (1 - taps * U);
  return naive(float64Arith, c, absTensor(x), absTensor(w), b && absTensor(b)).data.map((s) => gamma * s * 1.001 + 1e-30);
}

describe('depthwiseConv2d', () => {
  it("'strict' equals the naive documented order bit for bit; 'fma' equals it with exact fused multiply-adds", () => {
    fc.assert(
      fc.property(dwCase, (c) => {
        expectBitExact(run(c), naive(strictArith, c), 'strict');
        expectBitExact(run(c, c.x, c.w, c.b, 'fma'), naive(fusedArith, c), 'fma');
        // The profile may also ride in the conv options object.
        expectBitExact(depthwiseConv2d(c.x, c.w, c.b, { ...convOpts(c), profile: 'fma' }), naive(fusedArith, c), 'fma via opts');
      }),
      fcParams(80),
    );
  });

  it('agrees with a float64 evaluation within γ_{k+1}·Σ|x·w|', () => {
    fc.assert(
      fc.property(dwCase, (c) => {
        const exact = naive(float64Arith, c).data;
        expectWithin(run(c), exact, bound(c), 'strict vs float64');
        expectWithin(run(c, c.x, c.w, c.b, 'fma'), exact, bound(c), 'fma vs float64');
      }),
      fcParams(80),
    );
  });

  it('is linear in x and in the weight: exactly for power-of-two scales, within the bound for sums', () => {
    fc.assert(
      fc.property(dwCase, seedArb, fc.integer({ min: -3, max: 3 }), (c0, seed2, k) => {
        const c = { ...c0, b: null };
        const s = 2 ** k;
        const scaled = (t: Tensor): Tensor => ({ shape: [...t.shape], data: t.data.map((v) => v * s) });
        const y = run(c);
        expectBitExact(run(c, scaled(c.x)), { shape: y.shape, data: y.data.map((v) => v * s) }, 'scale x');
        expectBitExact(run(c, c.x, scaled(c.w)), { shape: y.shape, data: y.data.map((v) => v * s) }, 'scale w');
        // Additivity: y(x1 ⊕ x2) vs y(x1) + y(x2); the rounding of x1 ⊕ x2 itself adds u·Σ|w|·|x1+x2|.
        const x2 = randomTensor(c.x.shape, seed2);
        const xs: Tensor = { shape: [...c.x.shape], data: c.x.data.map((v, i) => v + x2.data[i]!) };
        const ySum = run(c, xs);
        const y2 = run(c, x2);
        const slack = naive(float64Arith, c, absTensor(xs), absTensor(c.w), null).data;
        const b1 = bound(c);
        const b2 = bound(c, x2);
        const b12 = bound(c, xs);
        expectWithin(ySum, Array.from(y.data, (v, i) => v + y2.data[i]!), b1.map((v, i) => v + b2[i]! + b12[i]! + U * slack[i]! * 1.001), 'x additivity');
        const w2 = randomTensor(c.w.shape, seed2 + 7);
        const ws: Tensor = { shape: [...c.w.shape], data: c.w.data.map((v, i) => v + w2.data[i]!) };
        const wSlack = naive(float64Arith, c, absTensor(c.x), absTensor(ws), null).data;
        const bw2 = bound(c, c.x, w2);
        const bws = bound(c, c.x, ws);
        const yw2 = run(c, c.x, w2);
        expectWithin(run(c, c.x, ws), Array.from(y.data, (v, i) => v + yw2.data[i]!), b1.map((v, i) => v + bw2[i]! + bws[i]! + U * wSlack[i]! * 1.001), 'w additivity');
      }),
      fcParams(40),
    );
  });

  it("'fma' fuses exactly: a second tap that double-rounds under a*b+c still gives the exact result", () => {
    const c = Math.fround(1 + 2 ** -23);
    const [a, b] = doubleRoundingOperands(c, true);
    // Taps in order: acc = 0 ⊕ c·1 = c, then fma(a, b, c) = c exactly (the naive double sum rounds up).
    const y = depthwiseConv2d(tensor([1, 1, 1, 2], [c, a]), tensor([1, 1, 1, 2], [1, b]), null, {}, { profile: 'fma' });
    expect(y.data[0]).toBe(c);
    expect(Math.fround(a * b + c)).not.toBe(c);
    expect(depthwiseConv2d(tensor([1, 1, 1, 2], [c, a]), tensor([1, 1, 1, 2], [1, b])).data[0]).toBe(Math.fround(c + Math.fround(a * b)));
  });

  it('skips padded taps instead of adding 0·w (observable with w = Inf or NaN)', () => {
    const x = tensor([1, 1, 1, 1], [2]);
    const w = tensor([1, 1, 3, 3], [Infinity, Infinity, Infinity, Infinity, 1, Infinity, Infinity, Infinity, Infinity]);
    expect(depthwiseConv2d(x, w, null, { padding: 1 }).data[0]).toBe(2);
  });

  it('maps output channel oc to input channel ⌊oc/m⌋ (depth multiplier)', () => {
    const x = tensor([1, 2, 1, 1], [3, 5]);
    const w = tensor([4, 1, 1, 1], [1, 2, 10, 20]);
    expect(Array.from(depthwiseConv2d(x, w).data)).toEqual([3, 6, 50, 100]);
  });

  it('rejects bad arguments with an InputRangeError naming the parameter', () => {
    const x = tensor([1, 2, 4, 4]);
    const w = tensor([2, 1, 3, 3]);
    const cases: [() => unknown, string][] = [
      [() => depthwiseConv2d(tensor([4, 4]), w), 'x.shape'],
      [() => depthwiseConv2d(tensor([1, 1, 2, 4, 4]), w), 'x.shape'],
      [() => depthwiseConv2d(x, tensor([2, 3, 3])), 'weight.shape'],
      [() => depthwiseConv2d(x, tensor([2, 2, 3, 3])), 'weight.shape[1]'],
      [() => depthwiseConv2d(x, tensor([3, 1, 3, 3])), 'weight.shape[0]'],
      [() => depthwiseConv2d(x, w, tensor([3])), 'bias.shape[0]'],
      [() => depthwiseConv2d(x, w, null, { stride: 0 }), 'stride'],
      [() => depthwiseConv2d(x, w, null, { stride: [1, -1] }), 'stride[1]'],
      [() => depthwiseConv2d(x, w, null, { stride: 1.5 }), 'stride'],
      [() => depthwiseConv2d(x, w, null, { padding: -1 }), 'padding'],
      [() => depthwiseConv2d(x, w, null, { dilation: [0, 1] }), 'dilation[0]'],
      [() => depthwiseConv2d(x, w, null, { dilation: 3 }), 'weight.shape'],
      [() => depthwiseConv2d(x, tensor([2, 1, 5, 5])), 'weight.shape'],
      [() => depthwiseConv2d({ shape: [1, 2, 0, 4], data: new Float32Array(0) }, w), 'x.shape[2]'],
      [() => depthwiseConv2d({ shape: [1, 2, 4, 4], data: new Float32Array(5) }, w), 'x.data.length'],
      [() => depthwiseConv2d(x, w, null, {}, { profile: 'fast' as 'fma' }), 'options.profile'],
    ];
    for (const [fn, param] of cases) expectInputRangeError(fn, param, param);
  });

  it('rejects generated bad geometry with the right parameter named', () => {
    const bad = fc.oneof(
      fc.record({ param: fc.constant('stride'), v: fc.oneof(fc.integer({ min: -5, max: 0 }), fc.double({ min: 0.1, max: 5, noInteger: true }), fc.constant(NaN)) }),
      fc.record({ param: fc.constant('padding'), v: fc.oneof(fc.integer({ min: -5, max: -1 }), fc.double({ min: 0.1, max: 5, noInteger: true })) }),
      fc.record({ param: fc.constant('dilation'), v: fc.integer({ min: -5, max: 0 }) }),
    );
    fc.assert(
      fc.property(bad, fc.boolean(), ({ param, v }, asPair) => {
        const opts = { [param]: asPair ? [1, v] : v } as DepthwiseConv2dOptions;
        expectInputRangeError(() => depthwiseConv2d(tensor([1, 1, 3, 3]), tensor([1, 1, 1, 1]), null, opts), asPair ? `${param}[1]` : param);
      }),
      fcParams(100),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), fc.integer({ min: -3, max: 0 }), (dim, d) => {
        const shape = [1, 2, 3, 3];
        shape[dim] = d;
        expectInputRangeError(() => depthwiseConv2d({ shape, data: new Float32Array(0) }, tensor([2, 1, 1, 1])), `x.shape[${dim}]`);
      }),
      fcParams(50),
    );
  });
});
