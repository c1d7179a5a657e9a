/**
 * An independent oracle for float32 arithmetic: exact rationals on BigInt (value = m · 2^e) and
 * round-to-nearest-even to binary32 written from the IEEE definition, sharing no code with
 * src/reference/float32.ts (it reads bits through a DataView, not the library's helpers).
 */

/** A finite dyadic rational m · 2^e. */
export interface Dyadic {
  m: bigint;
  e: number;
}

const view = new DataView(new ArrayBuffer(4));

function bitsOf(x: number): number {
  view.setFloat32(0, x);
  return view.getUint32(0);
}

/** Exact value of a finite float32 as m · 2^e (m carries the sign; −0 → m = 0). */
export function dyadicOf(x: number): Dyadic {
  const bits = bitsOf(x);
  const expField = (bits >>> 23) & 0xff;
  if (expField === 0xff) throw new Error(`dyadicOf: non-finite ${x}`);
  const frac = BigInt(bits & 0x7fffff);
  const sign = bits >>> 31 === 1 ? -1n : 1n;
  if (expField === 0) return { m: sign * frac, e: -149 };
  return { m: sign * (frac | 0x800000n), e: expField - 150 };
}

export function dyadicMul(a: Dyadic, b: Dyadic): Dyadic {
  return { m: a.m * b.m, e: a.e + b.e };
}

export function dyadicAdd(a: Dyadic, b: Dyadic): Dyadic {
  const e = Math.min(a.e, b.e);
  return { m: (a.m << BigInt(a.e - e)) + (b.m << BigInt(b.e - e)), e };
}

/**
 * Rounds m · 2^e to the nearest float32, ties to even, overflow to ±Infinity. A zero m gives
 * `zeroSign` (the caller decides the IEEE sign of an exact zero); a nonzero value that rounds to
 * zero keeps its own sign.
 */
export function roundDyadicToFloat32(x: Dyadic, zeroSign: 1 | -1 = 1): number {
  if (x.m === 0n) return zeroSign < 0 ? -0 : 0;
  const negative = x.m < 0n;
  const mag = negative ? -x.m : x.m;
  const topExp = mag.toString(2).length - 1 + x.e; // exponent of the leading bit
  const ulpExp = Math.max(topExp, -126) - 23;
  let q: bigint;
  let qExp: number;
  if (ulpExp <= x.e) {
    q = mag;
    qExp = x.e;
  } else {
    const shift = BigInt(ulpExp - x.e);
    q = mag >> shift;
    const rem = mag - (q << shift);
    const half = 1n << (shift - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    qExp = ulpExp;
  }
  // q < 2^25 here and 2^qExp is a normal double, so this product is exact (or ≥ 2^128).
  let v = Number(q) * 2 ** qExp;
  if (v >= 2 ** 128) v = Infinity;
  return negative ? -v : v;
}

function signBit(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

/** IEEE binary32 fusedMultiplyAdd(a, b, c) under round-to-nearest-even; operands must be float32 values. */
export function exactFma32(a: number, b: number, c: number): number {
  if (Number.isNaN(a) || Number.isNaN(b) || Number.isNaN(c)) return NaN;
  const productNegative = signBit(a) !== signBit(b);
  const aInf = !Number.isFinite(a);
  const bInf = !Number.isFinite(b);
  if (aInf || bInf) {
    if (a === 0 || b === 0) return NaN; // ∞ · 0
    const pInf = productNegative ? -Infinity : Infinity;
    if (c === -pInf) return NaN; // ∞ − ∞
    return pInf;
  }
  if (!Number.isFinite(c)) return c;
  const sum = dyadicAdd(dyadicMul(dyadicOf(a), dyadicOf(b)), dyadicOf(c));
  // Exact zero sum: −0 only when both addends are −0 (the product is a signed zero iff a or b is 0).
  const productIsZero = a === 0 || b === 0;
  const zeroSign = productIsZero && c === 0 && productNegative && signBit(c) ? -1 : 1;
  return roundDyadicToFloat32(sum, zeroSign);
}

/**
 * Operands (a, b) for which `a·b + c` defeats Math.fround(a*b+c): for a float32 c with an odd
 * significand (|c| in the normal range, exponent within ±90), a·b = ±(half an ulp of c)·(1 − 2^-46),
 * so the double sum lands exactly on the float32 midpoint beside c; the naive expression then
 * rounds to the even neighbour while the exact result is c. `up` picks the midpoint above |c|.
 */
export function doubleRoundingOperands(c: number, up: boolean): [number, number] {
  const cExp = Math.floor(Math.log2(Math.abs(c)));
  const h = cExp - 24; // exponent of half an ulp of c
  const k1 = Math.floor(h / 2);
  const a = Math.fround((1 + 2 ** -23) * 2 ** k1 * (up ? 1 : -1) * Math.sign(c));
  const b = Math.fround((1 - 2 ** -23) * 2 ** (h - k1));
  return [a, b];
}
