import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { OpCase } from '../../../src/ops/types.ts';
import { depthwiseConv2d } from '../../../src/ops/depthwiseConv2d/reference.ts';
import type { Profile } from '../../../src/reference/tensor.ts';
import { checkInOrder, checkSpecialValues, describeGpu, gpuArithmetic } from '../../support/gpu.ts';
import { allNormalRange } from '../../../src/ops/shared/suiteValues.ts';
import { fcParams } from '../../support/seed.ts';
import { depthwiseConv2dCases } from '../../../src/ops/depthwiseConv2d/cases.ts';

const reference = (c: OpCase, profile: Profile) =>
  depthwiseConv2d(c.inputs['x']!, c.inputs['weight']!, c.inputs['bias'] ?? null, c.params as { stride: [number, number] }, { profile });

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
});
