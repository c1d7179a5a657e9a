/**
 * adaptiveAvgPool2d in every form PyTorch's `adaptive_avg_pool2d` accepts (x (N, C, H, W) or
 * (C, H, W); outputSize a number, a pair, a pair with null entries): against the naive documented
 * order, and bit-identical to the canonical case (src/ops/adaptiveAvgPool2d/canonical.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adaptiveAvgPool2dCanonical } from '../../../src/ops/adaptiveAvgPool2d/canonical.ts';
import { adaptiveAvgPool2dCases } from '../../../src/ops/adaptiveAvgPool2d/cases.ts';
import type { OutputSize } from '../../../src/ops/adaptiveAvgPool2d/params.ts';
import { adaptiveAvgPool2d } from '../../../src/ops/adaptiveAvgPool2d/reference.ts';
import type { OpCase } from '../../../src/ops/types.ts';
import { PROFILES, tensor } from '../../../src/reference/tensor.ts';
import { expectCanonicalInvariance } from '../../support/forms.ts';
import { expectInputRangeError } from '../../support/inputErrors.ts';
import { naiveAdaptiveAvgPool2d, strictArith } from '../../support/naiveOps.ts';
import { fcParams } from '../../support/seed.ts';
import { expectBitExact, randomTensor, seedArb } from '../../support/tensorArb.ts';

const formOf = (c: OpCase): string => {
  const v = c.params['outputSize'];
  return `x${c.inputs['x']!.shape.length} ${typeof v === 'number' ? 'int' : Array.isArray(v) && v.includes(null) ? 'null' : 'pair'}`;
};

describe('adaptiveAvgPool2d forms', () => {
  it('the generators draw every form', () => {
    const want = ['x3 int', 'x3 null', 'x3 pair', 'x4 int', 'x4 null', 'x4 pair'];
    const forms = (opts: Parameters<typeof adaptiveAvgPool2dCases>[0]) => [...new Set(fc.sample(adaptiveAvgPool2dCases(opts), { numRuns: 400, seed: 9 }).map(formOf))].sort();
    expect(forms({ maxElements: 1024, specialValues: false })).toEqual(want);
    expect(forms({ size: 'small', specialValues: false })).toEqual(want);
  });

  it('every form equals the naive documented order bit for bit, with PyTorch\'s output shape', () => {
    const size = fc.oneof(fc.integer({ min: 1, max: 7 }), fc.tuple(fc.option(fc.integer({ min: 1, max: 7 }), { nil: null }), fc.option(fc.integer({ min: 1, max: 7 }), { nil: null })));
    fc.assert(
      fc.property(fc.boolean(), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), size, seedArb, (unbatched, n, c, h, w, outputSize, seed) => {
        const shape = unbatched ? [c, h, w] : [n, c, h, w];
        const x = randomTensor(shape, seed);
        const [oh, ow] = Array.isArray(outputSize) ? [outputSize[0] ?? h, outputSize[1] ?? w] : [outputSize, outputSize];
        const want = naiveAdaptiveAvgPool2d(strictArith, { shape: unbatched ? [1, c, h, w] : shape, data: x.data }, oh, ow);
        for (const profile of PROFILES) {
          const y = adaptiveAvgPool2d(x, outputSize as OutputSize, { profile });
          expect(y.shape).toEqual(unbatched ? [c, oh, ow] : [n, c, oh, ow]);
          expectBitExact(y, { shape: y.shape, data: want.data }, profile);
        }
      }),
      fcParams(150),
    );
  });

  it('a case and its canonical case give the same bits: reference, bounds, fast path and the registry', () => {
    expectCanonicalInvariance('adaptiveAvgPool2d', adaptiveAvgPool2dCases({ maxElements: 4096, specialValues: true }), 80);
    const k = adaptiveAvgPool2dCanonical({ op: 'adaptiveAvgPool2d', params: { outputSize: [null, 2] }, inputs: { x: tensor([3, 5, 4]) } });
    expect(k.case.inputs['x']!.shape).toEqual([1, 3, 5, 4]);
    expect(k.case.params['outputSize']).toEqual([5, 2]);
    expect(k.outputShape).toEqual([3, 5, 2]);
  });

  it('rejects other forms and outputs over 2^30 elements before allocating, naming the parameter', () => {
    const t0 = performance.now();
    const e = expectInputRangeError(() => adaptiveAvgPool2d(tensor([1, 1, 4, 4]), 50000), 'outputSize');
    expect(e.message).toMatch(/output \[1, 1, 50000, 50000\] would hold 2500000000/);
    expect(performance.now() - t0).toBeLessThan(1000);
    expectInputRangeError(() => adaptiveAvgPool2d(tensor([4, 4]), 2), 'x.shape');
    expectInputRangeError(() => adaptiveAvgPool2d(tensor([1, 1, 1, 4, 4]), 2), 'x.shape');
    expectInputRangeError(() => adaptiveAvgPool2d(tensor([1, 4, 4]), [2] as unknown as OutputSize), 'outputSize');
    expectInputRangeError(() => adaptiveAvgPool2d(tensor([1, 4, 4]), null as unknown as OutputSize), 'outputSize');
    expectInputRangeError(() => adaptiveAvgPool2d(tensor([1, 4, 4]), [null, 0]), 'outputSize[1]');
    expectInputRangeError(() => adaptiveAvgPool2d(tensor([1, 4, 4]), 1e30), 'outputSize');
  });
});
