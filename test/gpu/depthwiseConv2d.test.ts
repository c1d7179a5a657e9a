import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { OpCase } from '../../src/ops/types.ts';
import { depthwiseConv2d } from '../../src/reference/depthwiseConv2d.ts';
import { describeGpu } from '../support/gpu.ts';
import { mismatches } from '../support/gpuCompare.ts';
import { depthwiseCase } from '../support/gpuCases.ts';
import { fcParams } from '../support/seed.ts';

const reference = (c: OpCase) =>
  depthwiseConv2d(c.inputs['x']!, c.inputs['weight']!, c.inputs['bias'] ?? null, c.params as { stride: [number, number] }, { profile: 'strict' });

describeGpu('gpu depthwiseConv2d', (gpu) => {
  it('equals the strict reference bit for bit (generic variant: any kernel, stride, dilation, padding)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(depthwiseCase({ specials: true }), { minLength: 1, maxLength: 12 }), async (cases) => {
        const got = await gpu().runBatch('depthwiseConv2d', cases);
        const bad = mismatches(cases, got, cases.map(reference));
        expect(bad, bad.join('\n')).toEqual([]);
      }),
      fcParams(12),
    );
  });

  it('equals the strict reference bit for bit (row4 variant: 3×3, stride 1, any padding)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(depthwiseCase({ specials: true, row4: true }), { minLength: 1, maxLength: 12 }), async (cases) => {
        const got = await gpu().runBatch('depthwiseConv2d', cases);
        const bad = mismatches(cases, got, cases.map(reference));
        expect(bad, bad.join('\n')).toEqual([]);
      }),
      fcParams(12),
    );
  });
});
