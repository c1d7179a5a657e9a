import fc from 'fast-check';
import { pointwiseConv2d, pointwiseConv2dGeometry } from '../../reference/pointwiseConv2d.ts';
import { pointwiseConv2dBound } from '../../reference/bounds/pointwiseConv2d.ts';
import type { Accuracy, InputTap, OpCase, OpSpec } from '../types.ts';
import { fitDims, optionalTensorArb, tensorArb } from '../shared/values.ts';
import { input, optionalInput } from '../shared/params.ts';
import { pointwiseConv2dParams } from '../pointwiseConv2d/params.ts';

const args = (c: OpCase) => {
  const a = [input(c, 'x'), input(c, 'weight'), optionalInput(c, 'bias')] as const;
  pointwiseConv2dParams.read(c);
  return a;
};

/** The any-order bound (see anyOrderBounds in registry.ts). */
export const pointwiseConv2dAnyOrderBound = (c: OpCase, accuracy: Accuracy) => pointwiseConv2dBound(...args(c), { accuracy, order: 'anyOrder' });

export const pointwiseConv2dSpec: OpSpec = {
  name: 'pointwiseConv2d',
  inputNames: ['x', 'weight', 'bias'],
  paramNames: pointwiseConv2dParams.names,
  outputShape(c) {
    const [n, , h, w, cout] = pointwiseConv2dGeometry(...args(c));
    return [n, cout, h, w];
  },
  reference: (c, profile) => pointwiseConv2d(...args(c), { profile }),
  bound: (c, accuracy) => pointwiseConv2dBound(...args(c), { accuracy }),
  arbitrary: (opts) =>
    fc
      .tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 16 }))
      .map((d) => fitDims(d, [[0, 1, 2, 3], [4, 1], [0, 4, 2, 3]], opts.maxElements))
      .chain(([n, cin, h, w, cout]) =>
        fc.record({
          x: tensorArb([n!, cin!, h!, w!], opts),
          weight: tensorArb([cout!, cin!, 1, 1], opts, { scale: 1 / Math.sqrt(cin!) }),
          bias: optionalTensorArb([cout!], opts),
        }),
      )
      .map((inputs): OpCase => ({ op: 'pointwiseConv2d', params: {}, inputs })),
  receptiveField(c, outIndex) {
    const [, cin, h, w, cout] = pointwiseConv2dGeometry(...args(c));
    const hw = h * w;
    const p = outIndex % hw;
    const co = Math.floor(outIndex / hw) % cout;
    const b = Math.floor(outIndex / (hw * cout));
    const taps: InputTap[] = [];
    for (let ci = 0; ci < cin; ci++) taps.push({ input: 'x', index: (b * cin + ci) * hw + p });
    for (let ci = 0; ci < cin; ci++) taps.push({ input: 'weight', index: co * cin + ci });
    if (optionalInput(c, 'bias') !== null) taps.push({ input: 'bias', index: co });
    return taps;
  },
};
