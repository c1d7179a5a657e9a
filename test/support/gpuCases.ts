/**
 * fast-check arbitraries of OpCases for the GPU kernel tests: small shapes (lavapipe on 2 cores is
 * slow), values that stress the evaluation order (cancellation, −0, exact-halfway products) and,
 * optionally, NaN/±Inf/subnormals.
 */
import fc from 'fast-check';
import type { JsonValue, OpCase, OpName } from '../../src/ops/types.ts';
import { numel, type Tensor } from '../../src/reference/tensor.ts';

/**
 * Smallest and largest magnitude of a non-zero "normal-range" value. Why these keep every value of
 * the documented order of depthwiseConv2d, pointwiseConv2d and linear (sums of products input ×
 * weight, plus a bias, docs/evaluation-order.md) away from subnormals, so a flushing backend must
 * still agree bit for bit:
 * - a float32 v with |v| ≥ 2⁻²⁰ is an integer multiple of its binade's spacing ≥ 2⁻²⁰⁻²³ = 2⁻⁴³;
 * - so every product of two inputs is a multiple of Q = 2⁻⁸⁶ (exactly, before rounding), and so is
 *   every input and bias, and every exact sum or fused a·b + c of multiples of Q;
 * - rounding a non-zero multiple k·Q of Q to float32 gives a multiple of Q again of magnitude ≥ Q:
 *   if |k·Q| ≥ 2⁻⁶³ the float32 spacing there is ≥ 2⁻⁶³⁻²³ = Q, so the rounded value is a multiple
 *   of that spacing (a power of two ≥ Q); below 2⁻⁶³, k < 2²⁴ and k·Q is exactly representable;
 *   and rounding is monotone, so |result| ≥ Q (itself a float32);
 * - by induction over the order every product, partial sum and output is 0 or has magnitude
 *   ≥ Q = 2⁻⁸⁶ > 2⁻¹²⁶ (the smallest normal): nothing a flushing backend could flush. And with
 *   magnitudes ≤ 2²⁰ the largest sum is ≤ K·2⁴⁰ + 2²⁰ for K ≤ 2¹⁶ terms, far from overflow.
 * Signed zeros stay in (they are not subnormal and their sign follows the order).
 */
export const NORMAL_MIN = 2 ** -20;
export const NORMAL_MAX = 2 ** 20;

const signed = (mag: fc.Arbitrary<number>): fc.Arbitrary<number> => fc.tuple(mag, fc.boolean()).map(([m, neg]) => (neg ? -m : m));

/**
 * float32 values. Without specials: only ±0 and magnitudes in [NORMAL_MIN, NORMAL_MAX] (mostly
 * moderate, some small integers and halves for exact cancellations and exact-halfway products).
 * With specials, additionally NaN, ±Inf, subnormals, tiny normals and magnitudes up to 1e30
 * (overflow to ±Inf in products and sums).
 */
export function f32Value(specials: boolean): fc.Arbitrary<number> {
  const arbs: fc.WeightedArbitrary<number>[] = [
    { arbitrary: signed(fc.float({ min: Math.fround(NORMAL_MIN), max: 8, noNaN: true })), weight: 6 },
    { arbitrary: fc.integer({ min: -6, max: 6 }).map((v) => v / 2), weight: 3 },
    { arbitrary: fc.constantFrom(-0, 0), weight: 1 },
    { arbitrary: signed(fc.float({ min: Math.fround(NORMAL_MIN), max: Math.fround(NORMAL_MAX), noNaN: true })), weight: 1 },
  ];
  if (specials) {
    arbs.push(
      { arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 1e-40, -1e-40, 1.4e-45, -1.4e-45, 2 ** -126, -(2 ** -126)), weight: 2 },
      // Subnormals of any pattern, and normals so tiny that products of two are subnormal.
      { arbitrary: signed(fc.float({ min: Math.fround(1.4e-45), max: Math.fround(1e-30), noNaN: true })), weight: 1 },
      { arbitrary: signed(fc.float({ min: 1, max: Math.fround(1e30), noNaN: true, noDefaultInfinity: true })), weight: 1 },
    );
  }
  return fc.oneof(...arbs);
}

/** Whether every value drawn is 0 or of magnitude in [NORMAL_MIN, NORMAL_MAX] (the premise of the bit-exact-everywhere property). */
export const isNormalRange = (v: number): boolean => v === 0 || (Math.abs(v) >= NORMAL_MIN && Math.abs(v) <= NORMAL_MAX);

export function tensorArb(shape: readonly number[], specials: boolean): fc.Arbitrary<Tensor> {
  const n = numel(shape);
  return fc.array(f32Value(specials), { minLength: n, maxLength: n }).map((v) => ({ shape: [...shape], data: Float32Array.from(v) }));
}

const optional = (shape: readonly number[], specials: boolean): fc.Arbitrary<Tensor | null> => fc.option(tensorArb(shape, specials), { nil: null, freq: 3 });

const mkCase = (op: OpName, params: { [k: string]: JsonValue }, inputs: { [k: string]: Tensor | null }): OpCase => ({ op, params, inputs });

export const convOut = (i: number, k: number, s: number, p: number, d: number): number => Math.floor((i + 2 * p - d * (k - 1) - 1) / s) + 1;

export type SizeClass = 'small' | 'medium' | 'wide' | 'large';

/** depthwiseSeparableBlock cases (inputs named like DepthwiseSeparableBlockParams). */
export function blockCase(opts: { specials: boolean }): fc.Arbitrary<OpCase> {
  return fc
    .record({
      n: fc.integer({ min: 1, max: 2 }),
      c: fc.integer({ min: 1, max: 3 }),
      m: fc.integer({ min: 1, max: 2 }),
      h: fc.integer({ min: 1, max: 8 }),
      w: fc.integer({ min: 1, max: 9 }),
      groups: fc.integer({ min: 1, max: 3 }),
      cg: fc.integer({ min: 1, max: 3 }),
      classes: fc.integer({ min: 1, max: 5 }),
      eps: fc.constantFrom(1e-5, 0.01),
    })
    .chain((g) => {
      const cm = g.c * g.m;
      const cout = g.groups * g.cg;
      const s = opts.specials;
      return fc
        .record({
          x: tensorArb([g.n, g.c, g.h, g.w], s),
          dwWeight: tensorArb([cm, 1, 3, 3], s),
          dwBias: optional([cm], s),
          pwWeight: tensorArb([cout, cm, 1, 1], s),
          pwBias: optional([cout], s),
          gnWeight: optional([cout], false),
          gnBias: optional([cout], false),
          fcWeight: tensorArb([g.classes, cout], s),
          fcBias: optional([g.classes], s),
        })
        .map((inputs) => mkCase('depthwiseSeparableBlock', { numGroups: g.groups, eps: g.eps }, inputs));
    });
}

/** Whether every input element of the case is 0 or of magnitude in [NORMAL_MIN, NORMAL_MAX]. */
export const allNormalRange = (c: OpCase): boolean => Object.values(c.inputs).every((t) => t === null || t.data.every(isNormalRange));
