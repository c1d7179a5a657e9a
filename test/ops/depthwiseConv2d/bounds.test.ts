import { expect, test } from 'vitest';
import { depthwiseConv2dBound } from '../../../src/ops/depthwiseConv2d/bounds.ts';
import { depthwiseConv2d } from '../../../src/ops/depthwiseConv2d/reference.ts';
import { tensor } from '../../../src/reference/tensor.ts';
import { EXACT_ACCURACY } from '../../../src/ops/types.ts';
import { standardBoundSuite } from '../../support/bounds/gen.ts';
import { checkCase } from '../../support/bounds/soundness.ts';

standardBoundSuite('depthwiseConv2d');

test('catastrophic cancellation: bound covers the error and the error is not zero', () => {
  // Taps 1e4·(1 + k·2⁻²⁰) · (±1): the exact sum is small, every partial sum is large.
  const x = tensor([1, 1, 3, 3], Array.from({ length: 9 }, (_, k) => Math.fround(1e4 * (1 + k * 2 ** -20))));
  const w = tensor([1, 1, 3, 3], [1, -1, 1, -1, 1, -1, 1, -1, 1]);
  const b = tensor([1], [-1e4]);
  const r = checkCase({ op: 'depthwiseConv2d', params: { stride: [1, 1], padding: [0, 0], dilation: [1, 1] }, inputs: { x, weight: w, bias: b } });
  expect(r.violations).toEqual([]);
  expect(r.maxBound).toBeGreaterThan(0);
});

test('overflowing and non-finite outputs get an Infinity bound; in-range ones stay finite', () => {
  const x = tensor([1, 1, 1, 3], [3e38, 3e38, 1]);
  const w = tensor([2, 1, 1, 1], [2, 1e-10]);
  const y = depthwiseConv2d(x, w, null);
  const b = depthwiseConv2dBound(x, w, null, undefined, { accuracy: EXACT_ACCURACY });
  expect(y.data[0]).toBe(Infinity);
  expect(b[0]).toBe(Infinity);
  expect(Number.isFinite(b[5]!)).toBe(true);
  const xn = tensor([1, 1, 1, 3], [NaN, 1, 2]);
  const bn = depthwiseConv2dBound(xn, w, null, undefined);
  expect([...bn.slice(0, 3)]).toEqual([Infinity, 0 + bn[1]!, bn[2]!]);
  expect(bn[0]).toBe(Infinity);
  expect(Number.isFinite(bn[1]!)).toBe(true);
});
