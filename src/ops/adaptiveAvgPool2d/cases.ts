/**
 * adaptiveAvgPool2d's one case generator: NCHW inputs with output sizes smaller and larger than
 * the input (both pooling and upsampling windows), square sizes written as one number.
 */
import fc from 'fast-check';
import type { OpCase } from '../types.ts';
import { fitDims, tensorArb } from '../shared/values.ts';
import { caseGenerator, dimsRecord, suiteTensor } from '../shared/suiteValues.ts';

const pool = (outputSize: number | [number, number], x: OpCase['inputs'][string]): OpCase => ({ op: 'adaptiveAvgPool2d', params: { outputSize }, inputs: { x } });

export const adaptiveAvgPool2dCases = caseGenerator(
  'adaptiveAvgPool2d',
  (opts) =>
    fc
      .record({
        dims: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 24 }), fc.integer({ min: 1, max: 24 })),
        outputSize: fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 })),
      })
      .chain(({ dims, outputSize }) => tensorArb(fitDims(dims, [[0, 1, 2, 3]], opts.maxElements), opts, { offset: 4 }).map((x) => pool(outputSize, x))),
  (opts) =>
    dimsRecord({ n: [1, 2], c: [1, 3], h: [1, 20], w: [1, 20] }).chain((g) =>
      fc
        .tuple(suiteTensor([g.n, g.c, g.h, g.w], opts.specialValues), fc.integer({ min: 1, max: g.h + 3 }), fc.integer({ min: 1, max: g.w + 3 }))
        .map(([x, oh, ow]) => pool(oh === ow && oh % 2 === 0 ? oh : [oh, ow], x)),
    ),
);
