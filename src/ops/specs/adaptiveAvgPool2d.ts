import fc from 'fast-check';
import { adaptiveAvgPool2d, adaptiveAvgPool2dGeometry, adaptiveWindow } from '../../reference/adaptiveAvgPool2d.ts';
import { adaptiveAvgPool2dBound } from '../../reference/bounds/adaptiveAvgPool2d.ts';
import type { Accuracy, InputTap, OpCase, OpSpec } from '../types.ts';
import { fitDims, tensorArb } from '../shared/values.ts';
import { input } from '../shared/params.ts';
import { adaptiveAvgPool2dParams } from '../adaptiveAvgPool2d/params.ts';

const args = (c: OpCase) => {
  const x = input(c, 'x');
  return [x, adaptiveAvgPool2dParams.read(c).outputSize] as const;
};

/** The any-order bound (see anyOrderBounds in registry.ts). */
export const adaptiveAvgPool2dAnyOrderBound = (c: OpCase, accuracy: Accuracy) => adaptiveAvgPool2dBound(...args(c), { accuracy, order: 'anyOrder' });

export const adaptiveAvgPool2dSpec: OpSpec = {
  name: 'adaptiveAvgPool2d',
  inputNames: ['x'],
  paramNames: adaptiveAvgPool2dParams.names,
  outputShape(c) {
    const [n, ch, , , oh, ow] = adaptiveAvgPool2dGeometry(...args(c));
    return [n, ch, oh, ow];
  },
  reference: (c, profile) => adaptiveAvgPool2d(...args(c), { profile }),
  bound: (c, accuracy) => adaptiveAvgPool2dBound(...args(c), { accuracy }),
  arbitrary: (opts) =>
    fc
      .record({
        dims: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 24 }), fc.integer({ min: 1, max: 24 })),
        outputSize: fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 })),
      })
      .chain(({ dims, outputSize }) =>
        tensorArb(fitDims(dims, [[0, 1, 2, 3]], opts.maxElements), opts, { offset: 4 }).map(
          (x): OpCase => ({ op: 'adaptiveAvgPool2d', params: { outputSize }, inputs: { x } }),
        ),
      ),
  receptiveField(c, outIndex) {
    const [, , h, w, oh, ow] = adaptiveAvgPool2dGeometry(...args(c));
    const j = outIndex % ow;
    const i = Math.floor(outIndex / ow) % oh;
    const plane = Math.floor(outIndex / (ow * oh));
    const [r0, r1] = adaptiveWindow(i, h, oh);
    const [c0, c1] = adaptiveWindow(j, w, ow);
    const taps: InputTap[] = [];
    for (let r = r0; r < r1; r++) for (let q = c0; q < c1; q++) taps.push({ input: 'x', index: (plane * h + r) * w + q });
    return taps;
  },
};
