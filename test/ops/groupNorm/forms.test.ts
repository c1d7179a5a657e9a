/**
 * groupNorm on x (N, C, *) of any rank ≥ 2 (PyTorch's `group_norm`): against the naive documented
 * order, and bit-identical to the canonical case x [N, C, S] (src/ops/groupNorm/canonical.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupNormCanonical } from '../../../src/ops/groupNorm/canonical.ts';
import { groupNormCases } from '../../../src/ops/groupNorm/cases.ts';
import { groupNorm } from '../../../src/ops/groupNorm/reference.ts';
import { PROFILES, tensor } from '../../../src/reference/tensor.ts';
import { expectCanonicalInvariance } from '../../support/forms.ts';
import { expectInputRangeError } from '../../support/inputErrors.ts';
import { fusedArith, naiveGroupNorm, strictArith } from '../../support/naiveOps.ts';
import { fcParams } from '../../support/seed.ts';
import { expectBitExact, randomTensor, seedArb } from '../../support/tensorArb.ts';

describe('groupNorm forms', () => {
  it('the generators draw ranks 2 to 5 (6 in the GPU suite)', () => {
    const ranks = (arb: fc.Arbitrary<{ inputs: { readonly [k: string]: { shape: number[] } | null } }>) =>
      [...new Set(fc.sample(arb, { numRuns: 200, seed: 5 }).map((c) => c.inputs['x']!.shape.length))].sort();
    expect(ranks(groupNormCases({ maxElements: 512, specialValues: false }))).toEqual([2, 3, 4, 5]);
    expect(ranks(groupNormCases({ size: 'small', specialValues: false }))).toEqual([2, 3, 4, 5, 6]);
  });

  it('any rank from 2 to 6 equals the naive documented order bit for bit under both profiles, in x\'s shape', () => {
    const shapes = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 4 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }), shapes, seedArb, fc.boolean(), (n, g, cpg, spatial, seed, affine) => {
        const x = randomTensor([n, g * cpg, ...spatial], seed);
        const w = affine ? randomTensor([g * cpg], seed + 1) : null;
        const b = affine ? randomTensor([g * cpg], seed + 2) : null;
        for (const profile of PROFILES) {
          const y = groupNorm(x, g, w, b, 1e-5, { profile });
          expect(y.shape).toEqual(x.shape);
          expectBitExact(y, naiveGroupNorm(profile === 'strict' ? strictArith : fusedArith, x, g, w, b, 1e-5), `rank ${x.shape.length} ${profile}`);
        }
      }),
      fcParams(80),
    );
  });

  it('a case and its canonical case [N, C, S] give the same bits: reference, bounds, fast path and the registry', () => {
    expectCanonicalInvariance('groupNorm', groupNormCases({ maxElements: 2048, specialValues: true }), 60);
    const c = { op: 'groupNorm', params: { numGroups: 2, eps: 1e-5 }, inputs: { x: tensor([1, 4, 2, 3, 2, 2]), weight: null, bias: null } } as const;
    expect(groupNormCanonical(c).case.inputs['x']!.shape).toEqual([1, 4, 24]);
  });

  it('rejects a 1-D x naming x.shape', () => {
    expectInputRangeError(() => groupNorm(tensor([4]), 2), 'x.shape');
  });
});
