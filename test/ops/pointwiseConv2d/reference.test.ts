import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pointwiseConv2d } from '../../../src/ops/pointwiseConv2d/reference.ts';
import { tensor, type Tensor } from '../../../src/reference/tensor.ts';
import { doubleRoundingOperands } from '../../support/exactFloat32.ts';
import { expectInputRangeError } from '../../support/inputErrors.ts';
import { float64Arith, fusedArith, naivePointwiseConv2d, strictArith } from '../../support/naiveOps.ts';
import { fcParams } from '../../support/seed.ts';
import { absTensor, expectBitExact, expectWithin, randomTensor, seedArb, U } from '../../support/tensorArb.ts';

interface PwCase {
  x: Tensor;
  w: Tensor;
  b: Tensor | null;
}

const pwCase: fc.Arbitrary<PwCase> = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }),
    cin: fc.integer({ min: 1, max: 40 }),
    cout: fc.integer({ min: 1, max: 6 }),
    h: fc.integer({ min: 1, max: 5 }),
    w: fc.integer({ min: 1, max: 5 }),
    hasBias: fc.boolean(),
    seed: seedArb,
  })
  .map(({ n, cin, cout, h, w, hasBias, seed }) => ({
    x: randomTensor([n, cin, h, w], seed),
    w: randomTensor([cout, cin, 1, 1], seed + 1),
    b: hasBias ? randomTensor([cout], seed + 2) : null,
  }));

function bound(c: PwCase, x = c.x, w = c.w): number[] {
  const k = c.w.shape[1]! + 1;
  const gamma = (k * U) / (1 - k * U);
  return naivePointwiseConv2d(float64Arith, absTensor(x), absTensor(w), c.b && absTensor(c.b)).data.map((s) => gamma * s * 1.001 + 1e-30);
}

