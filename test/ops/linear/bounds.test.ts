import { expect, test } from 'vitest';
import { linearBound } from '../../../src/ops/linear/bounds.ts';
import { tensor } from '../../../src/reference/tensor.ts';
import { standardBoundSuite } from '../../support/bounds/gen.ts';
import { checkCase } from '../../support/bounds/soundness.ts';

standardBoundSuite('linear');

test('subnormal products: the underflow term keeps the bound sound, with and without flushing', () => {
  const x = tensor([1, 4], [2 ** -70, 3 * 2 ** -75, -(2 ** -72), 1e-20]);
  const w = tensor([2, 4], [2 ** -70, 1.5 * 2 ** -70, 2 ** -71, 1e-20, 1, 1, 1, 1]);
  const r = checkCase({ op: 'linear', params: {}, inputs: { x, weight: w, bias: null } });
  expect(r.violations).toEqual([]);
  // The first output is pure underflow: positive bound of order 2⁻¹⁴⁹ without flushing.
  const b = linearBound(x, w, null);
  expect(b[0]).toBeGreaterThan(0);
  expect(b[0]).toBeLessThan(2 ** -140);
  const bf = linearBound(x, w, null, { accuracy: { divUlp: 0, sqrtUlp: 0, inverseSqrtUlp: 0, flushSubnormals: true } });
  expect(bf[0]).toBeGreaterThan(2 ** -126);
});
