/**
 * depthwiseConv2d's one case generator: kernels, strides, paddings and dilations per axis, channel
 * multipliers, in every form conv2d takes (x batched or unbatched; stride, padding, dilation as a
 * number, [n] or a pair; padding 'valid' or 'same', the latter with stride 1 and, for even kernel
 * extents, more padding after than before); in the GPU suite, `row4` draws only the unrolled
 * kernel's shape (3×3, stride 1, dilation 1).
 */
import fc from 'fast-check';
import type { CaseGenOptions, OpCase, SuiteCaseOptions } from '../types.ts';
import type { JsonValue } from '../types.ts';
import type { Tensor } from '../../reference/tensor.ts';
import { fitDims, optionalTensorArb, tensorArb } from '../shared/values.ts';
import { convOutputSize } from './reference.ts';
import { caseGenerator, dimsRecord, optionalSuiteTensor, suiteTensor } from '../shared/suiteValues.ts';

/** Largest kernel extent k with d(k − 1) + 1 ≤ size + 2p (at least 1). */
const fitKernel = (k: number, size: number, p: number, d: number) => Math.max(1, Math.min(k, Math.floor((size + 2 * p - 1) / d) + 1));

/** How a case writes its input and params. */
interface Form {
  /** x as (C, H, W) (only when N is 1). */
  readonly unbatched: boolean;
  /** 'same' and 'valid' replace the drawn padding (and 'same' the stride, by 1). */
  readonly padding: 'numbers' | 'same' | 'valid';
  /** A pair [a, a] written as a or [a]. */
  readonly short: 'pair' | 'number' | 'list';
}

const formArb: fc.Arbitrary<Form> = fc.record({
  unbatched: fc.constantFrom(false, false, false, true),
  padding: fc.constantFrom('numbers', 'numbers', 'numbers', 'numbers', 'same', 'valid'),
  short: fc.constantFrom('number', 'pair', 'list'),
});

/** A pair as the form writes it. */
const written = (v: readonly [number, number], form: Form): JsonValue => (v[0] !== v[1] || form.short === 'pair' ? [v[0], v[1]] : form.short === 'number' ? v[0] : [v[0]]);

/** The case's params: stride 1 with 'same'; padding 'same', 'valid' or the drawn numbers. */
function params(form: Form, stride: readonly [number, number], padding: readonly [number, number], dilation: readonly [number, number]): OpCase['params'] {
  const pad: JsonValue = form.padding === 'numbers' ? written(padding, form) : form.padding;
  return { stride: written(form.padding === 'same' ? [1, 1] : stride, form), padding: pad, dilation: written(dilation, form) };
}

/** The padding the kernel must fit: 'same' pads d·(k − 1) in all (always fits), 'valid' none. */
const fitPadding = (form: Form, p: number, k: number, d: number) => (form.padding === 'same' ? d * (k - 1) : form.padding === 'valid' ? 0 : p);

const dwCase = (form: Form, c: { x: Tensor; weight: Tensor; bias: Tensor | null }, p: OpCase['params']): OpCase => ({
  op: 'depthwiseConv2d',
  params: p,
  inputs: { x: form.unbatched && c.x.shape[0] === 1 ? { shape: c.x.shape.slice(1), data: c.x.data } : c.x, weight: c.weight, bias: c.bias },
});

function specCases(opts: CaseGenOptions): fc.Arbitrary<OpCase> {
  const small = (max: number) => fc.integer({ min: 1, max });
  return fc
    .record({
      dims: fc.tuple(small(2), small(4), small(3), small(12), small(12)),
      k: fc.tuple(small(5), small(5)),
      stride: fc.tuple(small(3), small(3)),
      padding: fc.tuple(fc.nat(2), fc.nat(2)),
      dilation: fc.tuple(small(3), small(3)),
      form: formArb,
    })
    .map(({ dims, k, stride, padding, dilation, form }) => {
      const [n, c, m0, h, w] = fitDims(dims, [[0, 1, 3, 4], [1, 2, 0, 3, 4]], opts.maxElements) as [number, number, number, number, number];
      // The weight [C·m, 1, KH, KW] within maxElements too: shrink m and the kernel, C is fixed by x.
      const fit = (i: 0 | 1, size: number) => fitKernel(k[i], size, fitPadding(form, padding[i], k[i], dilation[i]), dilation[i]);
      const [m, kh, kw] = fitDims([m0, fit(0, h), fit(1, w)], [[0, 1, 2]], Math.max(1, Math.floor(opts.maxElements / c))) as [number, number, number];
      return { shape: [n, c, h, w], wShape: [c * m, 1, kh, kw], p: params(form, stride, padding, dilation), form };
    })
    .chain(({ shape, wShape, p, form }) =>
      fc
        .record({ x: tensorArb(shape, opts), weight: tensorArb(wShape, opts, { scale: 0.5 }), bias: optionalTensorArb([wShape[0]!], opts) })
        .map((inputs) => dwCase(form, inputs, p)),
    );
}

function suiteCases(opts: SuiteCaseOptions & { readonly row4?: boolean }): fc.Arbitrary<OpCase> {
  const [k, s, d] = opts.row4 ? ([3, 1, 1] as const) : ([[1, 4], [1, 3], [1, 2]] as const);
  const geom = dimsRecord({ n: [1, 2], c: [1, 3], m: [1, 2], h: [1, 9], w: [1, 11], kh: k, kw: k, sh: s, sw: s, ph: [0, 2], pw: [0, 2], dh: d, dw: d, form: formArb })
    .filter((g) => g.form.padding === 'same' || convOutputSize(g.h, g.kh, g.sh, fitPadding(g.form, g.ph, g.kh, g.dh), g.dh) >= 1 && convOutputSize(g.w, g.kw, g.sw, fitPadding(g.form, g.pw, g.kw, g.dw), g.dw) >= 1);
  return geom.chain((g) =>
    fc
      .tuple(suiteTensor([g.n, g.c, g.h, g.w], opts.specialValues), suiteTensor([g.c * g.m, 1, g.kh, g.kw], opts.specialValues), optionalSuiteTensor([g.c * g.m], opts.specialValues))
      .map(([x, weight, bias]) => dwCase(g.form, { x, weight, bias }, params(g.form, [g.sh, g.sw], [g.ph, g.pw], [g.dh, g.dw]))),
  );
}

/** `row4`: the GPU suite's cases of the row4 kernel variant only. */
export const depthwiseConv2dCases = caseGenerator<{ readonly row4?: boolean }>('depthwiseConv2d', specCases, suiteCases);
