import fc from 'fast-check';
import { type DepthwiseSeparableBlockParams, depthwiseSeparableBlock } from '../../reference/depthwiseSeparableBlock.ts';
import { depthwiseSeparableBlockBound } from '../../reference/bounds/depthwiseSeparableBlock.ts';
import { InputRangeError } from '../../errors.ts';
import type { Accuracy, AnyOrderOptions, InputTap, OpCase, OpSpec } from '../types.ts';
import { fitDims, optionalTensorArb, tensorArb } from '../shared/values.ts';
import { input, optionalInput } from '../shared/params.ts';
import { depthwiseSeparableBlockParams } from '../depthwiseSeparableBlock/params.ts';

const NAMES = ['x', 'dwWeight', 'dwBias', 'pwWeight', 'pwBias', 'gnWeight', 'gnBias', 'fcWeight', 'fcBias'] as const;

function blockArgs(c: OpCase): [ReturnType<typeof input>, DepthwiseSeparableBlockParams] {
  const x = input(c, 'x');
  const { numGroups, eps } = depthwiseSeparableBlockParams.read(c);
  return [
    x,
    {
      dwWeight: input(c, 'dwWeight'),
      dwBias: optionalInput(c, 'dwBias'),
      pwWeight: input(c, 'pwWeight'),
      pwBias: optionalInput(c, 'pwBias'),
      numGroups,
      gnWeight: optionalInput(c, 'gnWeight'),
      gnBias: optionalInput(c, 'gnBias'),
      eps,
      fcWeight: input(c, 'fcWeight'),
      fcBias: optionalInput(c, 'fcBias'),
    },
  ];
}

/** The any-order bound (see anyOrderBounds in registry.ts). */
export const depthwiseSeparableBlockAnyOrderBound = (c: OpCase, accuracy: Accuracy, options: AnyOrderOptions = {}) =>
  depthwiseSeparableBlockBound(...blockArgs(c), { accuracy, order: 'anyOrder', ...options });

export const depthwiseSeparableBlockSpec: OpSpec = {
  name: 'depthwiseSeparableBlock',
  inputNames: NAMES,
  paramNames: depthwiseSeparableBlockParams.names,
  outputShape: (c) => [...depthwiseSeparableBlock(...blockArgs(c)).shape],
  reference: (c, profile) => depthwiseSeparableBlock(...blockArgs(c), { profile }),
  bound: (c, accuracy) => depthwiseSeparableBlockBound(...blockArgs(c), { accuracy }),
  arbitrary: (opts) =>
    fc
      .tuple(
        fc.integer({ min: 1, max: 2 }), // n
        fc.integer({ min: 1, max: 4 }), // c
        fc.integer({ min: 1, max: 2 }), // multiplier
        fc.integer({ min: 1, max: 9 }), // h
        fc.integer({ min: 1, max: 9 }), // w
        fc.integer({ min: 1, max: 4 }), // groups
        fc.integer({ min: 1, max: 3 }), // channels per group
        fc.integer({ min: 1, max: 6 }), // classes
      )
      .map((d) => {
        // x, the intermediates, the pointwise and linear weights within maxElements; the 3×3
        // depthwise kernel (C·m·9) within it too (as far as C·m = 1 allows).
        const fitted = fitDims(d, [[0, 1, 3, 4], [0, 1, 2, 3, 4], [0, 5, 6, 3, 4], [5, 6, 1, 2], [7, 5, 6]], opts.maxElements);
        return fitDims(fitted, [[1, 2]], Math.max(1, Math.floor(opts.maxElements / 9))) as [number, number, number, number, number, number, number, number];
      })
      .chain(([n, c, m, h, w, groups, cpg, classes]) => {
        const cm = c * m;
        const cout = groups * cpg;
        return fc
          .record({
            x: tensorArb([n, c, h, w], opts),
            dwWeight: tensorArb([cm, 1, 3, 3], opts, { scale: 0.5 }),
            dwBias: optionalTensorArb([cm], opts, { scale: 0.1 }),
            pwWeight: tensorArb([cout, cm, 1, 1], opts, { scale: 1 / Math.sqrt(cm) }),
            pwBias: optionalTensorArb([cout], opts, { scale: 0.1 }),
            gnWeight: optionalTensorArb([cout], opts, { scale: 0.2, offset: 1 }),
            gnBias: optionalTensorArb([cout], opts, { scale: 0.2 }),
            fcWeight: tensorArb([classes, cout], opts, { scale: 1 / Math.sqrt(cout) }),
            fcBias: optionalTensorArb([classes], opts, { scale: 0.1 }),
            eps: fc.constantFrom(1e-5, 1e-3),
          })
          .map(({ eps, ...inputs }): OpCase => ({ op: 'depthwiseSeparableBlock', params: { numGroups: groups, eps }, inputs }));
      }),
  receptiveField(c, outIndex) {
    const [x, p] = blockArgs(c);
    const [N, C, H, W] = x.shape as [number, number, number, number];
    const classes = p.fcWeight.shape[0]!;
    const cm = p.dwWeight.shape[0]!;
    const cout = p.pwWeight.shape[0]!;
    if (!(outIndex >= 0 && outIndex < N * classes)) throw new InputRangeError('outIndex', `an integer in [0, ${N * classes})`, outIndex);
    const b = Math.floor(outIndex / classes);
    const k = outIndex % classes;
    // groupNorm mixes each group, pooling every pixel and linear every channel: the whole sample
    // feeds every output, and every parameter does too, except the depthwise taps that only ever
    // land in the padding (rows/columns 0 and 2 of the 3×3 kernel when H or W is 1).
    const taps: InputTap[] = [];
    for (let i = b * C * H * W; i < (b + 1) * C * H * W; i++) taps.push({ input: 'x', index: i });
    for (let oc = 0; oc < cm; oc++)
      for (let kh = 0; kh < 3; kh++)
        for (let kw = 0; kw < 3; kw++)
          if ((kh === 1 || H > 1) && (kw === 1 || W > 1)) taps.push({ input: 'dwWeight', index: (oc * 3 + kh) * 3 + kw });
    const all = (name: string, count: number) => {
      if (optionalInput(c, name) !== null) for (let i = 0; i < count; i++) taps.push({ input: name, index: i });
    };
    all('dwBias', cm);
    all('pwWeight', cout * cm);
    all('pwBias', cout);
    all('gnWeight', cout);
    all('gnBias', cout);
    for (let i = 0; i < cout; i++) taps.push({ input: 'fcWeight', index: k * cout + i });
    if (optionalInput(c, 'fcBias') !== null) taps.push({ input: 'fcBias', index: k });
    return taps;
  },
};
