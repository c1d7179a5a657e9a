/**
 * Geometry corners the generators reach rarely: every remainder of the kernels' blocks (rows,
 * outputs, pixels, channels modulo 4 and 8), windows and groups past 256 elements (the tree's
 * lane wrap), big kernels, strides and paddings, 1-element tensors.
 */
import { describe, expect, test } from 'vitest';
import { runFast } from '../../src/fast/index.ts';
import type { JsonValue, OpCase, OpName } from '../../src/ops/types.ts';
import { PROFILES, type Tensor } from '../../src/reference/tensor.ts';
import { expectBitExact, randomTensor } from '../support/tensorArb.ts';
import { tsSpecs } from './helpers.ts';

let seed = 1;
const t = (shape: number[]): Tensor => randomTensor(shape, seed++);

function expectCase(op: OpName, params: { [k: string]: JsonValue }, inputs: { [k: string]: Tensor | null }): void {
  const c: OpCase = { op, params, inputs };
  for (const profile of PROFILES) {
    const got = runFast(op, c, profile);
    expect(got, `${op} ${JSON.stringify(params)} not covered`).not.toBeNull();
    expectBitExact(got!, tsSpecs[op].reference(c, profile), `${op} ${JSON.stringify(params)} ${JSON.stringify(Object.values(inputs).map((x) => x?.shape))} ${profile}`);
  }
}

describe('fast path geometry corners', () => {
  test('linear: rows 1–9 × outputs 1–9 × in 1, 2, 67 (block remainders, one i-block boundary)', () => {
    for (const n of [1, 2, 3, 4, 5, 7, 8, 9]) for (const outF of [1, 2, 3, 4, 5, 8, 9]) for (const inF of [1, 2, 67]) {
      expectCase('linear', {}, { x: t([n, inF]), weight: t([outF, inF]), bias: outF % 2 ? t([outF]) : null });
    }
  });

  test('pointwiseConv2d: pixels 1–17 × channels 1–9 × in-channels 1, 3, 70', () => {
    for (const hw of [1, 3, 4, 5, 8, 9, 12, 17]) for (const cout of [1, 3, 4, 5, 9]) for (const cin of [1, 3, 70]) {
      expectCase('pointwiseConv2d', {}, { x: t([2, cin, 1, hw]), weight: t([cout, cin, 1, 1]), bias: cout % 2 ? t([cout]) : null });
    }
  });

  test('depthwiseConv2d: kernels up to 7×7, strides 1–3, dilations 1–2, paddings 0–4, multipliers 1–3', () => {
    for (const [k, s, d, p, m, h, w] of [
      [3, 1, 1, 1, 1, 9, 23], [3, 1, 1, 0, 2, 5, 5], [3, 2, 1, 1, 1, 11, 19], [3, 3, 2, 4, 3, 13, 29], [1, 1, 1, 0, 1, 3, 4],
      [5, 1, 2, 2, 1, 17, 17], [7, 2, 1, 3, 2, 16, 31], [3, 1, 1, 1, 1, 1, 1], [3, 1, 1, 2, 1, 2, 9], [2, 1, 1, 0, 1, 6, 40],
    ] as const) {
      expectCase('depthwiseConv2d', { stride: [s, s], padding: [p, p], dilation: [d, d] }, { x: t([2, 2, h, w]), weight: t([2 * m, 1, k, k]), bias: m > 1 ? t([2 * m]) : null });
    }
  });

  test('groupNorm: groups of 1 to 1500 elements (past the 256 lanes), rank 2 to 4, every affine combination', () => {
    for (const shape of [[1, 1], [2, 6], [1, 4, 300], [2, 6, 7, 9], [1, 3, 25, 20], [1, 2, 1, 1]]) {
      for (const affine of [0, 1, 2, 3]) {
        const c = shape[1]!;
        expectCase('groupNorm', { numGroups: c % 3 === 0 ? 3 : 1, eps: 1e-5 }, { x: t(shape), weight: affine & 1 ? t([c]) : null, bias: affine & 2 ? t([c]) : null });
      }
    }
  });

  test('adaptiveAvgPool2d: windows up to 40×40 (rows wrapping the 256 lanes), outputs larger than the input', () => {
    for (const [h, w, oh, ow] of [[40, 40, 1, 1], [40, 40, 1, 2], [40, 40, 2, 1], [40, 40, 3, 3], [33, 17, 5, 7], [5, 5, 9, 11], [1, 1, 1, 1], [20, 60, 1, 1]]) {
      expectCase('adaptiveAvgPool2d', { outputSize: [oh!, ow!] }, { x: t([2, 2, h!, w!]) });
    }
  });

  test('relu: scalars, odd lengths, and every NaN payload and sign passed through bit for bit', () => {
    for (const shape of [[], [1], [3], [5], [2, 7, 3]]) expectCase('relu', {}, { x: t(shape) });
    const x = new Float32Array(new Uint32Array([0x7fc00001, 0xffc00002, 0x7f800001, 0xff812345, 0x80000000, 0, 0xbf800000, 0x3f800000, 0x7f800000, 0xff800000, 1]).buffer);
    const got = runFast('relu', { op: 'relu', params: {}, inputs: { x: { shape: [x.length], data: x } } }, 'strict')!;
    const want = tsSpecs.relu.reference({ op: 'relu', params: {}, inputs: { x: { shape: [x.length], data: x } } }, 'strict');
    expect(Array.from(new Uint32Array(got.data.buffer))).toEqual(Array.from(new Uint32Array(want.data.buffer)));
  });
});
