/**
 * The sizes where real backends break (issue: MPS wrong at 65,536 rows, 32,768 columns, 2^31
 * bytes), at their real values on the device's own limits (docs/gpu-limits.md): more than 65,535
 * workgroups in one dimension, more than 65,536 rows, more than 32,768 columns, a reduction over
 * more than 2^20 elements, and an output over 128 MiB (above lavapipe's 128 MiB storage-binding
 * limit, so it runs in chunks). Each is compared with the reference under the probed profile, as
 * the op's own tests do (bit for bit on lavapipe). Cases are chosen cheap: tiny inputs, one
 * multiply-add or one element per output where the size is the point.
 */
import { expect, it } from 'vitest';
import { getOpSpec } from '../../src/ops/registry.ts';
import type { OpCase, OpName } from '../../src/ops/types.ts';
import type { Tensor } from '../../src/reference/tensor.ts';
import { checkDivisionOp, checkInOrder, describeGpu, gpuArithmetic } from '../support/gpu.ts';
import { caseMaker } from '../support/caseMaker.ts';

const mk = caseMaker(0xb0_0da7);

const MIB = 2 ** 20;

describeGpu('GPU at the sizes where backends break', (gpu) => {
  /** Runs one case on the GPU and checks it as the op's own tests do; returns the GPU's output. */
  async function runChecked(op: OpName, c: OpCase, divides: boolean): Promise<Tensor> {
    const arith = await gpuArithmetic(gpu());
    const [got] = await gpu().runBatch(op, [c]);
    const want = getOpSpec(op).reference(c, arith.profile);
    const bad = divides ? checkDivisionOp(arith, [c], [got!], [want]) : checkInOrder(arith, [c], [got!], [want]);
    expect(bad, bad.slice(0, 20).join('\n')).toEqual([]);
    return got!;
  }

  it('more than 65,535 workgroups in one dimension: adaptiveAvgPool2d with 65,537 outputs (one workgroup each)', async () => {
    const outputs = 65537;
    await runChecked('adaptiveAvgPool2d', mk('adaptiveAvgPool2d', { outputSize: [1, outputs] }, { x: [1, 1, 2, outputs] }), true);
  });

  it('more than 65,536 rows: linear over 70,000 rows', async () => {
    const y = await runChecked('linear', mk('linear', {}, { x: [70000, 3], weight: [5, 3], bias: [5] }), false);
    expect(y.shape).toEqual([70000, 5]);
  });

  it('more than 32,768 columns and an output over 128 MiB: linear 1025 × 1 → 32,769 features', async () => {
    const y = await runChecked('linear', mk('linear', {}, { x: [1025, 1], weight: [32769, 1], bias: null }), false);
    expect(y.shape).toEqual([1025, 32769]);
    expect(y.data.byteLength).toBeGreaterThan(128 * MIB);
  });

  it('a reduction over more than 2^20 elements: groupNorm over one group, adaptiveAvgPool2d over one window', async () => {
    await runChecked('groupNorm', mk('groupNorm', { numGroups: 1, eps: 1e-5 }, { x: [1, 2, 2 ** 19 + 7], weight: [2], bias: [2] }), true);
    await runChecked('adaptiveAvgPool2d', mk('adaptiveAvgPool2d', { outputSize: 1 }, { x: [1, 1, 1025, 1024] }), true);
  });
});
