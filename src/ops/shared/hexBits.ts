/**
 * Tensors in the JSON fixture formats (`refsim diff` mismatch fixtures, PyTorch parity fixtures):
 * each float32 element as its bit pattern in 8 hex digits, never as decimal text, so NaN
 * payloads, −0 and subnormals survive a round trip.
 */
import { z } from 'zod';
import { hex8 } from '../../reference/float32.ts';
import type { Tensor } from '../../reference/tensor.ts';

/** One float32 bit pattern: 8 lower-case hex digits. */
export const hexBitsSchema = z.string().regex(/^[0-9a-f]{8}$/, 'expected 8 lower-case hex digits (a float32 bit pattern)');

/** The float32 tensor of `shape` whose elements have the bit patterns `hex` (bit-exact, NaN payloads included). */
export function tensorFromHexBits(shape: readonly number[], hex: readonly string[]): Tensor {
  const bits = Uint32Array.from(hex, (h) => Number.parseInt(h, 16));
  return { shape: [...shape], data: new Float32Array(bits.buffer) };
}

/** The bit patterns of a tensor's elements, as hexBitsSchema strings. */
export function tensorHexBits(t: Tensor): string[] {
  return Array.from(new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length), hex8);
}
