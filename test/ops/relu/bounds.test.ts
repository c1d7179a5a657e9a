import { expect, test } from 'vitest';
import { reluBound } from '../../../src/ops/relu/bounds.ts';
import { tensor } from '../../../src/reference/tensor.ts';
import { standardBoundSuite } from '../../support/bounds/gen.ts';

standardBoundSuite('relu', { sound: 30, special: 30, tight: 0 });

test('relu: 0 for finite values, |x| for a flushable subnormal, Infinity for non-finite', () => {
  const x = tensor([6], [1.5, -2, 1e-40, -0, NaN, -Infinity]);
  expect([...reluBound(x)]).toEqual([0, 0, 0, 0, Infinity, Infinity]);
  const flush = { accuracy: { divUlp: 0, sqrtUlp: 0, inverseSqrtUlp: 0, flushSubnormals: true } };
  expect([...reluBound(x, flush)]).toEqual([0, 0, Math.fround(1e-40), 0, Infinity, Infinity]);
});
