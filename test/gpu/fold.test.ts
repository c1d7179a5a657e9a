/**
 * Dispatches beyond the per-dimension workgroup limit fold into two dimensions. A child GPU runs
 * with the test-only limit REFSIM_TEST_MAX_WORKGROUPS_PER_DIM=16, so every kernel family folds on
 * small batches and must still match the reference (boundaries.test.ts folds one op at the real
 * limit).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { IsolatedGpu } from '../../src/gpu/isolate.ts';
import type { OpCase, OpName } from '../../src/ops/types.ts';
import { adaptiveAvgPool2d } from '../../src/ops/adaptiveAvgPool2d/reference.ts';
import { depthwiseConv2d } from '../../src/ops/depthwiseConv2d/reference.ts';
import { groupNorm } from '../../src/ops/groupNorm/reference.ts';
import { linear } from '../../src/ops/linear/reference.ts';
import { relu } from '../../src/ops/relu/reference.ts';
import type { Profile, Tensor } from '../../src/reference/tensor.ts';
import { checkDivisionOp, checkInOrder, describeGpu, gpuArithmetic, testBackend } from '../support/gpu.ts';
import { mismatches } from '../support/gpuCompare.ts';
import { caseMaker } from '../support/caseMaker.ts';

const refs: Partial<Record<OpName, (c: OpCase, profile: Profile) => Tensor>> = {
  depthwiseConv2d: (c, profile) => depthwiseConv2d(c.inputs['x']!, c.inputs['weight']!, c.inputs['bias'] ?? null, c.params as { stride: [number, number] }, { profile }),
  groupNorm: (c, profile) => groupNorm(c.inputs['x']!, c.params['numGroups'] as number, c.inputs['weight'] ?? null, c.inputs['bias'] ?? null, c.params['eps'] as number, { profile }),
  adaptiveAvgPool2d: (c, profile) => adaptiveAvgPool2d(c.inputs['x']!, c.params['outputSize'] as number, { profile }),
  linear: (c, profile) => linear(c.inputs['x']!, c.inputs['weight']!, c.inputs['bias'] ?? null, { profile }),
  relu: (c) => relu(c.inputs['x']!),
};

const LIMIT = 16;
const mk = caseMaker(12345);

describeGpu('folded dispatch grids', () => {
  let folded: IsolatedGpu | null = null;
  beforeAll(async () => {
    const saved = process.env['REFSIM_TEST_MAX_WORKGROUPS_PER_DIM'];
    process.env['REFSIM_TEST_MAX_WORKGROUPS_PER_DIM'] = String(LIMIT);
    try {
      const backend = testBackend();
      folded = await IsolatedGpu.open(backend === undefined ? {} : { backend });
    } finally {
      if (saved === undefined) delete process.env['REFSIM_TEST_MAX_WORKGROUPS_PER_DIM'];
      else process.env['REFSIM_TEST_MAX_WORKGROUPS_PER_DIM'] = saved;
    }
  });
  afterAll(async () => {
    await folded?.close();
  });

  it(`every kernel family matches the reference with a per-dimension limit of ${LIMIT} workgroups`, async () => {
    // Each batch needs more than LIMIT workgroups (so the grid folds) and at most LIMIT².
    const batches: Array<[OpName, OpCase[]]> = [
      ['relu', [mk('relu', {}, { x: [20000] })]], // 5000 vec4 → 20 workgroups
      ['depthwiseConv2d', [mk('depthwiseConv2d', { stride: 1, padding: 0, dilation: 1 }, { x: [2, 3, 20, 20], weight: [6, 1, 2, 2], bias: [6] })]], // 4332 outputs → 17
      ['depthwiseConv2d', [mk('depthwiseConv2d', { stride: 1, padding: 1, dilation: 1 }, { x: [5, 8, 16, 16], weight: [16, 1, 3, 3], bias: null })]], // row4: 5120 quads → 20
      ['groupNorm', [mk('groupNorm', { numGroups: 3, eps: 1e-5 }, { x: [10, 6, 5], weight: [6], bias: [6] })]], // 30
      ['adaptiveAvgPool2d', [mk('adaptiveAvgPool2d', { outputSize: [3, 4] }, { x: [1, 2, 5, 7] })]], // 24
      ['linear', [mk('linear', {}, { x: [40, 33], weight: [100, 33], bias: [100] })]], // small tiles 3×7 → 21
    ];
    const arith = await gpuArithmetic(folded!);
    for (const [op, cases] of batches) {
      const got = await folded!.runBatch(op, cases);
      const want = cases.map((c) => refs[op]!(c, arith.profile));
      // Ops with ⊘/sqrt: bit-exact where the probe found them correctly rounded, else within the bound.
      const bad = op === 'groupNorm' || op === 'adaptiveAvgPool2d' ? checkDivisionOp(arith, cases, got, want) : op === 'relu' ? mismatches(cases, got, want) : checkInOrder(arith, cases, got, want);
      expect(bad, `${op}:\n${bad.join('\n')}`).toEqual([]);
    }
  });
});
