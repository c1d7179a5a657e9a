/**
 * Values of the GPU suite's cases (CaseOptions with a `size`): small tensors filled element by
 * element, with values that stress the evaluation order (cancellation, −0, exact-halfway
 * products) and, optionally, NaN/±Inf/subnormals.
 */
import fc from 'fast-check';
import { numel, type Tensor } from '../../reference/tensor.ts';
import { InputRangeError } from '../../errors.ts';
import type { CaseGenOptions, CaseOptions, OpCase, SuiteCaseOptions } from '../types.ts';

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
export function suiteValue(specials: boolean): fc.Arbitrary<number> {
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

/** Whether every input element of the case is 0 or of magnitude in [NORMAL_MIN, NORMAL_MAX]. */
export const allNormalRange = (c: OpCase): boolean => Object.values(c.inputs).every((t) => t === null || t.data.every(isNormalRange));

/** A tensor of `shape` filled element by element with suiteValue(specials). */
export function suiteTensor(shape: readonly number[], specials: boolean): fc.Arbitrary<Tensor> {
  const n = numel(shape);
  return fc.array(suiteValue(specials), { minLength: n, maxLength: n }).map((v) => ({ shape: [...shape], data: Float32Array.from(v) }));
}

/** An optional suiteTensor: present three times in four, else null. */
export const optionalSuiteTensor = (shape: readonly number[], specials: boolean): fc.Arbitrary<Tensor | null> =>
  fc.option(suiteTensor(shape, specials), { nil: null, freq: 3 });

type Arb = fc.Arbitrary<OpCase>;

/**
 * An op's one case generator from its two families: `spec` for the registry's options, `suite`
 * for the GPU suite's (a `size`). `sizes`: 'small' for an op whose suite has one size class (any
 * other is an error), 'all' for the GEMM ops.
 */
export function caseGenerator<X extends object = object>(
  op: string,
  spec: (opts: CaseGenOptions) => Arb,
  suite: (opts: SuiteCaseOptions & X) => Arb,
  sizes: 'small' | 'all' = 'small',
): (opts: CaseOptions & X) => Arb {
  return (opts) => {
    if (!('size' in opts)) return spec(opts);
    if (sizes === 'small' && opts.size !== 'small') throw new InputRangeError('size', `'small' (${op} has one size class)`, opts.size);
    return suite(opts);
  };
}

const isRange = (v: unknown): v is readonly [number, number] => Array.isArray(v);

type Drawn<S> = { [K in keyof S]: S[K] extends fc.Arbitrary<infer T> ? T : number };

/**
 * fc.record of dimensions: [min, max] an integer range, a number a constant, an arbitrary drawn
 * as it is (keys keep their order, so the draws are those of the record written out).
 */
export function dimsRecord<S extends Record<string, number | readonly [number, number] | fc.Arbitrary<unknown>>>(spec: S): fc.Arbitrary<Drawn<S>> {
  const arb = (v: S[string]): fc.Arbitrary<unknown> => {
    if (typeof v === 'number') return fc.constant(v);
    if (isRange(v)) return fc.integer({ min: v[0], max: v[1] });
    return v;
  };
  return fc.record(Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, arb(v as S[string])]))) as fc.Arbitrary<Drawn<S>>;
}
