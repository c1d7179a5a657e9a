import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { OpCase } from '../../src/ops/types.ts';
import { depthwiseConv2d } from '../../src/reference/depthwiseConv2d.ts';
import type { Profile } from '../../src/reference/tensor.ts';
import { describeGpu, gpuArithmetic } from '../support/gpu.ts';
import { mismatches } from '../support/gpuCompare.ts';
import { depthwiseCase } from '../support/gpuCases.ts';
import { fcParams } from '../support/seed.ts';

const reference = (c: OpCase, profile: Profile) =>
  depthwiseConv2d(c.inputs['x']!, c.inputs['weight']!, c.inputs['bias'] ?? null, c.params as { stride: [number, number] }, { profile });

describeGpu('gpu depthwiseConv2d', (gpu) => {
  it('equals the reference under the probed profile bit for bit (generic variant: any kernel, stride, dilation, padding)', async () => {
    const { profile } = await gpuArithmetic(gpu());
    await fc.assert(
      fc.asyncProperty(fc.array(depthwiseCase({ specials: true }), { minLength: 1, maxLength: 12 }), async (cases) => {
        const got = await gpu().runBatch('depthwiseConv2d', cases);
        const bad = mismatches(cases, got, cases.map((c) => reference(c, profile)));
        expect(bad, bad.join('\n')).toEqual([]);
      }),
      fcParams(12),
    );
  });

  it('equals the reference under the probed profile bit for bit (row4 variant: 3×3, stride 1, any padding)', async () => {
    const { profile } = await gpuArithmetic(gpu());
    await fc.assert(
      fc.asyncProperty(fc.array(depthwiseCase({ specials: true, row4: true }), { minLength: 1, maxLength: 12 }), async (cases) => {
        const got = await gpu().runBatch('depthwiseConv2d', cases);
        const bad = mismatches(cases, got, cases.map((c) => reference(c, profile)));
        expect(bad, bad.join('\n')).toEqual([]);
      }),
      fcParams(12),
    );
  });
});
