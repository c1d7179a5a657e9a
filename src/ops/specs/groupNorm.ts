import fc from 'fast-check';
import { groupNorm, groupNormGeometry } from '../../reference/groupNorm.ts';
import { groupNormBound } from '../../reference/bounds/groupNorm.ts';
import type { Accuracy, AnyOrderOptions, InputTap, OpCase, OpSpec } from '../types.ts';
import { fitDims, optionalTensorArb, tensorArb } from '../shared/values.ts';
import { input, optionalInput } from '../shared/params.ts';
import { groupNormParams } from '../groupNorm/params.ts';

const args = (c: OpCase) => {
  const x = input(c, 'x');
  const { numGroups, eps } = groupNormParams.read(c);
  return [x, numGroups, optionalInput(c, 'weight'), optionalInput(c, 'bias'), eps] as const;
};

/** The any-order bound (see anyOrderBounds in registry.ts). */
export const groupNormAnyOrderBound = (c: OpCase, accuracy: Accuracy, options: AnyOrderOptions = {}) =>
  groupNormBound(...args(c), { accuracy, order: 'anyOrder', ...options });

export const groupNormSpec: OpSpec = {
  name: 'groupNorm',
  inputNames: ['x', 'weight', 'bias'],
  paramNames: groupNormParams.names,
  outputShape(c) {
    groupNormGeometry(...args(c));
    return [...input(c, 'x').shape];
  },
  reference: (c, profile) => groupNorm(...args(c), { profile }),
  bound: (c, accuracy) => groupNormBound(...args(c), { accuracy }),
  arbitrary: (opts) =>
    fc
      .record({
        dims: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 })),
        rank: fc.constantFrom(2, 3, 4, 4),
        eps: fc.constantFrom(1e-5, 1e-5, 1e-3, 1e-6, 0.1),
      })
      .map(({ dims, rank, eps }) => {
        const [n, g, cpg, h, w] = fitDims(dims, [[0, 1, 2, 3, 4]], opts.maxElements) as [number, number, number, number, number];
        const shape = [n, g * cpg, h, w].slice(0, rank);
        return { shape, groups: g, eps };
      })
      .chain(({ shape, groups, eps }) =>
        fc
          .record({
            x: tensorArb(shape, opts, { offset: 50 }),
            weight: optionalTensorArb([shape[1]!], opts, { scale: 0.5, offset: 1 }),
            bias: optionalTensorArb([shape[1]!], opts),
          })
          .map((inputs): OpCase => ({ op: 'groupNorm', params: { numGroups: groups, eps }, inputs })),
      ),
  receptiveField(c, outIndex) {
    const { c: C, spatial, groups } = groupNormGeometry(...args(c));
    const cpg = C / groups;
    const ch = Math.floor(outIndex / spatial) % C;
    const b = Math.floor(outIndex / (spatial * C));
    const start = (b * C + Math.floor(ch / cpg) * cpg) * spatial;
    const taps: InputTap[] = [];
    for (let e = start; e < start + cpg * spatial; e++) taps.push({ input: 'x', index: e });
    if (optionalInput(c, 'weight') !== null) taps.push({ input: 'weight', index: ch });
    if (optionalInput(c, 'bias') !== null) taps.push({ input: 'bias', index: ch });
    return taps;
  },
};
