import fc from 'fast-check';
import { linear, linearGeometry } from '../../reference/linear.ts';
import { linearBound } from '../../reference/bounds/linear.ts';
import type { Accuracy, InputTap, OpCase, OpSpec } from '../types.ts';
import { fitDims, optionalTensorArb, tensorArb } from '../shared/values.ts';
import { input, optionalInput } from '../shared/params.ts';
import { linearParams } from '../linear/params.ts';

const args = (c: OpCase) => {
  const a = [input(c, 'x'), input(c, 'weight'), optionalInput(c, 'bias')] as const;
  linearParams.read(c);
  return a;
};

/** The any-order bound (see anyOrderBounds in registry.ts). */
export const linearAnyOrderBound = (c: OpCase, accuracy: Accuracy) => linearBound(...args(c), { accuracy, order: 'anyOrder' });

export const linearSpec: OpSpec = {
  name: 'linear',
  inputNames: ['x', 'weight', 'bias'],
  paramNames: linearParams.names,
  outputShape(c) {
    const [n, , out] = linearGeometry(...args(c));
    return [n, out];
  },
  reference: (c, profile) => linear(...args(c), { profile }),
  bound: (c, accuracy) => linearBound(...args(c), { accuracy }),
  arbitrary: (opts) =>
    fc
      .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 12 }))
      .map((d) => fitDims(d, [[0, 1], [2, 1]], opts.maxElements))
      .chain(([n, inF, outF]) =>
        fc.record({
          x: tensorArb([n!, inF!], opts),
          weight: tensorArb([outF!, inF!], opts, { scale: 1 / Math.sqrt(inF!) }),
          bias: optionalTensorArb([outF!], opts),
        }),
      )
      .map((inputs): OpCase => ({ op: 'linear', params: {}, inputs })),
  receptiveField(c, outIndex) {
    const [, inF, outF] = linearGeometry(...args(c));
    const b = Math.floor(outIndex / outF);
    const o = outIndex % outF;
    const taps: InputTap[] = [];
    for (let i = 0; i < inF; i++) taps.push({ input: 'x', index: b * inF + i });
    for (let i = 0; i < inF; i++) taps.push({ input: 'weight', index: o * inF + i });
    if (optionalInput(c, 'bias') !== null) taps.push({ input: 'bias', index: o });
    return taps;
  },
};
