import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linear } from '../../../src/ops/linear/reference.ts';
import { pointwiseConv2d } from '../../../src/ops/pointwiseConv2d/reference.ts';
import { tensor, type Tensor } from '../../../src/reference/tensor.ts';
import { doubleRoundingOperands } from '../../support/exactFloat32.ts';
import { expectInputRangeError } from '../../support/inputErrors.ts';
import { float64Arith, fusedArith, naiveLinear, strictArith } from '../../support/naiveOps.ts';
import { fcParams } from '../../support/seed.ts';
import { absTensor, expectBitExact, expectWithin, randomTensor, seedArb, U } from '../../support/tensorArb.ts';

interface LinCase {
  x: Tensor;
  w: Tensor;
  b: Tensor | null;
}

const linCase: fc.Arbitrary<LinCase> = fc
  .record({
    n: fc.integer({ min: 1, max: 3 }),
    inF: fc.integer({ min: 1, max: 70 }),
    outF: fc.integer({ min: 1, max: 11 }),
    hasBias: fc.boolean(),
    seed: seedArb,
  })
  .map(({ n, inF, outF, hasBias, seed }) => ({
    x: randomTensor([n, inF], seed),
    w: randomTensor([outF, inF], seed + 1),
    b: hasBias ? randomTensor([outF], seed + 2) : null,
  }));

describe('linear', () => {
  it("'strict' and 'fma' equal the naive documented order bit for bit", () => {
    fc.assert(
      fc.property(linCase, (c) => {
        expectBitExact(linear(c.x, c.w, c.b), naiveLinear(strictArith, c.x, c.w, c.b), 'strict');
        expectBitExact(linear(c.x, c.w, c.b, { profile: 'fma' }), naiveLinear(fusedArith, c.x, c.w, c.b), 'fma');
      }),
      fcParams(80),
    );
  });

  it('agrees with a float64 evaluation within γ_{in+1}·Σ|x·w|', () => {
    fc.assert(
      fc.property(linCase, (c) => {
        const k = c.x.shape[1]! + 1;
        const gamma = (k * U) / (1 - k * U);
        const bound = naiveLinear(float64Arith, absTensor(c.x), absTensor(c.w), c.b && absTensor(c.b)).data.map((s) => gamma * s * 1.001 + 1e-30);
        const exact = naiveLinear(float64Arith, c.x, c.w, c.b).data;
        expectWithin(linear(c.x, c.w, c.b), exact, bound, 'strict vs float64');
        expectWithin(linear(c.x, c.w, c.b, { profile: 'fma' }), exact, bound, 'fma vs float64');
      }),
      fcParams(80),
    );
  });

  it('equals pointwiseConv2d on 1×1 maps bit for bit, under both profiles', () => {
    fc.assert(
      fc.property(linCase, fc.constantFrom('strict' as const, 'fma' as const), (c, profile) => {
        const [n, inF] = c.x.shape as [number, number];
        const outF = c.w.shape[0]!;
        const conv = pointwiseConv2d({ shape: [n, inF, 1, 1], data: c.x.data }, { shape: [outF, inF, 1, 1], data: c.w.data }, c.b, { profile });
        expectBitExact(linear(c.x, c.w, c.b, { profile }), { shape: [n, outF], data: conv.data }, `linear vs pointwise (${profile})`);
      }),
      fcParams(80),
    );
  });

  it('is linear in x: exact for power-of-two scales', () => {
    fc.assert(
      fc.property(linCase, fc.integer({ min: -3, max: 3 }), (c, k) => {
        const s = 2 ** k;
        const y = linear(c.x, c.w);
        expectBitExact(linear({ shape: c.x.shape, data: c.x.data.map((v) => v * s) }, c.w), { shape: y.shape, data: y.data.map((v) => v * s) }, 'scale x');
      }),
      fcParams(40),
    );
  });

  it("'fma' fuses exactly where a*b+c double-rounds (also in the 4-output blocks)", () => {
    const c = Math.fround(3 + 2 ** -22); // odd significand
    const [a, b] = doubleRoundingOperands(c, true);
    const y = linear(tensor([1, 2], [c, a]), tensor([5, 2], [1, b, 1, b, 1, b, 1, b, 1, b]), null, { profile: 'fma' });
    expect(Array.from(y.data)).toEqual([c, c, c, c, c]);
    expect(Math.fround(a * b + c)).not.toBe(c);
  });

  it('rejects bad arguments with an InputRangeError naming the parameter', () => {
    const cases: [() => unknown, string][] = [
      [() => linear(tensor([]), tensor([2, 4])), 'x.shape'],
      [() => linear(tensor([4]), tensor([4, 2])), 'weight.shape[1]'],
      [() => linear(tensor([3, 4]), tensor([5])), 'weight.shape[0]'],
      [() => linear(tensor([3, 4]), tensor([4]), tensor([1])), 'bias.shape'],
      [() => linear(tensor([1, 4]), tensor([2, 3])), 'weight.shape[1]'],
      [() => linear(tensor([1, 4]), tensor([2, 4, 1])), 'weight.shape'],
      [() => linear(tensor([1, 4]), tensor([2, 4]), tensor([3])), 'bias.shape[0]'],
      [() => linear(tensor([1, 4]), tensor([2, 4]), tensor([2, 1])), 'bias.shape'],
      [() => linear({ shape: [-1, 4], data: new Float32Array(0) }, tensor([2, 4])), 'x.shape[0]'],
      [() => linear(null as unknown as Tensor, tensor([2, 4])), 'x'],
    ];
    for (const [fn, param] of cases) expectInputRangeError(fn, param, param);
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), (_s, inF, wIn) => {
        fc.pre(inF !== wIn);
        expectInputRangeError(() => linear(tensor([2, inF]), tensor([3, wIn])), 'weight.shape[1]');
      }),
      fcParams(50),
    );
  });
});
