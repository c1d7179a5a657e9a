import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adaptiveAvgPool2d, adaptiveWindow } from '../../../src/ops/adaptiveAvgPool2d/reference.ts';
import { tensor, type Tensor } from '../../../src/reference/tensor.ts';
import { expectInputRangeError } from '../../support/inputErrors.ts';
import { float64Arith, naiveAdaptiveAvgPool2d, strictArith } from '../../support/naiveOps.ts';
import { fcParams } from '../../support/seed.ts';
import { absTensor, expectBitExact, expectWithin, randomTensor, seedArb, U } from '../../support/tensorArb.ts';

const poolCase = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }),
    c: fc.integer({ min: 1, max: 3 }),
    // up to 40×40 so that global windows exceed 256 elements (several strided passes per lane)
    h: fc.integer({ min: 1, max: 40 }),
    w: fc.integer({ min: 1, max: 40 }),
    oh: fc.integer({ min: 1, max: 9 }),
    ow: fc.integer({ min: 1, max: 9 }),
    square: fc.boolean(),
    seed: seedArb,
  })
  .map(({ n, c, h, w, oh, ow, square, seed }) => ({
    x: randomTensor([n, c, h, w], seed),
    outputSize: (square ? oh : [oh, ow]) as number | [number, number],
    oh,
    ow: square ? oh : ow,
  }));

describe('adaptiveAvgPool2d', () => {
  it('uses PyTorch windows [⌊i·in/out⌋, ⌈(i+1)·in/out⌉), also when out > in', () => {
    expect(adaptiveWindow(0, 5, 3)).toEqual([0, 2]);
    expect(adaptiveWindow(1, 5, 3)).toEqual([1, 4]);
    expect(adaptiveWindow(2, 5, 3)).toEqual([3, 5]);
    expect(adaptiveWindow(1, 2, 5)).toEqual([0, 1]);
    expect(adaptiveWindow(2, 2, 5)).toEqual([0, 2]);
    // out > in: each output averages one or two neighbours.
    expect(Array.from(adaptiveAvgPool2d(tensor([1, 1, 1, 2], [2, 4]), [1, 3]).data)).toEqual([2, 3, 4]);
  });

  it("equals the naive documented order bit for bit (both profiles: no multiply-adds)", () => {
    fc.assert(
      fc.property(poolCase, (c) => {
        const want = naiveAdaptiveAvgPool2d(strictArith, c.x, c.oh, c.ow);
        expectBitExact(adaptiveAvgPool2d(c.x, c.outputSize), want, 'strict');
        expectBitExact(adaptiveAvgPool2d(c.x, c.outputSize, { profile: 'fma' }), want, 'fma');
      }),
      fcParams(80),
    );
  });

  it('agrees with a float64 evaluation within γ_n·Σ|v|/n + u|y|', () => {
    fc.assert(
      fc.property(poolCase, (c) => {
        const exact = naiveAdaptiveAvgPool2d(float64Arith, c.x, c.oh, c.ow).data;
        const meanAbs = naiveAdaptiveAvgPool2d(float64Arith, absTensor(c.x), c.oh, c.ow).data;
        const [, , h, w] = c.x.shape as [number, number, number, number];
        const maxN = Math.ceil(h / c.oh + 1) * Math.ceil(w / c.ow + 1);
        const bound = meanAbs.map((m, i) => 1.01 * ((maxN + 1) * U * m + U * Math.abs(exact[i]!)) + 1e-30);
        expectWithin(adaptiveAvgPool2d(c.x, c.outputSize), exact, bound, 'vs float64');
      }),
      fcParams(80),
    );
  });

  it('pools a constant to that constant (exactly when the sums are exact, within the bound otherwise)', () => {
    fc.assert(
      fc.property(poolCase, fc.integer({ min: -128, max: 127 }), fc.integer({ min: -6, max: 6 }), seedArb, (c, k, e, seed) => {
        const v = k * 2 ** e; // ≤ 8 significant bits: every partial sum of ≤ 1600 copies is exact
        const x: Tensor = { shape: c.x.shape, data: new Float32Array(c.x.data.length).fill(v) };
        const y = adaptiveAvgPool2d(x, c.outputSize);
        expectBitExact(y, { shape: y.shape, data: new Array<number>(y.data.length).fill(v === 0 ? 0 : v) }, 'constant');
        const any = randomTensor([1], seed).data[0]!;
        const z = adaptiveAvgPool2d({ shape: c.x.shape, data: new Float32Array(c.x.data.length).fill(any) }, c.outputSize);
        const [, , h, w] = c.x.shape as [number, number, number, number];
        const n = Math.ceil(h / c.oh + 1) * Math.ceil(w / c.ow + 1);
        expectWithin(z, new Array<number>(z.data.length).fill(any), new Array<number>(z.data.length).fill((n + 2) * U * Math.abs(any) * 1.01), 'any constant');
      }),
      fcParams(60),
    );
  });

  it('rejects bad arguments with an InputRangeError naming the parameter', () => {
    const x = tensor([1, 1, 4, 4]);
    const cases: [() => unknown, string][] = [
      [() => adaptiveAvgPool2d(tensor([4, 4]), 1), 'x.shape'],
      [() => adaptiveAvgPool2d(x, 0), 'outputSize'],
      [() => adaptiveAvgPool2d(x, [2, 0]), 'outputSize[1]'],
      [() => adaptiveAvgPool2d(x, [2, 2, 2] as unknown as [number, number]), 'outputSize'],
      [() => adaptiveAvgPool2d(x, 1.5), 'outputSize'],
      [() => adaptiveAvgPool2d({ shape: [1, 1, 0, 4], data: new Float32Array(0) }, 1), 'x.shape[2]'],
    ];
    for (const [fn, param] of cases) expectInputRangeError(fn, param, param);
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -100, max: 0 }), fc.double({ min: 0.01, max: 100, noInteger: true }), fc.constant(NaN)), fc.boolean(), (v, asPair) => {
        expectInputRangeError(() => adaptiveAvgPool2d(x, asPair ? [1, v] : v), asPair ? 'outputSize[1]' : 'outputSize');
      }),
      fcParams(80),
    );
  });
});
