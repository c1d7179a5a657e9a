import fc from 'fast-check';
import { UINT_MAX, type UintBits } from '../../src/mps/uint.ts';

/**
 * Unsigned integers of `bits` width, biased to the edges where size_t arithmetic breaks:
 * 0, 1, 2, 2^k and 2^k ± 1, SIZE_MAX and its neighbours, plus uniform values.
 */
export function edgyUint(bits: UintBits): fc.Arbitrary<bigint> {
  const max = UINT_MAX[bits];
  const k = fc.integer({ min: 0, max: bits - 1 }).map(BigInt);
  return fc.oneof(
    fc.constantFrom(0n, 1n, 2n, max, max - 1n, max - 2n),
    k.map((e) => 1n << e),
    fc.tuple(k, fc.constantFrom(-1n, 1n)).map(([e, d]) => BigInt.asUintN(bits, (1n << e) + d)),
    fc.tuple(k, fc.bigInt({ min: 0n, max })).map(([e, v]) => v >> e),
    fc.bigInt({ min: 0n, max }),
  );
}

/** Power-of-two alignments 2^0 .. 2^(bits-1). */
export const pow2Alignment = (bits: UintBits): fc.Arbitrary<bigint> =>
  fc.integer({ min: 0, max: bits - 1 }).map((e) => 1n << BigInt(e));
