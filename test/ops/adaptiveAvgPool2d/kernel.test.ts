import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { OpCase } from '../../../src/ops/types.ts';
import { adaptiveAvgPool2d } from '../../../src/ops/adaptiveAvgPool2d/reference.ts';
import { type Profile, tensor } from '../../../src/reference/tensor.ts';
import { checkDivisionOp, describeGpu, gpuArithmetic } from '../../support/gpu.ts';
import { fcParams } from '../../support/seed.ts';
import { adaptiveAvgPool2dCases } from '../../../src/ops/adaptiveAvgPool2d/cases.ts';
import type { OutputSize } from '../../../src/ops/adaptiveAvgPool2d/params.ts';
import { poolVariant } from '../../../src/ops/adaptiveAvgPool2d/kernel.ts';

const reference = (c: OpCase, profile: Profile) => adaptiveAvgPool2d(c.inputs['x']!, (c.params as { outputSize: OutputSize }).outputSize, { profile });

describeGpu('gpu adaptiveAvgPool2d', (gpu) => {
  it('equals the reference under the probed profile (bit for bit where division/sqrt are exact, else within the derived bound) (windows smaller and larger than 256 elements, outputs larger than inputs)', async () => {
    const arith = await gpuArithmetic(gpu());
    const { profile } = arith;
    await fc.assert(
      fc.asyncProperty(fc.array(adaptiveAvgPool2dCases({ size: 'small', specialValues: true }), { minLength: 1, maxLength: 10 }), async (cases) => {
        const got = await gpu().runBatch('adaptiveAvgPool2d', cases);
        const bad = checkDivisionOp(arith, cases, got, cases.map((c) => reference(c, profile)));
        expect(bad, bad.join('\n')).toEqual([]);
      }),
      fcParams(12),
    );
  });

  it('pools a window of more than 256 elements and a 1×1 input to a larger output', async () => {
    const arith = await gpuArithmetic(gpu());
    const { profile } = arith;
    const big = tensor([1, 2, 23, 17], Array.from({ length: 2 * 23 * 17 }, (_, i) => ((i * 37) % 101) / 7 - 7));
    const one = tensor([1, 1, 1, 1], [-0]);
    // Windows of 3136 (full width, the benchmark's) and 1157 = 89×13 (not full width) elements:
    // each lane's four-loads-at-a-time loop and its remainder both run. Values with mixed
    // exponents and full mantissas so that a change of the addition order changes the sums' bits.
    const mixedValues = (n: number) => Array.from({ length: n }, (_, i) => ((((i * 7919) % 1013) - 506) / 1013) * 2 ** (((i * 31) % 9) - 4));
    const bench = tensor([1, 2, 56, 56], mixedValues(2 * 56 * 56));
    const part = tensor([1, 1, 89, 26], mixedValues(89 * 26));
    const cases: OpCase[] = [
      { op: 'adaptiveAvgPool2d', params: { outputSize: 1 }, inputs: { x: bench } },
      { op: 'adaptiveAvgPool2d', params: { outputSize: [1, 2] }, inputs: { x: part } },
      { op: 'adaptiveAvgPool2d', params: { outputSize: 1 }, inputs: { x: big } },
      { op: 'adaptiveAvgPool2d', params: { outputSize: [3, 2] }, inputs: { x: one } },
    ];
    const got = await gpu().runBatch('adaptiveAvgPool2d', cases);
    const bad = checkDivisionOp(arith, cases, got, cases.map((c) => reference(c, profile)));
    expect(bad, bad.join('\n')).toEqual([]);
    // A lone −0 sums to +0 through the 256-lane tree (empty lanes hold +0).
    expect(Object.is(got[3]?.data[0], 0)).toBe(true);
  });

  it('small windows (one invocation per output) and wide ones in one batch, specials included, equal the reference; 64×512×4×4 → 7×7 among them', async () => {
    const arith = await gpuArithmetic(gpu());
    const { profile } = arith;
    const specials = [-0, 0, NaN, Infinity, -Infinity, 1e-40, -3e-39, 3.4e38, -3.4e38, 1.5, -2.25, 7];
    const tiny = tensor([2, 3, 4, 4], Array.from({ length: 96 }, (_, i) => specials[(i * 7) % specials.length]!));
    const mixed = (n: number) => Array.from({ length: n }, (_, i) => ((((i * 7919) % 1013) - 506) / 1013) * 2 ** (((i * 31) % 9) - 4));
    const cases: OpCase[] = [
      { op: 'adaptiveAvgPool2d', params: { outputSize: 7 }, inputs: { x: tensor([64, 512, 4, 4], mixed(64 * 512 * 16)) } },
      { op: 'adaptiveAvgPool2d', params: { outputSize: [5, 9] }, inputs: { x: tiny } },
      { op: 'adaptiveAvgPool2d', params: { outputSize: [2, 2] }, inputs: { x: tensor([1, 1, 8, 8], mixed(64)) } },
      { op: 'adaptiveAvgPool2d', params: { outputSize: [1, 1] }, inputs: { x: tensor([3, 5, 4], mixed(60)) } },
      { op: 'adaptiveAvgPool2d', params: { outputSize: [1, null] }, inputs: { x: tensor([1, 2, 40, 5], mixed(400)) } },
      { op: 'adaptiveAvgPool2d', params: { outputSize: 1 }, inputs: { x: tensor([1, 1, 1, 1], [-0]) } },
    ];
    const shape = (c: OpCase) => c.inputs['x']!.shape.slice(-2) as [number, number];
    const variants = cases.map((c) => {
      const [h, w] = shape(c);
      const size = c.params['outputSize'] as OutputSize;
      const [oh, ow] = Array.isArray(size) ? [size[0] ?? h, size[1] ?? w] : [size, size];
      return poolVariant({ h, w, oh, ow });
    });
    expect(variants).toEqual(['small', 'small', 'small', 'lanes256', 'lanes256', 'small']);
    const got = await gpu().runBatch('adaptiveAvgPool2d', cases);
    const bad = checkDivisionOp(arith, cases, got, cases.map((c) => reference(c, profile)));
    expect(bad, bad.join('\n')).toEqual([]);
    expect(got[3]!.shape).toEqual([3, 1, 1]);
    // A lone −0 sums to +0 (the empty lanes hold +0) in the small variant too.
    expect(Object.is(got[5]?.data[0], 0)).toBe(true);
  });
});