describe('pointwiseConv2d', () => {
  it("'strict' and 'fma' equal the naive documented order bit for bit", () => {
    fc.assert(
      fc.property(pwCase, (c) => {
        expectBitExact(pointwiseConv2d(c.x, c.w, c.b), naivePointwiseConv2d(strictArith, c.x, c.w, c.b), 'strict');
        expectBitExact(pointwiseConv2d(c.x, c.w, c.b, { profile: 'fma' }), naivePointwiseConv2d(fusedArith, c.x, c.w, c.b), 'fma');
      }),
      fcParams(80),
    );
  });

  it('agrees with a float64 evaluation within γ_{Cin+1}·Σ|x·w|', () => {
    fc.assert(
      fc.property(pwCase, (c) => {
        const exact = naivePointwiseConv2d(float64Arith, c.x, c.w, c.b).data;
        expectWithin(pointwiseConv2d(c.x, c.w, c.b), exact, bound(c), 'strict vs float64');
        expectWithin(pointwiseConv2d(c.x, c.w, c.b, { profile: 'fma' }), exact, bound(c), 'fma vs float64');
      }),
      fcParams(80),
    );
  });

  it('is linear in x and in the weight (exact for power-of-two scales, within the bound for sums)', () => {
    fc.assert(
      fc.property(pwCase, seedArb, fc.integer({ min: -3, max: 3 }), (c0, seed2, k) => {
        const c = { ...c0, b: null };
        const s = 2 ** k;
        const y = pointwiseConv2d(c.x, c.w);
        const scaledY = { shape: y.shape, data: y.data.map((v) => v * s) };
        expectBitExact(pointwiseConv2d({ shape: c.x.shape, data: c.x.data.map((v) => v * s) }, c.w), scaledY, 'scale x');
        expectBitExact(pointwiseConv2d(c.x, { shape: c.w.shape, data: c.w.data.map((v) => v * s) }), scaledY, 'scale w');
        const x2 = randomTensor(c.x.shape, seed2);
        const xs: Tensor = { shape: [...c.x.shape], data: c.x.data.map((v, i) => v + x2.data[i]!) };
        const y2 = pointwiseConv2d(x2, c.w);
        const slack = naivePointwiseConv2d(float64Arith, absTensor(xs), absTensor(c.w), null).data;
        const [b1, b2, b12] = [bound(c), bound(c, x2), bound(c, xs)];
        expectWithin(pointwiseConv2d(xs, c.w), Array.from(y.data, (v, i) => v + y2.data[i]!), b1.map((v, i) => v + b2[i]! + b12[i]! + U * slack[i]! * 1.001), 'x additivity');
        const w2 = randomTensor(c.w.shape, seed2 + 3);
        const ws: Tensor = { shape: [...c.w.shape], data: c.w.data.map((v, i) => v + w2.data[i]!) };
        const yw2 = pointwiseConv2d(c.x, w2);
        const wSlack = naivePointwiseConv2d(float64Arith, absTensor(c.x), absTensor(ws), null).data;
        const [bw2, bws] = [bound(c, c.x, w2), bound(c, c.x, ws)];
        expectWithin(pointwiseConv2d(c.x, ws), Array.from(y.data, (v, i) => v + yw2.data[i]!), b1.map((v, i) => v + bw2[i]! + bws[i]! + U * wSlack[i]! * 1.001), 'w additivity');
      }),
      fcParams(40),
    );
  });

  it("'fma' fuses exactly where a*b+c double-rounds", () => {
    const c = Math.fround(-(1 + 3 * 2 ** -23));
    const [a, b] = doubleRoundingOperands(c, false);
    // Five output channels: the 4-channel blocked path and the single-channel path.
    const y = pointwiseConv2d(tensor([1, 2, 1, 1], [c, a]), tensor([5, 2, 1, 1], [1, b, 1, b, 1, b, 1, b, 1, b]), null, { profile: 'fma' });
    expect(Array.from(y.data)).toEqual([c, c, c, c, c]);
    expect(Math.fround(a * b + c)).not.toBe(c);
  });

  it('rejects bad arguments with an InputRangeError naming the parameter', () => {
    const x = tensor([1, 3, 2, 2]);
    const cases: [() => unknown, string][] = [
      [() => pointwiseConv2d(tensor([3, 2]), tensor([4, 3, 1, 1])), 'x.shape'],
      [() => pointwiseConv2d(x, tensor([4, 3, 1, 1]), null, { padding: -1 }), 'padding'],
      [() => pointwiseConv2d(x, tensor([4, 3, 1, 1]), null, { padding: 'full' as 'same' }), 'padding'],
      [() => pointwiseConv2d(x, tensor([4, 2, 1, 1])), 'weight.shape[1]'],
      [() => pointwiseConv2d(x, tensor([4, 3, 3, 3])), 'weight.shape'],
      [() => pointwiseConv2d(x, tensor([4, 3])), 'weight.shape'],
      [() => pointwiseConv2d(x, tensor([4, 3, 1, 1]), tensor([3])), 'bias.shape[0]'],
      [() => pointwiseConv2d(x, tensor([4, 3, 1, 1]), { shape: [4], data: new Float64Array(4) as unknown as Float32Array }), 'bias.data'],
      [() => pointwiseConv2d(x, tensor([4, 3, 1, 1]), null, { profile: 'FMA' as 'fma' }), 'options.profile'],
    ];
    for (const [fn, param] of cases) expectInputRangeError(fn, param, param);
  });

  it('rejects generated channel mismatches and non-positive dims', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), (cin, wcin) => {
        fc.pre(cin !== wcin);
        expectInputRangeError(() => pointwiseConv2d(tensor([1, cin, 2, 2]), tensor([2, wcin, 1, 1])), 'weight.shape[1]');
      }),
      fcParams(50),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), fc.oneof(fc.integer({ min: -4, max: 0 }), fc.double({ min: 0.5, max: 3, noInteger: true })), (dim, d) => {
        const shape = [2, 2, 2, 2];
        shape[dim] = d;
        expectInputRangeError(() => pointwiseConv2d(tensor([1, 2, 2, 2]), { shape, data: new Float32Array(1) }), `weight.shape`);
      }),
      fcParams(50),
    );
  });
});
