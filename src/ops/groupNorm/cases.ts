/**
 * groupNorm's one case generator: x (N, C, *) of ranks 2 to 5 (6 in the GPU suite), every affine combination (weight and/or bias
 * present or absent), eps from 1e-6 to 0.1 (and 0 in the GPU suite).
 */
import fc from 'fast-check';
import type { CaseGenOptions, OpCase, SuiteCaseOptions } from '../types.ts';
import { fitDims, optionalTensorArb, tensorArb } from '../shared/values.ts';
import { caseGenerator, optionalSuiteTensor, suiteTensor } from '../shared/suiteValues.ts';


function specCases(opts: CaseGenOptions): fc.Arbitrary<OpCase> {
  return fc
    .record({
      dims: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 })),
      rank: fc.constantFrom(2, 3, 4, 4, 5),
      depth: fc.integer({ min: 1, max: 3 }),
      eps: fc.constantFrom(1e-5, 1e-5, 1e-3, 1e-6, 0.1),
    })
    .map(({ dims, rank, depth, eps }) => {
      // Rank 5: (N, C, D, H, W), a volume.
      const [n, g, cpg, h, w, d] = fitDims([...dims, rank === 5 ? depth : 1], [[0, 1, 2, 3, 4, 5]], opts.maxElements) as [number, number, number, number, number, number];
      const shape = rank === 5 ? [n, g * cpg, d, h, w] : [n, g * cpg, h, w].slice(0, rank);
      return { shape, groups: g, eps };
    })
    .chain(({ shape, groups, eps }) =>
      fc
        .record({
          x: tensorArb(shape, opts, { offset: 50 }),
          weight: optionalTensorArb([shape[1]!], opts, { scale: 0.5, offset: 1 }),
          bias: optionalTensorArb([shape[1]!], opts),
        })
        .map((inputs): OpCase => ({ op: 'groupNorm', params: { numGroups: groups, eps }, inputs })),
    );
}

function suiteCases(opts: SuiteCaseOptions): fc.Arbitrary<OpCase> {
  const spatialShape = fc.oneof(
    fc.constant<number[]>([]),
    fc.tuple(fc.integer({ min: 1, max: 40 })).map((t) => [...t]),
    fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 30 })).map((t) => [...t]),
    fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 3, maxLength: 4 }),
  );
  return fc
    .record({ n: fc.integer({ min: 1, max: 2 }), groups: fc.integer({ min: 1, max: 3 }), cg: fc.integer({ min: 1, max: 3 }), spatial: spatialShape, eps: fc.constantFrom(1e-5, 1e-3, 0.1, 0) })
    .chain((g) => {
      const c = g.groups * g.cg;
      return fc
        .tuple(suiteTensor([g.n, c, ...g.spatial], opts.specialValues), optionalSuiteTensor([c], false), optionalSuiteTensor([c], false))
        .map(([x, weight, bias]) => ({ op: 'groupNorm', params: { numGroups: g.groups, eps: g.eps }, inputs: { x, weight, bias } }));
    });
}

export const groupNormCases = caseGenerator('groupNorm', specCases, suiteCases);
