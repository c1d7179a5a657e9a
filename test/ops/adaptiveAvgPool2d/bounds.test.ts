import { expect, test } from 'vitest';
import { adaptiveAvgPool2dBound } from '../../../src/ops/adaptiveAvgPool2d/bounds.ts';
import { tensor } from '../../../src/reference/tensor.ts';
import { standardBoundSuite } from '../../support/bounds/gen.ts';
import { checkCase } from '../../support/bounds/soundness.ts';

standardBoundSuite('adaptiveAvgPool2d');

test('a 1-element window is exact under correct rounding: bound is only the division term', () => {
  const x = tensor([1, 1, 2, 2], [1, 2, 3, 4]);
  const b = adaptiveAvgPool2dBound(x, [2, 2]);
  for (let i = 0; i < 4; i++) expect(b[i]).toBeLessThanOrEqual((i + 1) * 2 ** -24 * 1.001 + 2 ** -149);
});

test('large windows over a big offset (all partial sums large) stay covered', () => {
  const data = Array.from({ length: 1024 }, (_, k) => Math.fround(1000 + Math.sin(k) * 1e-3));
  const r = checkCase({ op: 'adaptiveAvgPool2d', params: { outputSize: [1, 1] }, inputs: { x: tensor([1, 1, 32, 32], data) } });
  expect(r.violations).toEqual([]);
});
