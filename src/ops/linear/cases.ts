/**
 * linear's one case generator: batch, in and out features within maxElements; in the GPU suite, size classes that steer which GEMM tile configuration runs.
 */
import fc from 'fast-check';
import type { CaseGenOptions, CaseOptions, OpCase, SuiteCaseOptions } from '../types.ts';
import { fitDims, optionalTensorArb, tensorArb } from '../shared/values.ts';
import { isSuite, optionalSuiteTensor, smallOnly, suiteTensor } from '../shared/suiteValues.ts';

const mkCase = (op: OpCase['op'], params: OpCase['params'], inputs: OpCase['inputs']): OpCase => ({ op, params, inputs });

export function linearCases(opts: CaseOptions): fc.Arbitrary<OpCase> {
  if (isSuite(opts)) return suiteCases(opts);
  return specCases(opts);
}

function specCases(opts: CaseGenOptions): fc.Arbitrary<OpCase> {
  return fc
    .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 12 }))
    .map((d) => fitDims(d, [[0, 1], [2, 1]], opts.maxElements))
    .chain(([n, inF, outF]) =>
      fc.record({
        x: tensorArb([n!, inF!], opts),
        weight: tensorArb([outF!, inF!], opts, { scale: 1 / Math.sqrt(inF!) }),
        bias: optionalTensorArb([outF!], opts),
      }),
    )
    .map((inputs): OpCase => ({ op: 'linear', params: {}, inputs }));
}

function suiteCases(opts: SuiteCaseOptions): fc.Arbitrary<OpCase> {
  const ranges = {
    small: { n: [1, 5], inF: [1, 40], outF: [1, 9] },
    medium: { n: [48, 60], inF: [1, 40], outF: [48, 60] },
    large: { n: [128, 132], inF: [1, 12], outF: [128, 132] },
    wide: { n: [64, 70], inF: [1, 20], outF: [128, 135] },
  }[opts.size];
  const int = ([min, max]: number[]) => fc.integer({ min: min ?? 1, max: max ?? 1 });
  return fc
    .record({ n: int(ranges.n), inF: int(ranges.inF), outF: int(ranges.outF) })
    .chain((g) =>
      fc
        .tuple(suiteTensor([g.n, g.inF], opts.specialValues), suiteTensor([g.outF, g.inF], opts.specialValues), optionalSuiteTensor([g.outF], opts.specialValues))
        .map(([x, weight, bias]) => mkCase('linear', {}, { x, weight, bias })),
    );
}
