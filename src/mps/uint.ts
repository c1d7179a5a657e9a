/**
 * Unsigned fixed-width integers on bigint, wrapping exactly as C++ `size_t`/`uint64_t` arithmetic
 * does (modulo 2^bits). Every operation normalises through BigInt.asUintN so a result can never
 * silently leave the width: the wrap is explicit at each step, as in the machine.
 */
import { InputRangeError } from '../errors.ts';

export type UintBits = 64 | 32;

export const UINT_MAX: Readonly<Record<UintBits, bigint>> = {
  64: (1n << 64n) - 1n,
  32: (1n << 32n) - 1n,
};

/** Reduce modulo 2^bits: what storing a mathematical integer into a uintN_t does. */
export const wrap = (bits: UintBits, v: bigint): bigint => BigInt.asUintN(bits, v);

export const add = (bits: UintBits, a: bigint, b: bigint): bigint => wrap(bits, a + b);
export const sub = (bits: UintBits, a: bigint, b: bigint): bigint => wrap(bits, a - b);
export const and = (bits: UintBits, a: bigint, b: bigint): bigint => wrap(bits, a & b);
/** Bitwise complement within the width (C++ `~x` on an unsigned operand). */
export const not = (bits: UintBits, a: bigint): bigint => wrap(bits, ~a);

export function assertBits(bits: unknown, param = 'bits'): asserts bits is UintBits {
  if (bits !== 64 && bits !== 32) throw new InputRangeError(param, '64 or 32', bits);
}

/** Validates that `v` is a bigint representable as an unsigned `bits`-wide integer. */
export function assertUint(v: unknown, bits: UintBits, param: string): asserts v is bigint {
  if (typeof v !== 'bigint') throw new InputRangeError(param, `a bigint in [0, 2^${bits} - 1]`, v);
  if (v < 0n || v > UINT_MAX[bits]) throw new InputRangeError(param, `an integer in [0, 2^${bits} - 1]`, v);
}

/**
 * Parses a CLI/user integer literal (decimal, 0x hex, 0b binary, or 2^k[±m]) into a bigint,
 * rejecting anything that is not an exact integer.
 */
export function parseUintLiteral(text: string, bits: UintBits, param: string): bigint {
  assertBits(bits);
  if (typeof text !== 'string') throw new InputRangeError(param, 'an unsigned integer literal string (decimal, 0x.., 2^k±m or SIZE_MAX)', text);
  const raw = text.trim();
  // Digit separators are allowed (1_000_000); SIZE_MAX keeps its underscore.
  const t = raw.toUpperCase() === 'SIZE_MAX' ? 'SIZE_MAX' : raw.replace(/_/g, '');
  let v: bigint | undefined;
  const pow = /^2\^(\d+)\s*([+-]\s*\d+)?$/.exec(t);
  if (pow) {
    // Exponents beyond the width are out of range anyway; do not build a huge bigint to say so.
    const k = Number(pow[1]);
    v = k > 2 * bits ? 1n << BigInt(2 * bits) : (1n << BigInt(k)) + BigInt((pow[2] ?? '0').replace(/\s/g, ''));
  } else if (/^(0x[0-9a-f]+|0b[01]+|0o[0-7]+|\d+)$/i.test(t)) {
    v = BigInt(t);
  } else if (t === 'SIZE_MAX') {
    v = UINT_MAX[bits];
  }
  if (v === undefined) {
    throw new InputRangeError(param, `an unsigned integer literal (decimal, 0x.., 2^k±m or SIZE_MAX)`, text);
  }
  assertUint(v, bits, param);
  return v;
}

export const isPowerOfTwo = (v: bigint): boolean => v > 0n && (v & (v - 1n)) === 0n;

export const hex = (v: bigint, bits: UintBits): string => `0x${v.toString(16).padStart(bits / 4, '0')}`;
