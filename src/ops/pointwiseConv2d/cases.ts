/**
 * pointwiseConv2d's one case generator: channels in and out and pixels within maxElements; in the
 * GPU suite, size classes that steer which GEMM tile configuration runs.
 */
import fc from 'fast-check';
import type { OpCase, SuiteCaseOptions } from '../types.ts';
import { fitDims, optionalTensorArb, tensorArb } from '../shared/values.ts';
import { caseGenerator, dimsRecord, optionalSuiteTensor, suiteTensor } from '../shared/suiteValues.ts';

const SUITE_SIZES = {
  small: { n: [1, 2], cin: [1, 20], cout: [1, 9], h: [1, 5], w: [1, 6] },
  medium: { n: [1, 1], cin: [1, 20], cout: [48, 70], h: [7, 8], w: [7, 9] },
  large: { n: [1, 1], cin: [1, 10], cout: [128, 136], h: [12, 12], w: [11, 12] },
  wide: { n: [1, 2], cin: [1, 10], cout: [64, 70], h: [12, 12], w: [11, 12] },
  'v4-64x64': { n: [1, 2], cin: [17, 40], cout: [60, 70], h: [8, 8], w: [8, 9] },
  'v4-128x64': { n: [1, 1], cin: [17, 40], cout: [120, 136], h: [8, 8], w: [8, 9] },
  'v4-128x128': { n: [1, 1], cin: [9, 26], cout: [120, 136], h: [11, 12], w: [11, 12] },
} as const;

const suiteCases = (opts: SuiteCaseOptions): fc.Arbitrary<OpCase> =>
  dimsRecord(SUITE_SIZES[opts.size]).chain(({ n, cin, cout, h, w }) =>
    fc
      .tuple(suiteTensor([n, cin, h, w], opts.specialValues), suiteTensor([cout, cin, 1, 1], opts.specialValues), optionalSuiteTensor([cout], opts.specialValues))
      .map(([x, weight, bias]): OpCase => ({ op: 'pointwiseConv2d', params: {}, inputs: { x, weight, bias } })),
  );

export const pointwiseConv2dCases = caseGenerator(
  'pointwiseConv2d',
  (opts) =>
    fc
      .tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 16 }))
      .map((d) => fitDims(d, [[0, 1, 2, 3], [4, 1], [0, 4, 2, 3]], opts.maxElements) as [number, number, number, number, number])
      .chain(([n, cin, h, w, cout]) =>
        fc.record({ x: tensorArb([n, cin, h, w], opts), weight: tensorArb([cout, cin, 1, 1], opts, { scale: 1 / Math.sqrt(cin) }), bias: optionalTensorArb([cout], opts) }),
      )
      .map((inputs): OpCase => ({ op: 'pointwiseConv2d', params: {}, inputs })),
  suiteCases,
  'all',
);
