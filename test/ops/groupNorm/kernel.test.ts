import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { OpCase } from '../../../src/ops/types.ts';
import { groupNorm } from '../../../src/ops/groupNorm/reference.ts';
import { type Profile, tensor } from '../../../src/reference/tensor.ts';
import { checkDivisionOp, describeGpu, gpuArithmetic } from '../../support/gpu.ts';
import { fcParams } from '../../support/seed.ts';
import { groupNormCases } from '../../../src/ops/groupNorm/cases.ts';

const reference = (c: OpCase, profile: Profile) => {
  const p = c.params as { numGroups: number; eps: number };
  return groupNorm(c.inputs['x']!, p.numGroups, c.inputs['weight'] ?? null, c.inputs['bias'] ?? null, p.eps, { profile });
};

describeGpu('gpu groupNorm', (gpu) => {
  it('equals the reference under the probed profile (bit for bit where division/sqrt are exact, else within the derived bound) (ranks 2-4, weight-only, bias-only, both, neither)', async () => {
    const arith = await gpuArithmetic(gpu());
    const { profile } = arith;
    await fc.assert(
      fc.asyncProperty(fc.array(groupNormCases({ size: 'small', specialValues: false }), { minLength: 1, maxLength: 12 }), async (cases) => {
        const got = await gpu().runBatch('groupNorm', cases);
        const bad = checkDivisionOp(arith, cases, got, cases.map((c) => reference(c, profile)));
        expect(bad, bad.join('\n')).toEqual([]);
      }),
      fcParams(12),
    );
  });

  it('equals the reference with NaN, ±Inf and subnormal inputs', async () => {
    const arith = await gpuArithmetic(gpu());
    const { profile } = arith;
    await fc.assert(
      fc.asyncProperty(fc.array(groupNormCases({ size: 'small', specialValues: true }), { minLength: 1, maxLength: 8 }), async (cases) => {
        const got = await gpu().runBatch('groupNorm', cases);
        const bad = checkDivisionOp(arith, cases, got, cases.map((c) => reference(c, profile)));
        expect(bad, bad.join('\n')).toEqual([]);
      }),
      fcParams(5),
    );
  });

  it('covers each affine combination explicitly, in one batch', async () => {
    const arith = await gpuArithmetic(gpu());
    const { profile } = arith;
    const x = tensor([2, 4, 3], Array.from({ length: 24 }, (_, i) => ((i * 7) % 11) - 5 + i / 8));
    const w = tensor([4], [0.5, -2, 3, -0]);
    const b = tensor([4], [-0, 1.25, -3, 0.5]);
    // Groups of 2·1200 elements: each lane's four-loads-at-a-time loops and their remainders run.
    // Values chosen so that reordering the mean's additions changes output bits (checked by swapping two).
    const mixed = (i: number, range: number) => ((((i * 7919) % 1013) - 506) / 1013) * 2 ** (((i * 31) % range) - (range >> 1));
    const big = tensor([1, 4, 40, 30], Array.from({ length: 4800 }, (_, i) => mixed(i, 9)));
    const cases: OpCase[] = [
      { op: 'groupNorm', params: { numGroups: 2, eps: 1e-5 }, inputs: { x: big, weight: null, bias: null } },
      { op: 'groupNorm', params: { numGroups: 2, eps: 1e-5 }, inputs: { x, weight: w, bias: b } },
      { op: 'groupNorm', params: { numGroups: 2, eps: 1e-5 }, inputs: { x, weight: w, bias: null } },
      { op: 'groupNorm', params: { numGroups: 2, eps: 1e-5 }, inputs: { x, weight: null, bias: b } },
      { op: 'groupNorm', params: { numGroups: 2, eps: 1e-5 }, inputs: { x, weight: null, bias: null } },
    ];
    const got = await gpu().runBatch('groupNorm', cases);
    const bad = checkDivisionOp(arith, cases, got, cases.map((c) => reference(c, profile)));
    expect(bad, bad.join('\n')).toEqual([]);
    // The four variants really differ (a kernel ignoring weight or bias could not pass).
    const keys = new Set(got.slice(1).map((t) => Array.from(t.data).join(',')));
    expect(keys.size).toBe(4);
  });
});
