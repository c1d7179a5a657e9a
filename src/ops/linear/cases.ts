/**
 * linear's one case generator: batch, in and out features within maxElements; in the GPU suite,
 * size classes that steer which GEMM tile configuration runs.
 */
import fc from 'fast-check';
import type { OpCase, SuiteCaseOptions } from '../types.ts';
import { fitDims, optionalTensorArb, tensorArb } from '../shared/values.ts';
import { caseGenerator, dimsRecord, optionalSuiteTensor, suiteTensor } from '../shared/suiteValues.ts';

const SUITE_SIZES = {
  small: { n: [1, 5], inF: [1, 40], outF: [1, 9] },
  medium: { n: [48, 60], inF: [1, 40], outF: [48, 60] },
  large: { n: [128, 132], inF: [1, 12], outF: [128, 132] },
  wide: { n: [64, 70], inF: [1, 20], outF: [128, 135] },
  'v4-64x64': { n: [60, 70], inF: [17, 40], outF: [60, 70] },
  'v4-128x64': { n: [120, 136], inF: [17, 40], outF: [60, 70] },
  'v4-128x128': { n: [120, 136], inF: [9, 26], outF: [120, 136] },
} as const;

const suiteCases = (opts: SuiteCaseOptions): fc.Arbitrary<OpCase> =>
  dimsRecord(SUITE_SIZES[opts.size]).chain(({ n, inF, outF }) =>
    fc
      .record({ x: suiteTensor([n, inF], opts.specialValues), weight: suiteTensor([outF, inF], opts.specialValues), bias: optionalSuiteTensor([outF], opts.specialValues) })
      .map((inputs): OpCase => ({ op: 'linear', params: {}, inputs })),
  );

export const linearCases = caseGenerator(
  'linear',
  (opts) =>
    fc
      .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 12 }))
      .map((d) => fitDims(d, [[0, 1], [2, 1]], opts.maxElements) as [number, number, number])
      .chain(([n, inF, outF]) =>
        fc.record({ x: tensorArb([n, inF], opts), weight: tensorArb([outF, inF], opts, { scale: 1 / Math.sqrt(inF) }), bias: optionalTensorArb([outF], opts) }),
      )
      .map((inputs): OpCase => ({ op: 'linear', params: {}, inputs })),
  suiteCases,
  'all',
);
