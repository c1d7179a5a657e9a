import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { OpCase } from '../../src/ops/types.ts';
import { adaptiveAvgPool2d } from '../../src/reference/adaptiveAvgPool2d.ts';
import { type Profile, tensor } from '../../src/reference/tensor.ts';
import { describeGpu, requireExactDivision } from '../support/gpu.ts';
import { mismatches } from '../support/gpuCompare.ts';
import { poolCase } from '../support/gpuCases.ts';
import { fcParams } from '../support/seed.ts';

const reference = (c: OpCase, profile: Profile) => adaptiveAvgPool2d(c.inputs['x']!, (c.params as { outputSize: number | [number, number] }).outputSize, { profile });

describeGpu('gpu adaptiveAvgPool2d', (gpu) => {
  it('equals the reference bit for bit (probed profile; exact division and sqrt) (windows smaller and larger than 256 elements, outputs larger than inputs)', async (ctx) => {
    const { profile } = await requireExactDivision(gpu(), ctx, 'adaptiveAvgPool2d');
    await fc.assert(
      fc.asyncProperty(fc.array(poolCase({ specials: true }), { minLength: 1, maxLength: 10 }), async (cases) => {
        const got = await gpu().runBatch('adaptiveAvgPool2d', cases);
        const bad = mismatches(cases, got, cases.map((c) => reference(c, profile)));
        expect(bad, bad.join('\n')).toEqual([]);
      }),
      fcParams(12),
    );
  });

  it('pools a window of more than 256 elements and a 1×1 input to a larger output', async (ctx) => {
    const { profile } = await requireExactDivision(gpu(), ctx, 'adaptiveAvgPool2d');
    const big = tensor([1, 2, 23, 17], Array.from({ length: 2 * 23 * 17 }, (_, i) => ((i * 37) % 101) / 7 - 7));
    const one = tensor([1, 1, 1, 1], [-0]);
    const cases: OpCase[] = [
      { op: 'adaptiveAvgPool2d', params: { outputSize: 1 }, inputs: { x: big } },
      { op: 'adaptiveAvgPool2d', params: { outputSize: [3, 2] }, inputs: { x: one } },
    ];
    const got = await gpu().runBatch('adaptiveAvgPool2d', cases);
    const bad = mismatches(cases, got, cases.map((c) => reference(c, profile)));
    expect(bad, bad.join('\n')).toEqual([]);
    // A lone −0 sums to +0 through the 256-lane tree (empty lanes hold +0).
    expect(Object.is(got[1]?.data[0], 0)).toBe(true);
  });
});
