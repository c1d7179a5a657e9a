/**
 * Bit-level float32 helpers the checker needs per element (kept allocation-free: one shared
 * scratch buffer).
 */
const scratch = new DataView(new ArrayBuffer(4));

/** The float32 value of a 32-bit pattern. */
export function f32FromBits(bits: number): number {
  scratch.setUint32(0, bits >>> 0);
  return scratch.getFloat32(0);
}

/** The 32-bit pattern of `x` rounded to float32. */
export function bitsOfF32(x: number): number {
  scratch.setFloat32(0, x);
  return scratch.getUint32(0);
}

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

/** Number of float32 steps between two non-NaN patterns (Infinity when either is NaN). */
export function ulpDistanceBits(a: number, b: number): number {
  if ((a & 0x7fffffff) > 0x7f800000 || (b & 0x7fffffff) > 0x7f800000) return Infinity;
  return Math.abs(orderedKey(a) - orderedKey(b));
}
