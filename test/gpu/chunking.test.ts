/**
 * Problems bigger than one storage buffer run in chunks (src/gpu/chunk.ts, docs/gpu-limits.md).
 * A child GPU runs with the test-only limit REFSIM_TEST_MAX_BINDING_BYTES=4096 (1024 float32 per
 * buffer), so every split of every op runs on small tensors: batches of cases, samples, channels,
 * groups, planes, pixels, output tiles of rows × columns (with overlapping pooling windows and
 * convolution tiles whose input is all padding); each result must equal the reference as the
 * op's own tests require. A part that cannot be split is a typed GpuLimitError naming the limit.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GpuLimitError } from '../../src/gpu/errors.ts';
import type { IsolatedGpu } from '../../src/gpu/isolate.ts';
import { getOpSpec } from '../../src/ops/registry.ts';
import type { OpCase, OpName } from '../../src/ops/types.ts';
import { checkDivisionOp, checkInOrder, describeGpu, gpuArithmetic, openGpuWithEnv } from '../support/gpu.ts';
import { mismatches } from '../support/gpuCompare.ts';
import { fcParams } from '../support/seed.ts';
import { caseMaker } from '../support/caseMaker.ts';

const LIMIT_BYTES = 4096;
const mk = caseMaker(0x5eed_c4a1);

const dw = (x: number[], weight: number[], bias: boolean, params: OpCase['params']): OpCase =>
  mk('depthwiseConv2d', { stride: 1, padding: 0, dilation: 1, ...params }, { x, weight, bias: bias ? [weight[0]!] : null });

// Each batch needs more than 1024 words in some buffer; the comment says how it is split.
const batches: Array<[OpName, OpCase[]]> = [
  ['relu', [mk('relu', {}, { x: [5000] }), mk('relu', {}, { x: [3, 7] }), mk('relu', {}, { x: [1030] })]], // runs of 1024; small cases batched
  ['linear', [mk('linear', {}, { x: [40, 33], weight: [100, 33], bias: [100] })]], // rows × features: 30 features of 34 words, rows by x and y
  ['linear', [mk('linear', {}, { x: [3, 1], weight: [3000, 1], bias: null }), mk('linear', {}, { x: [2, 5], weight: [4, 5], bias: [4] })]], // K = 1, wide output
  ['pointwiseConv2d', [mk('pointwiseConv2d', {}, { x: [3, 8, 10, 12], weight: [16, 8, 1, 1], bias: [16] })]], // pixels of one sample
  ['pointwiseConv2d', [mk('pointwiseConv2d', {}, { x: [2, 6, 5, 5], weight: [200, 6, 1, 1], bias: [200] })]], // output channels (P), then pixels
  ['pointwiseConv2d', [mk('pointwiseConv2d', {}, { x: [9, 4, 8, 8], weight: [4, 4, 1, 1], bias: null })]], // samples, whole planes
  ['depthwiseConv2d', [dw([3, 6, 10, 10], [12, 1, 3, 3], true, { padding: 1 })]], // samples × channels (multiplier 2), row4
  ['depthwiseConv2d', [dw([1, 2, 40, 40], [2, 1, 3, 3], true, { padding: 1 })]], // tiles of one plane, row4
  ['depthwiseConv2d', [dw([2, 1, 50, 37], [3, 1, 3, 2], false, { stride: [2, 1], padding: [2, 1], dilation: [2, 3] })]], // tiles, generic, multiplier 3
  ['depthwiseConv2d', [dw([1, 1, 30, 40], [1, 1, 3, 3], true, { padding: 5 })]], // tiles whose input is all padding
  ['depthwiseConv2d', [dw([1, 1, 3, 1500], [1, 1, 1, 2], true, { dilation: [1, 700] })]], // column tiles: one output row reads 3 × 1500
  ['groupNorm', [mk('groupNorm', { numGroups: 3, eps: 1e-5 }, { x: [4, 6, 300], weight: [6], bias: [6] })]], // one group of one sample per chunk
  ['groupNorm', [mk('groupNorm', { numGroups: 2, eps: 1e-3 }, { x: [40, 4, 4, 5], weight: null, bias: [4] })]], // samples, both groups
  ['adaptiveAvgPool2d', [mk('adaptiveAvgPool2d', { outputSize: [5, 5] }, { x: [3, 4, 10, 10] })]], // whole planes
  ['adaptiveAvgPool2d', [mk('adaptiveAvgPool2d', { outputSize: [7, 9] }, { x: [1, 2, 50, 45] })]], // tiles, overlapping windows
  ['adaptiveAvgPool2d', [mk('adaptiveAvgPool2d', { outputSize: [40, 40] }, { x: [1, 1, 5, 4] })]], // tiles of an output bigger than its input
  ['adaptiveAvgPool2d', [mk('adaptiveAvgPool2d', { outputSize: [1, 3] }, { x: [2, 1, 30, 60] })]], // column tiles: windows of 30 × 20
  [
    'depthwiseSeparableBlock',
    [
      mk('depthwiseSeparableBlock', { numGroups: 2, eps: 1e-5 }, {
        x: [6, 2, 6, 6], dwWeight: [4, 1, 3, 3], dwBias: [4], pwWeight: [8, 4, 1, 1], pwBias: [8], gnWeight: [8], gnBias: [8], fcWeight: [5, 8], fcBias: [5],
      }),
    ],
  ], // samples
];

const DIVIDES: ReadonlySet<OpName> = new Set(['groupNorm', 'adaptiveAvgPool2d', 'depthwiseSeparableBlock']);

describeGpu('problems bigger than one buffer', () => {
  let small: IsolatedGpu | null = null;
  beforeAll(async () => {
    small = await openGpuWithEnv({ REFSIM_TEST_MAX_BINDING_BYTES: String(LIMIT_BYTES) });
  });
  afterAll(async () => {
    await small?.close();
  });

  it(`every op splits what exceeds a ${LIMIT_BYTES}-byte buffer and matches the reference`, async () => {
    const arith = await gpuArithmetic(small!);
    const bad: string[] = [];
    for (const [op, cases] of batches) {
      const got = await small!.runBatch(op, cases);
      const want = cases.map((c) => getOpSpec(op).reference(c, arith.profile));
      const found = op === 'relu' ? mismatches(cases, got, want) : DIVIDES.has(op) ? checkDivisionOp(arith, cases, got, want) : checkInOrder(arith, cases, got, want);
      bad.push(...found.map((f) => `${op}: ${f}`));
    }
    expect(bad, bad.join('\n')).toEqual([]);
  });

  // The splits with the most arithmetic in them (moved padding, explicit windows), on random
  // geometries: most of these cases need more than one buffer.
  const dwCase = fc
    .record({
      n: fc.integer({ min: 1, max: 2 }), c: fc.integer({ min: 1, max: 3 }), m: fc.integer({ min: 1, max: 3 }),
      h: fc.integer({ min: 1, max: 60 }), w: fc.integer({ min: 1, max: 60 }), kh: fc.integer({ min: 1, max: 4 }), kw: fc.integer({ min: 1, max: 4 }),
      stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })), padding: fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 })),
      dilation: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })), bias: fc.boolean(),
    })
    .filter((g) => g.h + 2 * g.padding[0] >= (g.kh - 1) * g.dilation[0] + 1 && g.w + 2 * g.padding[1] >= (g.kw - 1) * g.dilation[1] + 1)
    .map((g) => dw([g.n, g.c, g.h, g.w], [g.c * g.m, 1, g.kh, g.kw], g.bias, { stride: g.stride, padding: g.padding, dilation: g.dilation }));
  const poolCase = fc
    .record({ planes: fc.integer({ min: 1, max: 3 }), h: fc.integer({ min: 1, max: 70 }), w: fc.integer({ min: 1, max: 70 }), oh: fc.integer({ min: 1, max: 50 }), ow: fc.integer({ min: 1, max: 50 }) })
    .map((g) => mk('adaptiveAvgPool2d', { outputSize: [g.oh, g.ow] }, { x: [1, g.planes, g.h, g.w] }));

  it.each([
    ['depthwiseConv2d', dwCase],
    ['adaptiveAvgPool2d', poolCase],
  ] as const)('%s on random geometries matches the reference in chunks', async (op, arb) => {
    const arith = await gpuArithmetic(small!);
    await fc.assert(
      fc.asyncProperty(arb, async (c) => {
        const [got] = await small!.runBatch(op, [c]);
        const want = getOpSpec(op).reference(c, arith.profile);
        const bad = op === 'adaptiveAvgPool2d' ? checkDivisionOp(arith, [c], [got!], [want]) : checkInOrder(arith, [c], [got!], [want]);
        expect(bad, bad.slice(0, 10).join('\n')).toEqual([]);
      }),
      fcParams(25),
    );
  });

  it('a part that cannot be split is a GpuLimitError naming the limit and the sizes', async () => {
    const cases: Array<[OpName, OpCase, RegExp]> = [
      ['groupNorm', mk('groupNorm', { numGroups: 1, eps: 1e-5 }, { x: [1, 2, 1000], weight: null, bias: null }), /one group of 2 channels × 1000 elements .* needs 8000 bytes/],
      ['linear', mk('linear', {}, { x: [2, 1500], weight: [3, 1500], bias: null }), /one row of 1500 input features .* needs 6000 bytes/],
      ['adaptiveAvgPool2d', mk('adaptiveAvgPool2d', { outputSize: 1 }, { x: [1, 1, 40, 40] }), /one window of up to 1600 elements .* needs 6400 bytes/],
    ];
    for (const [op, c, message] of cases) {
      const e = await small!.runBatch(op, [c]).catch((err: unknown) => err);
      expect(e, op).toBeInstanceOf(GpuLimitError);
      expect((e as GpuLimitError).code).toBe('E_GPU_LIMIT');
      expect((e as Error).message).toMatch(message);
      expect((e as Error).message).toContain(`REFSIM_TEST_MAX_BINDING_BYTES of ${LIMIT_BYTES} bytes`);
      expect((e as GpuLimitError).where).toEqual({ op, caseIndex: 0 });
    }
  });
});
