/**
 * depthwiseConv2d in every form PyTorch's conv2d (groups = C) accepts: x (N, C, H, W) or
 * (C, H, W); stride, padding, dilation as a number, [n] or a pair; padding 'valid' or 'same'
 * (stride 1; an odd total pads one more after the input, as PyTorch does). Against the naive
 * documented order with PyTorch's padding rules written out in the test (test/support/convParams.ts),
 * and bit-identical to the canonical case (src/ops/depthwiseConv2d/canonical.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { depthwiseConv2dCanonical } from '../../../src/ops/depthwiseConv2d/canonical.ts';
import { depthwiseConv2dCases } from '../../../src/ops/depthwiseConv2d/cases.ts';
import { depthwiseConv2d, type DepthwiseConv2dOptions } from '../../../src/ops/depthwiseConv2d/reference.ts';
import type { OpCase } from '../../../src/ops/types.ts';
import { PROFILES, tensor } from '../../../src/reference/tensor.ts';
import { batched, convParams } from '../../support/convParams.ts';
import { expectCanonicalInvariance } from '../../support/forms.ts';
import { expectInputRangeError } from '../../support/inputErrors.ts';
import { fusedArith, naiveDepthwiseConv2d, strictArith } from '../../support/naiveOps.ts';
import { fcParams } from '../../support/seed.ts';
import { expectBitExact } from '../../support/tensorArb.ts';

const formOf = (c: OpCase): string[] => {
  const p = c.params;
  const w = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? 'number' : Array.isArray(v) && v.length === 1 ? 'list' : 'pair');
  return [`x${c.inputs['x']!.shape.length}`, `padding ${w(p['padding'])}`, `stride ${w(p['stride'])}`];
};

/** The naive order on x as (N, C, H, W) with PyTorch's padding (test-side), under `profile`. */
function naive(c: OpCase, profile: 'strict' | 'fma') {
  const x = c.inputs['x']!;
  const w = c.inputs['weight']!;
  const p = convParams(c.params, w.shape[2]!, w.shape[3]!);
  const out = naiveDepthwiseConv2d(profile === 'strict' ? strictArith : fusedArith, { shape: batched(x.shape), data: x.data }, w, c.inputs['bias'] ?? null, p.stride, p.padding, p.dilation, p.paddingEnd);
  return { shape: x.shape.length === 3 ? out.shape.slice(1) : out.shape, data: out.data };
}

describe('depthwiseConv2d forms', () => {
  it('the generators draw every form', () => {
    const forms = (opts: Parameters<typeof depthwiseConv2dCases>[0]) => new Set(fc.sample(depthwiseConv2dCases(opts), { numRuns: 500, seed: 13 }).flatMap(formOf));
    const want = ['x3', 'x4', 'padding same', 'padding valid', 'padding number', 'padding list', 'padding pair', 'stride number', 'stride list', 'stride pair'];
    for (const f of [forms({ maxElements: 1024, specialValues: false }), forms({ size: 'small', specialValues: false })]) expect([...f].sort()).toEqual([...want].sort());
    // 'same' on an even kernel extent: more padding after than before.
    const asymmetric = fc.sample(depthwiseConv2dCases({ maxElements: 1024, specialValues: false }), { numRuns: 500, seed: 13 })
      .filter((c) => c.params['padding'] === 'same' && (c.inputs['weight']!.shape[2]! % 2 === 0 || c.inputs['weight']!.shape[3]! % 2 === 0));
    expect(asymmetric.length).toBeGreaterThan(5);
  });

  it('every form equals the naive documented order bit for bit, under both profiles, with PyTorch\'s output shape', () => {
    fc.assert(
      fc.property(depthwiseConv2dCases({ maxElements: 1024, specialValues: true }), (c) => {
        const want = [naive(c, 'strict'), naive(c, 'fma')];
        PROFILES.forEach((profile, i) => {
          const y = depthwiseConv2d(c.inputs['x']!, c.inputs['weight']!, c.inputs['bias'], c.params as DepthwiseConv2dOptions, { profile });
          expect(y.shape).toEqual(want[i]!.shape);
          expectBitExact(y, want[i]!, `${profile} ${JSON.stringify(c.params)}`);
        });
      }),
      fcParams(200),
    );
  });

  it("'same' keeps the input size, pads ⌊d(k−1)/2⌋ before and the rest after", () => {
    const x = tensor([2, 5, 6], Array.from({ length: 60 }, (_, i) => Math.fround(Math.sin(i + 1))));
    const w = tensor([2, 1, 4, 2], Array.from({ length: 16 }, (_, i) => Math.fround(Math.cos(i) / 2)));
    const y = depthwiseConv2d(x, w, null, { padding: 'same', dilation: [1, 3] });
    expect(y.shape).toEqual([2, 5, 6]);
    // Rows: total 3, 1 before and 2 after; columns: total 3 (dilation 3), 1 before and 2 after.
    // Output (0, 0, 0) reads rows −1..2 and columns −1, 2: the in-range taps (kh 1..3, kw 1).
    let acc = 0;
    for (let kh = 1; kh < 4; kh++) acc = Math.fround(acc + Math.fround(x.data[(kh - 1) * 6 + 2]! * w.data[kh * 2 + 1]!));
    expect(y.data[0]).toBe(acc);
  });

  it('a case and its canonical case give the same bits: reference, bounds, fast path and the registry', () => {
    expectCanonicalInvariance('depthwiseConv2d', depthwiseConv2dCases({ maxElements: 2048, specialValues: true }), 80);
    const k = depthwiseConv2dCanonical({ op: 'depthwiseConv2d', params: { stride: [1], padding: 'valid', dilation: 2 }, inputs: { x: tensor([3, 6, 6]), weight: tensor([3, 1, 3, 3]), bias: null } });
    expect(k.case.inputs['x']!.shape).toEqual([1, 3, 6, 6]);
    expect(k.case.params).toEqual({ stride: [1, 1], padding: [0, 0], dilation: [2, 2] });
    expect(k.outputShape).toEqual([3, 2, 2]);
  });

  it("rejects 'same' with a stride, other strings and ranks, huge paddings and outputs over 2^30 elements before allocating", () => {
    const x = tensor([1, 4, 4]);
    const w = tensor([1, 1, 3, 3]);
    expect(expectInputRangeError(() => depthwiseConv2d(x, w, null, { padding: 'same', stride: 2 }), 'padding').message).toMatch(/'same' needs stride 1/);
    expectInputRangeError(() => depthwiseConv2d(x, w, null, { padding: 'full' as 'same' }), 'padding');
    expectInputRangeError(() => depthwiseConv2d(tensor([4, 4]), w), 'x.shape');
    expectInputRangeError(() => depthwiseConv2d(x, w, null, { stride: [1, 1, 1] as unknown as [number, number] }), 'stride');
    const t0 = performance.now();
    expect(expectInputRangeError(() => depthwiseConv2d(x, w, null, { padding: 1e30 }), 'padding').message).toMatch(/safe integer/);
    expect(expectInputRangeError(() => depthwiseConv2d(x, w, null, { padding: 2 ** 20 }), 'padding').message).toMatch(/at most 1073741824 \(2\^30\) elements/);
    // 1024 channels of (1 + 2·512)² outputs each: 2^30.
    expectInputRangeError(() => depthwiseConv2d(tensor([1, 1, 1]), tensor([1024, 1, 1, 1]), null, { padding: [512] }), 'padding');
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
