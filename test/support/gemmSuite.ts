import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { OpCase, OpName, SizeClass, SuiteCaseOptions } from '../../src/ops/types.ts';
import { allNormalRange } from '../../src/ops/shared/suiteValues.ts';
import type { Profile, Tensor } from '../../src/reference/tensor.ts';
import { checkInOrder, checkSpecialValues, describeGpu, gpuArithmetic, sharedGpu } from './gpu.ts';
import { fcParams } from './seed.ts';

const plan: ReadonlyArray<[SizeClass, number, number]> = [
  ['small', 10, 12],
  ['medium', 4, 3],
  ['large', 3, 2],
  ['wide', 3, 2],
  ['v4-64x64', 3, 2],
  ['v4-128x64', 3, 2],
  ['v4-128x128', 3, 2],
];

type CaseGen = (opts: SuiteCaseOptions) => fc.Arbitrary<OpCase>;

/**
 * The GPU suite of an op computed by the tiled GEMM (pointwiseConv2d, linear): each tile
 * configuration forced in turn, normal-range values bit for bit on every backend, special values
 * bit for bit where subnormals are kept (else exact or within the derived bound), and the automatic
 * tile choice on a mixed batch.
 */
export function gemmOpSuite(op: OpName, reference: (c: OpCase, profile: Profile) => Tensor, opCase: CaseGen): void {
  describeGpu(`gpu ${op}`, (gpu) => {
    for (const [size, runs, maxCases] of plan) {
      // The tile choice depends on problem size and GPU occupancy; force each configuration.
      it(`equals the reference under the probed profile bit for bit on every backend, normal-range values (${size} GEMM tiles)`, async () => {
        const arith = await gpuArithmetic(gpu());
        const forced = await sharedGpu({ REFSIM_TEST_GEMM_TILES: size });
        await fc.assert(
          fc.asyncProperty(fc.array(opCase({ size, specialValues: false }), { minLength: 1, maxLength: maxCases }), async (cases) => {
            expect(cases.every(allNormalRange)).toBe(true);
            const got = await forced.runBatch(op, cases);
            const bad = checkInOrder(arith, cases, got, cases.map((c) => reference(c, arith.profile)));
            expect(bad, bad.join('\n')).toEqual([]);
          }),
          fcParams(runs),
        );
      });

      it(`equals the reference with NaN, ±Inf, −0, subnormals and extreme magnitudes: bit for bit where subnormals are kept, else exact or within the derived bound (${size} GEMM tiles)`, async () => {
        const arith = await gpuArithmetic(gpu());
        const forced = await sharedGpu({ REFSIM_TEST_GEMM_TILES: size });
        await fc.assert(
          fc.asyncProperty(fc.array(opCase({ size, specialValues: true }), { minLength: 1, maxLength: maxCases }), async (cases) => {
            const got = await forced.runBatch(op, cases);
            const bad = checkSpecialValues(arith, cases, got, cases.map((c) => reference(c, arith.profile)));
            expect(bad, bad.join('\n')).toEqual([]);
          }),
          fcParams(Math.max(2, Math.ceil(runs / 2))),
        );
      });
    }

    it('equals the reference bit for bit with the automatic tile choice on a batch that fills 64×64 vec4 tiles', async () => {
      const cases = fc.sample(opCase({ size: 'v4-64x64', specialValues: false }), { numRuns: 2, seed: 7 });
      expect(cases.every(allNormalRange)).toBe(true);
      const arith = await gpuArithmetic(gpu());
      const got = await gpu().runBatch(op, cases);
      const bad = checkInOrder(arith, cases, got, cases.map((c) => reference(c, arith.profile)));
      expect(bad, bad.join('\n')).toEqual([]);
    });

    it('equals the reference bit for bit with the automatic tile choice on a mixed batch of normal-range values', async () => {
      const cases = [...fc.sample(opCase({ size: 'small', specialValues: false }), { numRuns: 3, seed: 5 }), ...fc.sample(opCase({ size: 'medium', specialValues: false }), { numRuns: 1, seed: 5 })];
      expect(cases.every(allNormalRange)).toBe(true);
      const arith = await gpuArithmetic(gpu());
      const got = await gpu().runBatch(op, cases);
      const bad = checkInOrder(arith, cases, got, cases.map((c) => reference(c, arith.profile)));
      expect(bad, bad.join('\n')).toEqual([]);
    });
  });
}
