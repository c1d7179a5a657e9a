/**
 * relu's one case generator: any rank from 1 to 4. The registry's cases fit maxElements; the GPU
 * suite's draw whole bit patterns with specials (every NaN payload, ±0, subnormals, ±Inf weighted
 * in), else normal-range values.
 */
import fc from 'fast-check';
import type { OpCase } from '../types.ts';
import { fitDims, tensorArb } from '../shared/values.ts';
import { caseGenerator, suiteTensor } from '../shared/suiteValues.ts';

const SPECIAL_BITS = [0x80000000, 0x7fc00000, 0x7fc00001, 0xffc00000, 0x7f800001, 0x7f800000, 0xff800000, 0x00000001, 0x80000001, 0x807fffff, 0x00000000, 0xbf800000];
const anyBits = fc.oneof(fc.constantFrom(...SPECIAL_BITS), fc.integer({ min: 0, max: 0xffffffff }));

const relu = (x: OpCase['inputs'][string]): OpCase => ({ op: 'relu', params: {}, inputs: { x } });

export const reluCases = caseGenerator(
  'relu',
  (opts) =>
    fc
      .array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 })
      .map((dims) => fitDims(dims, [dims.map((_, i) => i)], opts.maxElements))
      .chain((shape) => tensorArb(shape, opts))
      .map(relu),
  (opts) =>
    fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }).chain((shape) => {
      if (!opts.specialValues) return suiteTensor(shape, false).map(relu);
      const n = shape.reduce((a, b) => a * b, 1);
      return fc.array(anyBits, { minLength: n, maxLength: n }).map((b) => relu({ shape, data: new Float32Array(new Uint32Array(b).buffer) }));
    }),
);
