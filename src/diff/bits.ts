/**
 * Bit-level float32 helpers of the checker. Value/bit conversion is the reference's
 * (src/reference/float32.ts); the checker adds the forms it needs per element on raw bit patterns.
 */
import { f32Bits, f32FromBits } from '../reference/float32.ts';

export { f32FromBits };
export const bitsOfF32 = f32Bits;

/** 8 lower-case hex digits, no prefix (the fixture format). */
export function hex8(bits: number): string {
  return (bits >>> 0).toString(16).padStart(8, '0');
}

/**
 * Position of a non-NaN float32 pattern on the number line of float32 values: consecutive floats
 * differ by 1, and +0 and −0 both map to 0.
 */
function orderedKey(bits: number): number {
  const mag = bits & 0x7fffffff;
  return bits >>> 31 ? -mag : mag;
}

/**
 * ulpDistance on bit patterns (no float conversion in the per-element loop): float32 steps
 * between two patterns, Infinity when either is NaN.
 */
export function ulpDistanceBits(a: number, b: number): number {
  if ((a & 0x7fffffff) > 0x7f800000 || (b & 0x7fffffff) > 0x7f800000) return Infinity;
  return Math.abs(orderedKey(a) - orderedKey(b));
}
