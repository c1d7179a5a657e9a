import fc from 'fast-check';
import { type DepthwiseConv2dOptions, depthwiseConv2d, depthwiseConv2dGeometry } from '../../reference/depthwiseConv2d.ts';
import { depthwiseConv2dBound } from '../../reference/bounds/depthwiseConv2d.ts';
import type { Accuracy, InputTap, OpCase, OpSpec } from '../types.ts';
import { fitDims, optionalTensorArb, tensorArb } from '../shared/values.ts';
import { input, optionalInput } from '../shared/params.ts';
import { depthwiseConv2dParams } from '../depthwiseConv2d/params.ts';

const args = (c: OpCase) => {
  const [x, weight, bias] = [input(c, 'x'), input(c, 'weight'), optionalInput(c, 'bias')];
  const opts: DepthwiseConv2dOptions = depthwiseConv2dParams.read(c);
  return [x, weight, bias, opts] as const;
};

/** Largest kernel extent k with d(k − 1) + 1 ≤ size + 2p (at least 1). */
const fitKernel = (k: number, size: number, p: number, d: number) => Math.max(1, Math.min(k, Math.floor((size + 2 * p - 1) / d) + 1));

/** The any-order bound (see anyOrderBounds in registry.ts). */
export function depthwiseConv2dAnyOrderBound(c: OpCase, accuracy: Accuracy): Float64Array {
  const [x, w, b, o] = args(c);
  return depthwiseConv2dBound(x, w, b, o, { accuracy, order: 'anyOrder' });
}

export const depthwiseConv2dSpec: OpSpec = {
  name: 'depthwiseConv2d',
  inputNames: ['x', 'weight', 'bias'],
  paramNames: depthwiseConv2dParams.names,
  outputShape(c) {
    const g = depthwiseConv2dGeometry(...args(c));
    return [g.n, g.cout, g.oh, g.ow];
  },
  reference: (c, profile) => {
    const [x, w, b, o] = args(c);
    return depthwiseConv2d(x, w, b, o, { profile });
  },
  bound: (c, accuracy) => {
    const [x, w, b, o] = args(c);
    return depthwiseConv2dBound(x, w, b, o, { accuracy });
  },
  arbitrary: (opts) => {
    const small = (max: number) => fc.integer({ min: 1, max });
    return fc
      .record({
        dims: fc.tuple(small(2), small(4), small(3), small(12), small(12)),
        k: fc.tuple(small(5), small(5)),
        stride: fc.tuple(small(3), small(3)),
        padding: fc.tuple(fc.nat(2), fc.nat(2)),
        dilation: fc.tuple(small(3), small(3)),
      })
      .map(({ dims, k, stride, padding, dilation }) => {
        const [n, c, m0, h, w] = fitDims(dims, [[0, 1, 3, 4], [1, 2, 0, 3, 4]], opts.maxElements) as [number, number, number, number, number];
        // The weight [C·m, 1, KH, KW] within maxElements too: shrink m and the kernel, C is fixed by x.
        const [m, kh, kw] = fitDims(
          [m0, fitKernel(k[0], h, padding[0], dilation[0]), fitKernel(k[1], w, padding[1], dilation[1])],
          [[0, 1, 2]],
          Math.max(1, Math.floor(opts.maxElements / c)),
        ) as [number, number, number];
        return { shape: [n, c, h, w], wShape: [c * m, 1, kh, kw], stride, padding, dilation };
      })
      .chain(({ shape, wShape, stride, padding, dilation }) =>
        fc
          .record({ x: tensorArb(shape, opts), weight: tensorArb(wShape, opts, { scale: 0.5 }), bias: optionalTensorArb([wShape[0]!], opts) })
          .map((inputs): OpCase => ({ op: 'depthwiseConv2d', params: { stride, padding, dilation }, inputs })),
      );
  },
  receptiveField(c, outIndex) {
    const g = depthwiseConv2dGeometry(...args(c));
    const ow = outIndex % g.ow;
    const oh = Math.floor(outIndex / g.ow) % g.oh;
    const oc = Math.floor(outIndex / (g.ow * g.oh)) % g.cout;
    const b = Math.floor(outIndex / (g.ow * g.oh * g.cout));
    const ic = Math.floor(oc / g.multiplier);
    const xs: InputTap[] = [];
    const ws: InputTap[] = [];
    for (let kh = 0; kh < g.kh; kh++) {
      const ih = oh * g.stride[0] - g.padding[0] + kh * g.dilation[0];
      if (ih < 0 || ih >= g.h) continue;
      for (let kw = 0; kw < g.kw; kw++) {
        const iw = ow * g.stride[1] - g.padding[1] + kw * g.dilation[1];
        if (iw < 0 || iw >= g.w) continue;
        xs.push({ input: 'x', index: ((b * g.c + ic) * g.h + ih) * g.w + iw });
        ws.push({ input: 'weight', index: (oc * g.kh + kh) * g.kw + kw });
      }
    }
    const taps = [...xs, ...ws];
    if (optionalInput(c, 'bias') !== null) taps.push({ input: 'bias', index: oc });
    return taps;
  },
};
