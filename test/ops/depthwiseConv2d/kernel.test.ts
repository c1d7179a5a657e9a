import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { OpCase } from '../../../src/ops/types.ts';
import { depthwiseConv2d, type DepthwiseConv2dOptions } from '../../../src/ops/depthwiseConv2d/reference.ts';
import { type Profile, tensor } from '../../../src/reference/tensor.ts';
import { checkInOrder, checkSpecialValues, describeGpu, gpuArithmetic } from '../../support/gpu.ts';
import { allNormalRange } from '../../../src/ops/shared/suiteValues.ts';
import { fcParams } from '../../support/seed.ts';
import { depthwiseConv2dCases } from '../../../src/ops/depthwiseConv2d/cases.ts';

const reference = (c: OpCase, profile: Profile) =>
  depthwiseConv2d(c.inputs['x']!, c.inputs['weight']!, c.inputs['bias'] ?? null, c.params as DepthwiseConv2dOptions, { profile });

const variants = [
  { name: 'generic variant: any kernel, stride, dilation, padding', row4: false },
  { name: 'row4 variant: 3×3, stride 1, any padding', row4: true },
] as const;

describeGpu('gpu depthwiseConv2d', (gpu) => {
  for (const v of variants) {
    it(`equals the reference under the probed profile bit for bit on every backend, normal-range values (${v.name})`, async () => {
      const arith = await gpuArithmetic(gpu());
      await fc.assert(
        fc.asyncProperty(fc.array(depthwiseConv2dCases({ size: 'small', specialValues: false, row4: v.row4 }), { minLength: 1, maxLength: 12 }), async (cases) => {
          expect(cases.every(allNormalRange)).toBe(true);
          const got = await gpu().runBatch('depthwiseConv2d', cases);
          const bad = checkInOrder(arith, cases, got, cases.map((c) => reference(c, arith.profile)));
          expect(bad, bad.join('\n')).toEqual([]);
        }),
        fcParams(12),
      );
    });

    it(`equals the reference with NaN, ±Inf, −0, subnormals and extreme magnitudes: bit for bit where subnormals are kept, else exact or within the derived bound (${v.name})`, async () => {
      const arith = await gpuArithmetic(gpu());
      await fc.assert(
        fc.asyncProperty(fc.array(depthwiseConv2dCases({ size: 'small', specialValues: true, row4: v.row4 }), { minLength: 1, maxLength: 12 }), async (cases) => {
          const got = await gpu().runBatch('depthwiseConv2d', cases);
          const bad = checkSpecialValues(arith, cases, got, cases.map((c) => reference(c, arith.profile)));
          expect(bad, bad.join('\n')).toEqual([]);
        }),
        fcParams(8),
      );
    });
  }

  it("padding 'same' with even kernel extents (one more row and column of padding after the input) and unbatched inputs, on both variants, bit for bit", async () => {
    const arith = await gpuArithmetic(gpu());
    const values = (n: number, k: number) => Array.from({ length: n }, (_, i) => ((((i * 7919 + k) % 1013) - 506) / 1013) * 2 ** (((i * 31) % 9) - 4));
    const cases: OpCase[] = [
      { op: 'depthwiseConv2d', params: { stride: 1, padding: 'same', dilation: 1 }, inputs: { x: tensor([2, 3, 7, 9], values(378, 1)), weight: tensor([6, 1, 2, 4], values(48, 2)), bias: tensor([6], values(6, 3)) } },
      { op: 'depthwiseConv2d', params: { stride: [1], padding: 'same', dilation: [2, 3] }, inputs: { x: tensor([3, 6, 5], values(90, 4)), weight: tensor([3, 1, 4, 2], values(24, 5)), bias: null } },
      { op: 'depthwiseConv2d', params: { stride: 1, padding: 'same', dilation: 1 }, inputs: { x: tensor([2, 5, 6], values(60, 6)), weight: tensor([2, 1, 3, 3], values(18, 7)), bias: null } },
      { op: 'depthwiseConv2d', params: { stride: [2, 1], padding: 'valid', dilation: 1 }, inputs: { x: tensor([1, 2, 6, 6], values(72, 8)), weight: tensor([4, 1, 3, 2], values(24, 9)), bias: tensor([4], values(4, 10)) } },
    ];
    const got = await gpu().runBatch('depthwiseConv2d', cases);
    expect(got.map((t) => t.shape)).toEqual([[2, 6, 7, 9], [3, 6, 5], [2, 5, 6], [1, 4, 2, 5]]);
    const bad = checkInOrder(arith, cases, got, cases.map((c) => reference(c, arith.profile)));
    expect(bad, bad.join('\n')).toEqual([]);
    // The 3×3 'same' case alone runs the row4 variant.
    const [row4] = await gpu().runBatch('depthwiseConv2d', [cases[2]!]);
    expect(checkInOrder(arith, [cases[2]!], [row4!], [reference(cases[2]!, arith.profile)])).toEqual([]);
  });
});
