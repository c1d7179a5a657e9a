/**
 * adaptiveAvgPool2d's one case generator: batched (N, C, H, W) and unbatched (C, H, W) inputs,
 * output sizes smaller and larger than the input (both pooling and upsampling windows), written
 * as one number (square), a pair, or a pair with null entries (keep that input size).
 */
import fc from 'fast-check';
import type { OpCase } from '../types.ts';
import type { Tensor } from '../../reference/tensor.ts';
import { fitDims, tensorArb } from '../shared/values.ts';
import { caseGenerator, dimsRecord, suiteTensor } from '../shared/suiteValues.ts';
import type { OutputSize } from './params.ts';

const pool = (outputSize: OutputSize, x: Tensor): OpCase => ({ op: 'adaptiveAvgPool2d', params: { outputSize }, inputs: { x } });

/** How the case writes outputSize [oh, ow] for an input of h × w: a number where square, else a pair, an entry equal to the input's size sometimes as null. */
const outputSizeForm = (oh: number, ow: number, h: number, w: number): fc.Arbitrary<OutputSize> =>
  fc.constantFrom('plain', 'plain', 'null').map((form): OutputSize => {
    if (form === 'null' && (oh === h || ow === w)) return [oh === h ? null : oh, ow === w ? null : ow];
    return oh === ow ? oh : [oh, ow];
  });

/** The input's shape: (N, C, H, W), or (C, H, W) one time in four when N is 1. */
const inputShape = (n: number, c: number, h: number, w: number): fc.Arbitrary<number[]> =>
  n === 1 ? fc.constantFrom([1, c, h, w], [1, c, h, w], [1, c, h, w], [c, h, w]) : fc.constant([n, c, h, w]);

export const adaptiveAvgPool2dCases = caseGenerator(
  'adaptiveAvgPool2d',
  (opts) =>
    fc
      .record({
        dims: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 24 }), fc.integer({ min: 1, max: 24 })),
        outputSize: fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 })),
        keep: fc.constantFrom('none', 'none', 'h', 'w'),
      })
      .chain(({ dims, outputSize, keep }) => {
        const [n, c, h, w] = fitDims(dims, [[0, 1, 2, 3]], opts.maxElements) as [number, number, number, number];
        const [oh, ow] = [keep === 'h' ? h : outputSize[0], keep === 'w' ? w : outputSize[1]];
        return fc
          .tuple(inputShape(n, c, h, w).chain((shape) => tensorArb(shape, opts, { offset: 4 })), outputSizeForm(oh, ow, h, w))
          .map(([x, size]) => pool(size, x));
      }),
  (opts) =>
    dimsRecord({ n: [1, 2], c: [1, 3], h: [1, 20], w: [1, 20] }).chain((g) =>
      fc
        .tuple(inputShape(g.n, g.c, g.h, g.w), fc.integer({ min: 1, max: g.h + 3 }), fc.integer({ min: 1, max: g.w + 3 }))
        .chain(([shape, oh, ow]) => fc.tuple(suiteTensor(shape, opts.specialValues), outputSizeForm(oh, ow, g.h, g.w)))
        .map(([x, size]) => pool(typeof size === 'number' && size % 2 === 1 ? [size, size] : size, x)),
    ),
);
