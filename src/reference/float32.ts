/**
 * IEEE-754 binary32 arithmetic on JavaScript numbers: rounding, an exactly rounded fused
 * multiply-add, bit access, and ULP distance. Every reference op and the differential checker
 * build on these.
 */

/** Rounds a number to the nearest float32 (ties to even). ⊕ ⊖ ⊗ ⊘ are `f32(a op b)`. */
export const f32 = Math.fround;

/** Largest finite float32, 2^128 − 2^104. */
export const FLT_MAX = 3.4028234663852886e38;
/** Smallest positive (subnormal) float32, 2^−149. */
export const FLT_TRUE_MIN = 2 ** -149;
/** Smallest positive normal float32, 2^−126. */
export const FLT_MIN = 2 ** -126;
/** Halfway between FLT_MAX and 2^128: the overflow threshold of round-to-nearest. */
const OVERFLOW_MIDPOINT = 2 ** 128 - 2 ** 103;

/**
 * Exactly rounded float32 `a·b + c` (one rounding, ties to even), for float32 operands.
 * Operands that are not float32 values are first rounded to float32.
 */
export function fma32(a: number, b: number, c: number): number {
  return fma32f(Math.fround(a), Math.fround(b), Math.fround(c));
}

/**
 * `fma32` for operands already known to be float32 values (e.g. read from a Float32Array):
 * the hot-loop form. Passing other doubles gives an unspecified (but finite-time) result.
 *
 * Why it is exact: the double product of two float32 values is exact (24+24 ≤ 53 significant
 * bits, exponents far inside double range), so only the double sum `s = RN64(p + c)` and the
 * final `RN32(s)` round. RN64 is monotone and every float32 rounding boundary (midpoint between
 * neighbours, including the subnormal range and the overflow threshold 2^128 − 2^103) is a double,
 * so the true value and `s` lie on the same side of every boundary unless `s` *is* a boundary.
 * Only then (rare) is the TwoSum error term of `p + c` needed to pick the side.
 */
export function fma32f(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = Math.fround(s);
  if (r === s) return r; // exact (also ±Inf, ±0)
  // If s is the midpoint of r and its neighbour t, then t = 2s − r = s + d exactly and is a
  // float32; if s is not a midpoint, s + d lies strictly between two float32 values. NaN fails
  // the test and returns NaN.
  const d = s - r;
  const t = s + d;
  if (Math.fround(t) !== t) return r;
  return resolveMidpoint(p, c, s, r, t);
}

