/**
 * pointwiseConv2d in every form PyTorch's conv2d with a 1×1 kernel accepts: x (N, C, H, W) or
 * (C, H, W); padding a number, [n], a pair, 'valid' or 'same'. Against the naive documented order
 * (an output in the padding: no taps, +0 ⊕ bias), and bit-identical to the canonical case
 * (src/ops/pointwiseConv2d/canonical.ts) plus its border.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pointwiseConv2dCanonical } from '../../../src/ops/pointwiseConv2d/canonical.ts';
import { pointwiseConv2dCases } from '../../../src/ops/pointwiseConv2d/cases.ts';
import { pointwiseConv2dOp } from '../../../src/ops/pointwiseConv2d/index.ts';
import { pointwiseConv2d } from '../../../src/ops/pointwiseConv2d/reference.ts';
import type { Padding } from '../../../src/ops/shared/params.ts';
import { EXACT_ACCURACY, type OpCase } from '../../../src/ops/types.ts';
import { PROFILES, tensor } from '../../../src/reference/tensor.ts';
import { batched, convParams } from '../../support/convParams.ts';
import { expectCanonicalInvariance } from '../../support/forms.ts';
import { expectInputRangeError } from '../../support/inputErrors.ts';
import { fusedArith, naiveDepthwiseConv2d, naivePointwiseConv2d, strictArith } from '../../support/naiveOps.ts';
import { fcParams } from '../../support/seed.ts';
import { expectBitExact } from '../../support/tensorArb.ts';

/** The naive order: the unpadded 1×1 convolution, then each output pixel of the padding as +0 ⊕ bias. */
function naive(c: OpCase, profile: 'strict' | 'fma') {
  const ar = profile === 'strict' ? strictArith : fusedArith;
  const x = c.inputs['x']!;
  const w = c.inputs['weight']!;
  const bias = c.inputs['bias'] ?? null;
  const [N, CI, H, W] = batched(x.shape);
  const inner = naivePointwiseConv2d(ar, { shape: [N, CI, H, W], data: x.data }, w, bias);
  const { padding: [ph, pw] } = convParams(c.params, 1, 1);
  const CO = w.shape[0]!;
  const [OH, OW] = [H + 2 * ph, W + 2 * pw];
  const data: number[] = [];
  for (let b = 0; b < N; b++)
    for (let co = 0; co < CO; co++)
      for (let r = 0; r < OH; r++)
        for (let q = 0; q < OW; q++) {
          const inside = r >= ph && r < ph + H && q >= pw && q < pw + W;
          data.push(inside ? inner.data[((b * CO + co) * H + r - ph) * W + q - pw]! : bias === null ? 0 : ar.add(0, bias.data[co]!));
        }
  const shape = [N, CO, OH, OW];
  return { shape: x.shape.length === 3 ? shape.slice(1) : shape, data };
}

const forms = pointwiseConv2dCases({ maxElements: 1024, specialValues: true });

describe('pointwiseConv2d forms', () => {
  it('the generators draw every form', () => {
    const formOf = (c: OpCase) => [`x${c.inputs['x']!.shape.length}`, `padding ${JSON.stringify(c.params['padding'])}`];
    const seen = (opts: Parameters<typeof pointwiseConv2dCases>[0]) => new Set(fc.sample(pointwiseConv2dCases(opts), { numRuns: 400, seed: 17 }).flatMap(formOf));
    const want = ['x3', 'x4', 'padding 0', 'padding 1', 'padding [2]', 'padding [0,1]', 'padding [1,2]', 'padding "valid"', 'padding "same"'];
    for (const s of [seen({ maxElements: 1024, specialValues: false }), seen({ size: 'small', specialValues: false })]) expect([...s].sort()).toEqual([...want].sort());
  });

  it('every form equals the naive documented order bit for bit, under both profiles, with PyTorch\'s output shape', () => {
    fc.assert(
      fc.property(forms, (c) => {
        for (const profile of PROFILES) {
          const want = naive(c, profile);
          const y = pointwiseConv2d(c.inputs['x']!, c.inputs['weight']!, c.inputs['bias'], { profile, padding: c.params['padding'] as Padding });
          expect(y.shape).toEqual(want.shape);
          expectBitExact(y, want, `${profile} ${JSON.stringify(c.params)}`);
        }
      }),
      fcParams(150),
    );
  });

  it('a padded 1×1 convolution is the depthwise order with padded taps skipped: the same as a 1×1 depthwise convolution of one channel', () => {
    const x = tensor([1, 1, 3, 2], [1.5, -2, 0.25, 3, -0.75, 4]);
    const w = tensor([1, 1, 1, 1], [1.25]);
    const b = tensor([1], [-0]);
    const dw = naiveDepthwiseConv2d(strictArith, x, w, b, [1, 1], [1, 2], [1, 1]);
    const y = pointwiseConv2d(x, w, b, { padding: [1, 2] });
    expectBitExact(y, dw, 'padding [1, 2]');
    // A border output is +0 ⊕ (−0) = +0.
    expect(Object.is(y.data[0], 0)).toBe(true);
  });

  it('a case and its canonical case plus the border give the same bits: reference, fast path and the registry; the border\'s bound is 0', () => {
    expectCanonicalInvariance('pointwiseConv2d', forms, 80);
    const c: OpCase = { op: 'pointwiseConv2d', params: { padding: [1] }, inputs: { x: tensor([2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), weight: tensor([3, 2, 1, 1], [1, 0.5, -1, 2, 0.25, 3]), bias: tensor([3], [1e-3, 2, Infinity]) } };
    const k = pointwiseConv2dCanonical(c);
    expect(k.case.inputs['x']!.shape).toEqual([1, 2, 2, 3]);
    expect(k.outputShape).toEqual([3, 4, 5]);
    const bound = pointwiseConv2dOp.bound(c, EXACT_ACCURACY);
    expect([bound[0], bound[20], bound[40]]).toEqual([0, 0, Infinity]);
    expect(pointwiseConv2dOp.receptiveField(c, 0)).toEqual([{ input: 'bias', index: 0 }]);
    expect(pointwiseConv2dOp.receptiveField(c, 6).length).toBe(5);
  });

  it('rejects other strings, ranks and outputs over 2^30 elements before allocating', () => {
    const t0 = performance.now();
    expect(expectInputRangeError(() => pointwiseConv2d(tensor([1, 1, 1]), tensor([1, 1, 1, 1]), null, { padding: 2 ** 14 }), 'padding').message).toMatch(/2\^30/);
    expectInputRangeError(() => pointwiseConv2d(tensor([1, 1, 1]), tensor([1, 1, 1, 1]), null, { padding: 1e30 }), 'padding');
    expect(performance.now() - t0).toBeLessThan(1000);
    expectInputRangeError(() => pointwiseConv2d(tensor([1, 1, 1, 1, 1]), tensor([1, 1, 1, 1])), 'x.shape');
  });
});
