/**
 * depthwiseSeparableBlock's one case generator: every stage's weights (biases and groupNorm's affine optional), scaled like a default initialisation so activations stay O(1) through the block.
 */
import fc from 'fast-check';
import type { CaseGenOptions, OpCase, SuiteCaseOptions } from '../types.ts';
import { fitDims, optionalTensorArb, tensorArb } from '../shared/values.ts';
import { caseGenerator, dimsRecord, optionalSuiteTensor, suiteTensor } from '../shared/suiteValues.ts';


function specCases(opts: CaseGenOptions): fc.Arbitrary<OpCase> {
  return fc
    .tuple(
      fc.integer({ min: 1, max: 2 }), // n
      fc.integer({ min: 1, max: 4 }), // c
      fc.integer({ min: 1, max: 2 }), // multiplier
      fc.integer({ min: 1, max: 9 }), // h
      fc.integer({ min: 1, max: 9 }), // w
      fc.integer({ min: 1, max: 4 }), // groups
      fc.integer({ min: 1, max: 3 }), // channels per group
      fc.integer({ min: 1, max: 6 }), // classes
    )
    .map((d) => {
      // x, the intermediates, the pointwise and linear weights within maxElements; the 3×3
      // depthwise kernel (C·m·9) within it too (as far as C·m = 1 allows).
      const fitted = fitDims(d, [[0, 1, 3, 4], [0, 1, 2, 3, 4], [0, 5, 6, 3, 4], [5, 6, 1, 2], [7, 5, 6]], opts.maxElements);
      return fitDims(fitted, [[1, 2]], Math.max(1, Math.floor(opts.maxElements / 9))) as [number, number, number, number, number, number, number, number];
    })
    .chain(([n, c, m, h, w, groups, cpg, classes]) => {
      const cm = c * m;
      const cout = groups * cpg;
      return fc
        .record({
          x: tensorArb([n, c, h, w], opts),
          dwWeight: tensorArb([cm, 1, 3, 3], opts, { scale: 0.5 }),
          dwBias: optionalTensorArb([cm], opts, { scale: 0.1 }),
          pwWeight: tensorArb([cout, cm, 1, 1], opts, { scale: 1 / Math.sqrt(cm) }),
          pwBias: optionalTensorArb([cout], opts, { scale: 0.1 }),
          gnWeight: optionalTensorArb([cout], opts, { scale: 0.2, offset: 1 }),
          gnBias: optionalTensorArb([cout], opts, { scale: 0.2 }),
          fcWeight: tensorArb([classes, cout], opts, { scale: 1 / Math.sqrt(cout) }),
          fcBias: optionalTensorArb([classes], opts, { scale: 0.1 }),
          eps: fc.constantFrom(1e-5, 1e-3),
        })
        .map(({ eps, ...inputs }): OpCase => ({ op: 'depthwiseSeparableBlock', params: { numGroups: groups, eps }, inputs }));
    });
}

function suiteCases(opts: SuiteCaseOptions): fc.Arbitrary<OpCase> {
  return dimsRecord({ n: [1, 2], c: [1, 3], m: [1, 2], h: [1, 8], w: [1, 9], groups: [1, 3], cg: [1, 3], classes: [1, 5], eps: fc.constantFrom(1e-5, 0.01) })
    .chain((g) => {
      const cm = g.c * g.m;
      const cout = g.groups * g.cg;
      const s = opts.specialValues;
      return fc
        .record({
          x: suiteTensor([g.n, g.c, g.h, g.w], s),
          dwWeight: suiteTensor([cm, 1, 3, 3], s),
          dwBias: optionalSuiteTensor([cm], s),
          pwWeight: suiteTensor([cout, cm, 1, 1], s),
          pwBias: optionalSuiteTensor([cout], s),
          gnWeight: optionalSuiteTensor([cout], false),
          gnBias: optionalSuiteTensor([cout], false),
          fcWeight: suiteTensor([g.classes, cout], s),
          fcBias: optionalSuiteTensor([g.classes], s),
        })
        .map((inputs) => ({ op: 'depthwiseSeparableBlock', params: { numGroups: g.groups, eps: g.eps }, inputs: inputs }));
    });
}

export const depthwiseSeparableBlockCases = caseGenerator('depthwiseSeparableBlock', specCases, suiteCases);
