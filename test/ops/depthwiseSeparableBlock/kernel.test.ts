import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { OpCase } from '../../../src/ops/types.ts';
import { depthwiseSeparableBlock } from '../../../src/ops/depthwiseSeparableBlock/reference.ts';
import type { Profile, Tensor } from '../../../src/reference/tensor.ts';
import { checkDivisionOp, describeGpu, gpuArithmetic } from '../../support/gpu.ts';
import { fcParams } from '../../support/seed.ts';
import { depthwiseSeparableBlockCases } from '../../../src/ops/depthwiseSeparableBlock/cases.ts';

const reference = (c: OpCase, profile: Profile): Tensor => {
  const i = c.inputs;
  return depthwiseSeparableBlock(
    i['x']!,
    {
      dwWeight: i['dwWeight']!, dwBias: i['dwBias'] ?? null, pwWeight: i['pwWeight']!, pwBias: i['pwBias'] ?? null,
      numGroups: c.params['numGroups'] as number, gnWeight: i['gnWeight'] ?? null, gnBias: i['gnBias'] ?? null,
      eps: c.params['eps'] as number, fcWeight: i['fcWeight']!, fcBias: i['fcBias'] ?? null,
    },
    { profile },
  );
};

describeGpu('gpu depthwiseSeparableBlock', (gpu) => {
  it('equals the reference under the probed profile (bit for bit where division/sqrt are exact, else within the derived bound), all six stages chained on the GPU', async () => {
    const arith = await gpuArithmetic(gpu());
    const { profile } = arith;
    await fc.assert(
      fc.asyncProperty(fc.array(depthwiseSeparableBlockCases({ size: 'small', specialValues: false }), { minLength: 1, maxLength: 8 }), async (cases) => {
        const got = await gpu().runBatch('depthwiseSeparableBlock', cases);
        const bad = checkDivisionOp(arith, cases, got, cases.map((c) => reference(c, profile)));
        expect(bad, bad.join('\n')).toEqual([]);
      }),
      fcParams(10),
    );
  });

  it('equals the reference with NaN, ±Inf and subnormal inputs', async () => {
    const arith = await gpuArithmetic(gpu());
    const { profile } = arith;
    await fc.assert(
      fc.asyncProperty(fc.array(depthwiseSeparableBlockCases({ size: 'small', specialValues: true }), { minLength: 1, maxLength: 6 }), async (cases) => {
        const got = await gpu().runBatch('depthwiseSeparableBlock', cases);
        const bad = checkDivisionOp(arith, cases, got, cases.map((c) => reference(c, profile)));
        expect(bad, bad.join('\n')).toEqual([]);
      }),
      fcParams(4),
    );
  });

  it('names the block parameter in a bad-shape error', async () => {
    const [c] = fc.sample(depthwiseSeparableBlockCases({ size: 'small', specialValues: false }), { numRuns: 1, seed: 3 });
    const bad: OpCase = { ...c!, inputs: { ...c!.inputs, pwWeight: { shape: [2, 99, 1, 1], data: new Float32Array(198) } } };
    await expect(gpu().runBatch('depthwiseSeparableBlock', [bad])).rejects.toThrow(/params\.pwWeight\.shape\[1\]/);
  });
});
