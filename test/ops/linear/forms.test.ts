/**
 * linear in every form PyTorch's `linear` accepts (x (*, in), weight (out, in) or (in), bias (out),
 * () or none): against the naive documented order on the same data written as x [rows, in], and
 * bit-identical to the canonical case (src/ops/linear/canonical.ts) through the reference, the
 * bound, the fast path and the registry.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linearCanonical } from '../../../src/ops/linear/canonical.ts';
import { linearCases } from '../../../src/ops/linear/cases.ts';
import { linear } from '../../../src/ops/linear/reference.ts';
import type { OpCase } from '../../../src/ops/types.ts';
import { PROFILES, tensor, type Tensor } from '../../../src/reference/tensor.ts';
import { expectInputRangeError } from '../../support/inputErrors.ts';
import { fusedArith, naiveLinear, strictArith } from '../../support/naiveOps.ts';
import { fcParams } from '../../support/seed.ts';
import { expectBitExact } from '../../support/tensorArb.ts';
import { expectCanonicalInvariance } from '../../support/forms.ts';

const forms = linearCases({ maxElements: 600, specialValues: false });
const withSpecials = linearCases({ maxElements: 600, specialValues: true });
const inputs = (c: OpCase) => [c.inputs['x']!, c.inputs['weight']!, c.inputs['bias'] ?? null] as const;

/** The expected output shape, from PyTorch's documentation of `linear`. */
function pytorchShape(x: Tensor, w: Tensor): number[] {
  const lead = x.shape.slice(0, -1);
  return w.shape.length === 2 ? [...lead, w.shape[0]!] : lead;
}

/** The naive order on the data written as x [rows, in], weight [out, in], bias [out] (a scalar bias repeated). */
function naive(profile: 'strict' | 'fma', x: Tensor, w: Tensor, b: Tensor | null): number[] {
  const inF = w.shape[w.shape.length - 1]!;
  const outF = w.shape.length === 2 ? w.shape[0]! : 1;
  const bias = b === null ? null : { shape: [outF], data: Float32Array.from({ length: outF }, (_, o) => b.data[b.shape.length === 0 ? 0 : o]!) };
  return naiveLinear(profile === 'strict' ? strictArith : fusedArith, { shape: [x.data.length / inF, inF], data: x.data }, { shape: [outF, inF], data: w.data }, bias).data;
}

describe('linear forms', () => {
  it('the generator draws every form (1-D to 4-D x, 1-D weights, scalar biases)', () => {
    const seen = new Set<string>();
    for (const c of fc.sample(forms, { numRuns: 300, seed: 11 })) {
      const [x, w, b] = inputs(c);
      seen.add(`x${x.shape.length}`);
      seen.add(`w${w.shape.length}`);
      seen.add(b === null ? 'b-' : `b${b.shape.length}`);
    }
    expect([...seen].sort()).toEqual(['b-', 'b0', 'b1', 'w1', 'w2', 'x1', 'x2', 'x3', 'x4']);
  });

  it('every form equals the naive documented order on [rows, in] bit for bit, under both profiles, with PyTorch\'s output shape', () => {
    fc.assert(
      fc.property(withSpecials, (c) => {
        const [x, w, b] = inputs(c);
        for (const profile of PROFILES) {
          const y = linear(x, w, b, { profile });
          expect(y.shape).toEqual(pytorchShape(x, w));
          expectBitExact(y, { shape: y.shape, data: naive(profile, x, w, b) }, profile);
        }
      }),
      fcParams(120),
    );
  });

  it('a case and its canonical case give the same bits: reference, bounds, fast path and the registry', () => {
    expectCanonicalInvariance('linear', withSpecials, 60);
    expect(linearCanonical(fc.sample(forms, { numRuns: 1, seed: 3 })[0]!).case.inputs['x']!.shape.length).toBe(2);
  });

  it('x (2, 3, in) is the same computation as x (6, in); a scalar bias as that value in every output', () => {
    const x = tensor([2, 3, 5], Array.from({ length: 30 }, (_, i) => Math.fround(Math.sin(i) * 3)));
    const w = tensor([4, 5], Array.from({ length: 20 }, (_, i) => Math.fround(Math.cos(i) / 3)));
    const y3 = linear(x, w, tensor([], [0.25]));
    const y2 = linear({ shape: [6, 5], data: x.data }, w, tensor([4], [0.25, 0.25, 0.25, 0.25]));
    expect(y3.shape).toEqual([2, 3, 4]);
    expectBitExact(y3, { shape: [2, 3, 4], data: y2.data }, '3-D x');
    // 1-D x and 1-D weight: one dot product, output shape [].
    const v = linear(tensor([5], x.data.slice(0, 5)), tensor([5], w.data.slice(0, 5)));
    expect(v.shape).toEqual([]);
    expectBitExact(v, { shape: [], data: linear(tensor([1, 5], x.data.slice(0, 5)), tensor([1, 5], w.data.slice(0, 5))).data }, '1-D x and weight');
  });

  it('rejects outputs over 2^30 elements and unsafe sizes before allocating', () => {
    const t0 = performance.now();
    const e = expectInputRangeError(() => linear(tensor([65536, 1]), tensor([65536, 1])), 'weight.shape[0]');
    expect(e.message).toMatch(/at most 1073741824 \(2\^30\) elements \(output \[65536, 65536\] would hold 4294967296\)/);
    expectInputRangeError(() => linear(tensor([4, 3, 1]), tensor([2 ** 27, 1])), 'weight.shape[0]');
    expectInputRangeError(() => linear({ shape: [1e30, 1], data: new Float32Array(1) }, tensor([1, 1])), 'x.shape[0]');
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
