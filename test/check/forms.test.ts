/**
 * `refsim check` on dumps in PyTorch's forms (test/ops/<op>/forms.test.ts has the ops' own tests):
 * 3-D and 1-D linear inputs with a scalar bias, a 5-D groupNorm, unbatched pooling with a null
 * output size, unbatched convolutions with padding 'same' and a padded 1×1 convolution. Each dump is
 * read, judged in its own shape (a dump whose output has the canonical shape instead is a shape
 * violation), and a wrong element is reported at its coordinates in the dump's shape.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDump } from '../../src/check/check.ts';
import { readDump } from '../../src/check/dump.ts';
import { encodeSafetensors } from '../../src/check/safetensors.ts';
import { OPS } from '../../src/ops/index.ts';
import { getOpSpec } from '../../src/ops/registry.ts';
import type { OpCase } from '../../src/ops/types.ts';
import type { Tensor } from '../../src/reference/tensor.ts';
import { runCli } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'refsim-check-forms-'));
let counter = 0;
const t = (shape: number[], k = 1): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i * 0.7 + k) * 2)) };
};

/** PyTorch-form cases, one per form. */
const CASES: Record<string, OpCase> = {
  'linear 3-D x, scalar bias': { op: 'linear', params: {}, inputs: { x: t([2, 3, 4]), weight: t([5, 4], 2), bias: t([], 3) } },
  'linear 1-D x, 1-D weight': { op: 'linear', params: {}, inputs: { x: t([6]), weight: t([6], 4), bias: null } },
  'groupNorm 5-D': { op: 'groupNorm', params: { numGroups: 2, eps: 1e-5 }, inputs: { x: t([2, 4, 2, 3, 2]), weight: t([4], 5), bias: null } },
  'adaptiveAvgPool2d unbatched, null': { op: 'adaptiveAvgPool2d', params: { outputSize: [null, 2] }, inputs: { x: t([3, 5, 4]) } },
  "depthwiseConv2d unbatched, 'same'": { op: 'depthwiseConv2d', params: { stride: 1, padding: 'same', dilation: 1 }, inputs: { x: t([2, 5, 6]), weight: t([4, 1, 2, 2], 6), bias: t([4], 7) } },
  'pointwiseConv2d unbatched, padding 1': { op: 'pointwiseConv2d', params: { padding: 1 }, inputs: { x: t([3, 2, 2]), weight: t([2, 3, 1, 1], 8), bias: t([2], 9) } },
  'relu 5-D': { op: 'relu', params: {}, inputs: { x: t([1, 2, 1, 3, 2]) } },
};

/** A dump of `c` whose output is the reference's with `edit` applied (and reshaped to `shape` where given). */
function dump(c: OpCase, edit: (o: Float32Array) => void = () => {}, shape?: number[]): string {
  const out = getOpSpec(c.op).reference(c, 'strict');
  edit(out.data);
  const tensors: Record<string, Tensor> = { output: { shape: shape ?? out.shape, data: out.data } };
  for (const [k, v] of Object.entries(c.inputs)) if (v !== null) tensors[k] = v;
  const p = join(dir, `d${counter++}.safetensors`);
  writeFileSync(p, encodeSafetensors(tensors, { op: c.op, params: JSON.stringify(c.params), device: 'cpu' }));
  return p;
}

const judge = (p: string) => checkDump(readDump(p), { moments: 'stable', profile: 'strict', keep: 8 });

describe('refsim check on dumps in PyTorch forms', () => {
  it.each(Object.entries(CASES))('%s: read, judged exact in its own shape; a wrong element is named at its coordinates', (_name, c) => {
    const good = judge(dump(c));
    const shape = getOpSpec(c.op).outputShape(c);
    expect(good.check.outputShape).toEqual(shape);
    expect(good.check.verdict).toMatchObject({ violations: 0, exact: good.check.verdict.elements });
    const last = shape.reduce((a, b) => a * b, 1) - 1;
    const bad = judge(dump(c, (o) => { o[last] = o[last]! + 1000; }));
    expect(bad.check.verdict.violations).toBe(1);
    expect(bad.check.verdict.differing[0]).toMatchObject({ index: last, verdict: 'violation' });
  });

  it('an output in the canonical shape instead of PyTorch\'s is a shape violation', () => {
    const c = CASES['adaptiveAvgPool2d unbatched, null']!;
    const canonical = OPS.find((o) => o.name === c.op)!.canonical(c);
    const r = judge(dump(c, () => {}, [1, ...canonical.outputShape]));
    expect(r.check.verdict.violationReasons.shape).toBeGreaterThan(0);
  });

  it('--explain prints the element and its receptive field in the dump\'s own shapes', () => {
    const c = CASES['adaptiveAvgPool2d unbatched, null']!;
    // Output (3, 5, 2); element 13 = [1, 1, 1]: row 1, columns 2..3 of channel 1.
    const r = runCli(['check', dump(c, (o) => { o[13] = o[13]! + 1000; }), '--explain', '13']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/output\[1, 1, 1\] \(index 13\): VIOLATION/);
    expect(r.stdout).toMatch(/receptive field: 2 input elements\n {7}x\[1, 1, 2\] = .*\n {7}x\[1, 1, 3\] = /);
  });
});
