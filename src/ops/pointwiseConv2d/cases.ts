/**
 * pointwiseConv2d's one case generator: channels in and out and pixels within maxElements, x
 * batched or unbatched, padding 0 or in one of conv2d's other forms (a number, [n], a pair,
 * 'valid', 'same'); in the GPU suite, size classes that steer which GEMM tile configuration runs
 * (the 'small' class draws every form, the others unpadded (N, C, H, W)).
 */
import fc from 'fast-check';
import type { JsonValue, OpCase, SuiteCaseOptions } from '../types.ts';
import type { Tensor } from '../../reference/tensor.ts';
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

/** How a case writes x and padding: (C, H, W) one time in four when N is 1; padding mostly 0. */
const formArb = fc.record({
  unbatched: fc.constantFrom(false, false, false, true),
  padding: fc.constantFrom<JsonValue>(0, 0, 0, 0, 1, [2], [0, 1], [1, 2], 'valid', 'same'),
});

const pwCase = (form: { unbatched: boolean; padding: JsonValue }, inputs: { x: Tensor; weight: Tensor; bias: Tensor | null }): OpCase => ({
  op: 'pointwiseConv2d',
  params: { padding: form.padding },
  inputs: { ...inputs, x: form.unbatched && inputs.x.shape[0] === 1 ? { shape: inputs.x.shape.slice(1), data: inputs.x.data } : inputs.x },
});

const suiteCases = (opts: SuiteCaseOptions): fc.Arbitrary<OpCase> =>
  dimsRecord({ ...SUITE_SIZES[opts.size], form: opts.size === 'small' ? formArb : fc.constant({ unbatched: false, padding: 0 as JsonValue }) }).chain(({ n, cin, cout, h, w, form }) =>
    fc
      .tuple(suiteTensor([n, cin, h, w], opts.specialValues), suiteTensor([cout, cin, 1, 1], opts.specialValues), optionalSuiteTensor([cout], opts.specialValues))
      .map(([x, weight, bias]): OpCase => pwCase(form, { x, weight, bias })),
  );

export const pointwiseConv2dCases = caseGenerator(
  'pointwiseConv2d',
  (opts) =>
    fc
      .tuple(fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 16 })), formArb)
      .chain(([dims, form]) => {
        const [n, cin, h, w, cout] = fitDims(dims, [[0, 1, 2, 3], [4, 1], [0, 4, 2, 3]], opts.maxElements) as [number, number, number, number, number];
        return fc
          .record({ x: tensorArb([n, cin, h, w], opts), weight: tensorArb([cout, cin, 1, 1], opts, { scale: 1 / Math.sqrt(cin) }), bias: optionalTensorArb([cout], opts) })
          .map((inputs) => pwCase(form, inputs));
      }),
  suiteCases,
  'all',
);
