import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { OpCase } from '../../src/ops/types.ts';
import { pointwiseConv2d } from '../../src/reference/pointwiseConv2d.ts';
import type { Profile } from '../../src/reference/tensor.ts';
import { describeGpu, gpuArithmetic, openGpuWithEnv } from '../support/gpu.ts';
import { mismatches } from '../support/gpuCompare.ts';
import { pointwiseCase, type SizeClass } from '../support/gpuCases.ts';
import { fcParams } from '../support/seed.ts';

const reference = (c: OpCase, profile: Profile) => pointwiseConv2d(c.inputs['x']!, c.inputs['weight']!, c.inputs['bias'] ?? null, { profile });
const plan: ReadonlyArray<[SizeClass, number, number]> = [
  ['small', 10, 12],
  ['medium', 4, 3],
  ['large', 3, 2],
  ['wide', 3, 2],
];

describeGpu('gpu pointwiseConv2d', (gpu) => {
  for (const [size, runs, maxCases] of plan) {
    it(`equals the reference under the probed profile bit for bit (${size} GEMM tiles)`, async () => {
      // The tile choice depends on problem size and GPU occupancy; force each configuration.
      const { profile } = await gpuArithmetic(gpu());
      const forced = await openGpuWithEnv({ REFSIM_TEST_GEMM_TILES: size });
      try {
        await fc.assert(
          fc.asyncProperty(fc.array(pointwiseCase({ specials: true, size }), { minLength: 1, maxLength: maxCases }), async (cases) => {
            const got = await forced.runBatch('pointwiseConv2d', cases);
            const bad = mismatches(cases, got, cases.map((c) => reference(c, profile)));
            expect(bad, bad.join('\n')).toEqual([]);
          }),
          fcParams(runs),
        );
      } finally {
        await forced.close();
      }
    });
  }

  it('equals the reference with the automatic tile choice on a mixed batch', async () => {
    const cases = [...fc.sample(pointwiseCase({ specials: false, size: 'small' }), { numRuns: 3, seed: 5 }), ...fc.sample(pointwiseCase({ specials: false, size: 'medium' }), { numRuns: 1, seed: 5 })];
    const { profile } = await gpuArithmetic(gpu());
    const got = await gpu().runBatch('pointwiseConv2d', cases);
    const bad = mismatches(cases, got, cases.map((c) => reference(c, profile)));
    expect(bad, bad.join('\n')).toEqual([]);
  });
});
