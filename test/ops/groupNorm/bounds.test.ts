import { expect, test } from 'vitest';
import { groupNormBound } from '../../../src/ops/groupNorm/bounds.ts';
import { tensor } from '../../../src/reference/tensor.ts';
import { fillGaussian } from '../../../src/ops/shared/values.ts';
import { standardBoundSuite } from '../../support/bounds/gen.ts';
import { checkCase, LOOSE_ACCURACIES } from '../../support/bounds/soundness.ts';

standardBoundSuite('groupNorm');

test('ill-conditioned groups (mean ≫ spread) are covered under every accuracy', () => {
  for (const [offset, scale] of [[1e3, 1e-2], [-5e4, 3], [100, 1e-4]] as const) {
    const x = tensor([1, 4, 8, 8]);
    fillGaussian(x.data, 7, scale, offset);
    const weight = tensor([4], [1.5, -0.5, 2, 0.25]);
    const bias = tensor([4], [0.1, -3, 0, 7]);
    for (let seed = 0; seed < 3; seed++) {
      const r = checkCase({ op: 'groupNorm', params: { numGroups: 2, eps: 1e-5 }, inputs: { x, weight, bias } }, LOOSE_ACCURACIES, seed);
      expect(r.violations).toEqual([]);
    }
  }
});

test('no finite bound where var + eps may be ≤ 0 (constant group, eps 0 or negative)', () => {
  const x = tensor([1, 2, 2, 2], [3, 3, 3, 3, 1, 2, 3, 4]);
  const b0 = groupNormBound(x, 2, null, null, 0);
  expect([...b0.slice(0, 4)]).toEqual([Infinity, Infinity, Infinity, Infinity]);
  expect(Number.isFinite(b0[4]!)).toBe(true);
  const bn = groupNormBound(x, 2, null, null, -10);
  expect(bn.every((v) => v === Infinity)).toBe(true);
});
