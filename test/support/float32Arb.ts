/** fast-check arbitraries of float32 values aimed at the edges of binary32 arithmetic. */
import fc from 'fast-check';

const view = new DataView(new ArrayBuffer(4));

/** float32 from raw bits via DataView (independent of src/reference/float32.ts). */
export function floatFromBitsIndependent(bits: number): number {
  view.setUint32(0, bits >>> 0);
  return view.getFloat32(0);
}

export function bitsIndependent(x: number): number {
  view.setFloat32(0, x);
  return view.getUint32(0);
}

/** Any float32 bit pattern (NaNs, infinities, subnormals, zeros included), uniform over bits. */
export const anyFloat32Bits = fc.integer({ min: 0, max: 0xffffffff }).map(floatFromBitsIndependent);

/** Float32 with a chosen exponent range: sign × (1 + k·2^-23) × 2^exp, or subnormal/zero. */
export function float32InExponents(minExp: number, maxExp: number): fc.Arbitrary<number> {
  return fc
    .tuple(fc.boolean(), fc.integer({ min: 0, max: 0x7fffff }), fc.integer({ min: minExp, max: maxExp }))
    .map(([neg, frac, e]) => Math.fround((neg ? -1 : 1) * (1 + frac / 2 ** 23) * 2 ** e));
}

/** Specials and edges: ±0, ±Inf, NaN, ±FLT_MAX, ±FLT_MIN, ±smallest subnormal, ±1. */
export const edgeFloat32 = fc.constantFrom(
  0, -0, Infinity, -Infinity, NaN, 3.4028234663852886e38, -3.4028234663852886e38,
  2 ** -126, -(2 ** -126), 2 ** -149, -(2 ** -149), 1, -1, 2 ** -127, Math.fround(1 - 2 ** -24),
);

/** A mix: uniform bits, moderate normals, tiny (subnormal-producing), huge (overflowing) and edges. */
export const float32Mixed: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: anyFloat32Bits, weight: 2 },
  { arbitrary: float32InExponents(-20, 20), weight: 3 },
  { arbitrary: float32InExponents(-149, -60), weight: 1 },
  { arbitrary: float32InExponents(60, 127), weight: 1 },
  { arbitrary: edgeFloat32, weight: 1 },
);
