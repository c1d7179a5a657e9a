/**
 * pointwiseConv2d's one case generator: channels in and out and pixels within maxElements; in the GPU suite, size classes that steer which GEMM tile configuration runs.
 */
import fc from 'fast-check';
import type { CaseGenOptions, CaseOptions, OpCase, SuiteCaseOptions } from '../types.ts';
import { fitDims, optionalTensorArb, tensorArb } from '../shared/values.ts';
import { isSuite, optionalSuiteTensor, smallOnly, suiteTensor } from '../shared/suiteValues.ts';

const mkCase = (op: OpCase['op'], params: OpCase['params'], inputs: OpCase['inputs']): OpCase => ({ op, params, inputs });

export function pointwiseConv2dCases(opts: CaseOptions): fc.Arbitrary<OpCase> {
  if (isSuite(opts)) return suiteCases(opts);
  return specCases(opts);
}

function specCases(opts: CaseGenOptions): fc.Arbitrary<OpCase> {
  return fc
    .tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 16 }))
    .map((d) => fitDims(d, [[0, 1, 2, 3], [4, 1], [0, 4, 2, 3]], opts.maxElements))
    .chain(([n, cin, h, w, cout]) =>
      fc.record({
        x: tensorArb([n!, cin!, h!, w!], opts),
        weight: tensorArb([cout!, cin!, 1, 1], opts, { scale: 1 / Math.sqrt(cin!) }),
        bias: optionalTensorArb([cout!], opts),
      }),
    )
    .map((inputs): OpCase => ({ op: 'pointwiseConv2d', params: {}, inputs }));
}

function suiteCases(opts: SuiteCaseOptions): fc.Arbitrary<OpCase> {
  const ranges = {
    small: { n: [1, 2], cin: [1, 20], cout: [1, 9], h: [1, 5], w: [1, 6] },
    medium: { n: [1, 1], cin: [1, 20], cout: [48, 70], h: [7, 8], w: [7, 9] },
    large: { n: [1, 1], cin: [1, 10], cout: [128, 136], h: [12, 12], w: [11, 12] },
    wide: { n: [1, 2], cin: [1, 10], cout: [64, 70], h: [12, 12], w: [11, 12] },
  }[opts.size];
  const int = ([min, max]: number[]) => fc.integer({ min: min ?? 1, max: max ?? 1 });
  return fc
    .record({ n: int(ranges.n), cin: int(ranges.cin), cout: int(ranges.cout), h: int(ranges.h), w: int(ranges.w) })
    .chain((g) =>
      fc
        .tuple(suiteTensor([g.n, g.cin, g.h, g.w], opts.specialValues), suiteTensor([g.cout, g.cin, 1, 1], opts.specialValues), optionalSuiteTensor([g.cout], opts.specialValues))
        .map(([x, weight, bias]) => mkCase('pointwiseConv2d', {}, { x, weight, bias })),
    );
}
