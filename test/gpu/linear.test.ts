import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { OpCase } from '../../src/ops/types.ts';
import { linear } from '../../src/reference/linear.ts';
import { describeGpu } from '../support/gpu.ts';
import { mismatches } from '../support/gpuCompare.ts';
import { linearCase, type SizeClass } from '../support/gpuCases.ts';
import { fcParams } from '../support/seed.ts';

const reference = (c: OpCase) => linear(c.inputs["x"]!, c.inputs["weight"]!, c.inputs["bias"] ?? null, { profile: 'strict' });
const plan: ReadonlyArray<[SizeClass, number, number]> = [
  ['small', 10, 12],
  ['medium', 4, 3],
  ['large', 3, 2],
];

describeGpu('gpu linear', (gpu) => {
  for (const [size, runs, maxCases] of plan) {
    it(`equals the strict reference bit for bit (${size} GEMM tiles)`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(linearCase({ specials: true, size }), { minLength: 1, maxLength: maxCases }), async (cases) => {
          const got = await gpu().runBatch('linear', cases);
          const bad = mismatches(cases, got, cases.map(reference));
          expect(bad, bad.join('\n')).toEqual([]);
        }),
        fcParams(runs),
      );
    });
  }
});
