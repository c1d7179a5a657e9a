/**
 * depthwiseConv2d's one case generator: kernels, strides, paddings and dilations per axis, channel
 * multipliers; in the GPU suite, `row4` draws only the unrolled kernel's shape (3×3, stride 1,
 * dilation 1).
 */
import fc from 'fast-check';
import type { CaseGenOptions, OpCase, SuiteCaseOptions } from '../types.ts';
import { fitDims, optionalTensorArb, tensorArb } from '../shared/values.ts';
import { convOutputSize } from './reference.ts';
import { caseGenerator, dimsRecord, optionalSuiteTensor, suiteTensor } from '../shared/suiteValues.ts';

/** Largest kernel extent k with d(k − 1) + 1 ≤ size + 2p (at least 1). */
const fitKernel = (k: number, size: number, p: number, d: number) => Math.max(1, Math.min(k, Math.floor((size + 2 * p - 1) / d) + 1));


function specCases(opts: CaseGenOptions): fc.Arbitrary<OpCase> {
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
}

function suiteCases(opts: SuiteCaseOptions & { readonly row4?: boolean }): fc.Arbitrary<OpCase> {
  const [k, s, d] = opts.row4 ? ([3, 1, 1] as const) : ([[1, 4], [1, 3], [1, 2]] as const);
  const geom = dimsRecord({ n: [1, 2], c: [1, 3], m: [1, 2], h: [1, 9], w: [1, 11], kh: k, kw: k, sh: s, sw: s, ph: [0, 2], pw: [0, 2], dh: d, dw: d })
    .filter((g) => convOutputSize(g.h, g.kh, g.sh, g.ph, g.dh) >= 1 && convOutputSize(g.w, g.kw, g.sw, g.pw, g.dw) >= 1);
  return geom.chain((g) =>
    fc
      .tuple(suiteTensor([g.n, g.c, g.h, g.w], opts.specialValues), suiteTensor([g.c * g.m, 1, g.kh, g.kw], opts.specialValues), optionalSuiteTensor([g.c * g.m], opts.specialValues))
      .map(([x, weight, bias]) =>
        ({ op: 'depthwiseConv2d', params: { stride: [g.sh, g.sw], padding: [g.ph, g.pw], dilation: [g.dh, g.dw] }, inputs: { x, weight, bias } }),
      ),
  );
}

/** `row4`: the GPU suite's cases of the row4 kernel variant only. */
export const depthwiseConv2dCases = caseGenerator<{ readonly row4?: boolean }>('depthwiseConv2d', specCases, suiteCases);