/** Slow path of fma32f: `s = RN64(p + c)` is a float32 rounding boundary. */
function resolveMidpoint(p: number, c: number, s: number, r: number, t: number): number {
  // TwoSum: e = (p + c) − s exactly (no overflow: |p| ≤ 2^256).
  const pv = s - c;
  const cv = s - pv;
  const e = p - pv + (c - cv);
  if (r === Infinity || r === -Infinity) {
    // s is finite but rounds past FLT_MAX: only the exact threshold can be pulled back.
    if (Math.abs(s) !== OVERFLOW_MIDPOINT || e === 0 || e > 0 === s > 0) return r;
    return s > 0 ? FLT_MAX : -FLT_MAX;
  }
  if (e === 0) return r; // a true tie: Math.fround already rounded to even
  return e > 0 === t > r ? t : r;
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** The IEEE binary32 bit pattern of `f32(x)` as an unsigned 32-bit integer. */
export function f32Bits(x: number): number {
  f32Scratch[0] = x;
  return u32Scratch[0]!;
}

/** The float32 value with bit pattern `bits` (taken modulo 2^32). */
export function f32FromBits(bits: number): number {
  u32Scratch[0] = bits >>> 0;
  return f32Scratch[0]!;
}

/** A bit pattern as 8 lower-case hex digits, no prefix (the fixture formats). */
export function hex8(bits: number): string {
  return (bits >>> 0).toString(16).padStart(8, '0');
}

/** Bit pattern of `f32(x)` as '0x3f800000' (8 lowercase hex digits). */
export function hexBits(x: number): string {
  return `0x${hex8(f32Bits(x))}`;
}

/** Maps float32 bits to an integer that orders like the values: −0 and +0 both map to 0. */
function orderedInt(bits: number): number {
  return bits >= 0x80000000 ? -(bits - 0x80000000) : bits;
}

/**
 * Distance between `f32(a)` and `f32(b)` in float32 steps: the number of float32 values you
 * step over going from one to the other. Identical bits → 0; +0 and −0 → 0 (they are equal;
 * compare bits if the sign of zero matters); FLT_MAX to Infinity → 1; across zero, each side
 * counts its own steps (−FLT_TRUE_MIN to +FLT_TRUE_MIN → 2). Two NaNs (any payloads) → 0;
 * NaN against a non-NaN → Infinity, so any `distance ≤ k` check fails.
 */
export function ulpDistance(a: number, b: number): number {
  const aNaN = Number.isNaN(a);
  const bNaN = Number.isNaN(b);
  if (aNaN || bNaN) return aNaN && bNaN ? 0 : Infinity;
  return Math.abs(orderedInt(f32Bits(a)) - orderedInt(f32Bits(b)));
}

/** Whether float32 bit pattern `b` is a NaN (any payload, either sign). */
export const isNanBits = (b: number): boolean => (b & 0x7fffffff) > 0x7f800000;

/** Same float32 result: identical bits, or both NaN (NaN payload and sign are not portable). */
export const sameResult = (x: number, y: number): boolean => x >>> 0 === y >>> 0 || (isNanBits(x) && isNanBits(y));

/**
 * ulpDistance on bit patterns (no float conversion in a per-element loop): float32 steps between
 * two patterns, Infinity when either is NaN (the checker's rule: NaN is never within k ULPs).
 */
export function ulpDistanceBits(a: number, b: number): number {
  if (isNanBits(a) || isNanBits(b)) return Infinity;
  return Math.abs(orderedInt(a >>> 0) - orderedInt(b >>> 0));
}

/** The least float32 greater than `f32(x)`: nextUp(±0) = FLT_TRUE_MIN, nextUp(−FLT_TRUE_MIN) = −0, nextUp(+Inf) = +Inf, NaN → NaN. */
export function nextUp(x: number): number {
  const v = Math.fround(x);
  if (Number.isNaN(v) || v === Infinity) return v;
  if (v === 0) return FLT_TRUE_MIN;
  const bits = f32Bits(v);
  return f32FromBits(v > 0 ? bits + 1 : bits - 1);
}

/** The greatest float32 less than `f32(x)`: nextDown(±0) = −FLT_TRUE_MIN, nextDown(−Inf) = −Inf, NaN → NaN. */
export function nextDown(x: number): number {
  return -nextUp(-x);
}

/**
 * The float32 bit pattern of an IEEE binary16 value (`half` as 16 bits): exact, since every half
 * (subnormals included) is a float32; ±Inf stay infinite and a NaN keeps its sign and payload
 * (shifted into the float32 mantissa's top bits).
 */
export function f16BitsToF32Bits(half: number): number {
  const sign = (half & 0x8000) << 16;
  const exp = (half >>> 10) & 0x1f;
  const mant = half & 0x3ff;
  if (exp === 0x1f) return (sign | 0x7f800000 | (mant << 13)) >>> 0;
  if (exp !== 0) return (sign | ((exp - 15 + 127) << 23) | (mant << 13)) >>> 0;
  if (mant === 0) return sign >>> 0;
  // Subnormal half: mant·2⁻²⁴, normal as a float32.
  const shift = Math.clz32(mant) - 21; // leading zeros within the 10-bit field, plus one
  return (sign | ((127 - 15 - shift + 1) << 23) | (((mant << shift) & 0x3ff) << 13)) >>> 0;
}

/** The float32 bit pattern of a bfloat16 value: its 16 bits are the float32's upper half. */
export function bf16BitsToF32Bits(b: number): number {
  return ((b & 0xffff) << 16) >>> 0;
}
