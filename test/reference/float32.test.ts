import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bf16BitsToF32Bits,
  f16BitsToF32Bits,
  FLT_MAX,
  FLT_TRUE_MIN,
  f32Bits,
  f32FromBits,
  fma32,
  fma32f,
  hexBits,
  nextDown,
  nextUp,
  ulpDistance,
} from '../../src/reference/float32.ts';
import { doubleRoundingOperands, exactFma32 } from '../support/exactFloat32.ts';
import { anyFloat32Bits, bitsIndependent, float32InExponents, float32Mixed } from '../support/float32Arb.ts';
import { fcParams } from '../support/seed.ts';

/** Same value and, for zeros, same sign; NaN equals NaN. */
function sameFloat(a: number, b: number): boolean {
  return Object.is(a, b);
}

function describeCase(a: number, b: number, c: number): string {
  return `fma32(${a}, ${b}, ${c}) [${hexBits(a)}, ${hexBits(b)}, ${hexBits(c)}]`;
}

function expectFmaMatchesOracle(a: number, b: number, c: number): void {
  const got = fma32f(a, b, c);
  const want = exactFma32(a, b, c);
  if (!sameFloat(got, want)) {
    throw new Error(`${describeCase(a, b, c)} = ${got} (${hexBits(got)}), exact ${want} (${hexBits(want)})`);
  }
}

/**
 * a·b + c with c an odd-significand float32 and a·b = ±(half an ulp of c)·(1 − 2^−46): the double
 * sum lands exactly on the float32 midpoint next to c, so Math.fround(a*b+c) rounds to the even
 * neighbour while the exact value rounds to c.
 */
const doubleRoundingCase = fc
  .tuple(float32InExponents(-90, 90), fc.boolean())
  .filter(([c]) => c !== 0 && (bitsIndependent(c) & 1) === 1)
  .map(([c, up]) => [...doubleRoundingOperands(c, up), c] as const);

describe('fma32', () => {
  it('equals the BigInt rational oracle on mixed float32 operands (subnormals, overflow, zeros, NaN)', () => {
    fc.assert(
      fc.property(float32Mixed, float32Mixed, float32Mixed, (a, b, c) => {
        expectFmaMatchesOracle(a, b, c);
      }),
      fcParams(4000),
    );
  });

  it('equals the oracle near cancellation (c ≈ −a·b, a few ulps off)', () => {
    fc.assert(
      fc.property(float32Mixed, float32Mixed, fc.integer({ min: -3, max: 3 }), (a, b, k) => {
        const p = Math.fround(-(a * b));
        if (!Number.isFinite(p)) return;
        let c = p;
        for (let i = 0; i < Math.abs(k); i++) c = k > 0 ? nextUp(c) : nextDown(c);
        expectFmaMatchesOracle(a, b, c);
      }),
      fcParams(2000),
    );
  });

  it('equals the oracle on results in the subnormal range and at the overflow threshold', () => {
    const tiny = float32InExponents(-80, -60);
    fc.assert(
      fc.property(tiny, tiny, float32InExponents(-149, -120), (a, b, c) => expectFmaMatchesOracle(a, b, c)),
      fcParams(1000),
    );
    // 2^128 − 2^103 is the overflow midpoint: at it ties go to Inf, just below it to FLT_MAX.
    const big = Math.fround(2 ** 64);
    const justBelowOne = Math.fround(1 - 2 ** -24);
    const cases: [number, number, number][] = [
      [big, Math.fround(2 ** 63), FLT_MAX], // FLT_MAX + 2^127 → Inf
      [Math.fround(2 ** 51), Math.fround(2 ** 51), FLT_MAX], // FLT_MAX + 2^102 (below threshold) → FLT_MAX
      [Math.fround(2 ** 52), Math.fround(2 ** 51), FLT_MAX], // FLT_MAX + 2^103 (tie at threshold) → Inf
      [Math.fround(2 ** 52 * (1 + 2 ** -23)), Math.fround(2 ** 51 * (1 - 2 ** -23)), FLT_MAX], // a hair below the threshold → FLT_MAX
      [Math.fround(-(2 ** 52) * (1 + 2 ** -23)), Math.fround(2 ** 51 * (1 - 2 ** -23)), -FLT_MAX],
      [justBelowOne, Math.fround(2 ** -149), 0],
      [Math.fround(2 ** -75), Math.fround(2 ** -75), 0], // 2^-150: a tie with zero → +0
      [Math.fround(-(2 ** -75)), Math.fround(2 ** -75 * (1 + 2 ** -23)), 0], // just over −2^-150 → −FLT_TRUE_MIN
    ];
    for (const [a, b, c] of cases) expectFmaMatchesOracle(a, b, c);
    expect(fma32(Math.fround(2 ** 52 * (1 + 2 ** -23)), Math.fround(2 ** 51 * (1 - 2 ** -23)), FLT_MAX)).toBe(FLT_MAX);
    expect(Math.fround(Math.fround(2 ** 52 * (1 + 2 ** -23)) * Math.fround(2 ** 51 * (1 - 2 ** -23)) + FLT_MAX)).toBe(Infinity);
    expect(fma32(Math.fround(-(2 ** -75)), Math.fround(2 ** -75 * (1 + 2 ** -23)), 0)).toBe(-FLT_TRUE_MIN);
  });

  it('gets IEEE signed zeros right', () => {
    expect(Object.is(fma32(-0, 1, -0), -0)).toBe(true);
    expect(Object.is(fma32(0, -1, 0), 0)).toBe(true);
    expect(Object.is(fma32(1, 1, -1), 0)).toBe(true);
    expect(Object.is(fma32(-(2 ** -100), 2 ** -100, 0), -0)).toBe(true); // underflows, keeps the sign
    expect(Number.isNaN(fma32(Infinity, 0, 1))).toBe(true);
    expect(Number.isNaN(fma32(Infinity, 1, -Infinity))).toBe(true);
    expect(fma32(Infinity, -2, 5)).toBe(-Infinity);
  });

  it('corrects the double rounding that Math.fround(a*b+c) gets wrong', () => {
    // A worked instance: c = 1 + 2^-23 (odd), a·b = 2^-24 − 2^-70.
    const a = Math.fround(1 + 2 ** -23);
    const b = Math.fround((1 - 2 ** -23) * 2 ** -24);
    const c = Math.fround(1 + 2 ** -23);
    expect(exactFma32(a, b, c)).toBe(c);
    expect(Math.fround(a * b + c)).toBe(Math.fround(1 + 2 ** -22));
    expect(fma32(a, b, c)).toBe(c);
    let naiveWrong = 0;
    fc.assert(
      fc.property(doubleRoundingCase, ([x, y, z]) => {
        const want = exactFma32(x, y, z);
        if (!sameFloat(Math.fround(x * y + z), want)) naiveWrong++;
        expectFmaMatchesOracle(x, y, z);
        expect(want).toBe(z);
      }),
      fcParams(500),
    );
    // Every generated case defeats the naive expression.
    expect(naiveWrong).toBeGreaterThanOrEqual(500);
  });

  it('rounds non-float32 operands to float32 first', () => {
    expect(fma32(0.1, 0.1, 0.1)).toBe(exactFma32(Math.fround(0.1), Math.fround(0.1), Math.fround(0.1)));
  });
});

describe('bit helpers', () => {
  it('f32Bits / f32FromBits round-trip and agree with a DataView', () => {
    fc.assert(
      fc.property(anyFloat32Bits, (x) => {
        const bits = f32Bits(x);
        expect(bits).toBe(bitsIndependent(x) >>> 0);
        if (!Number.isNaN(x)) expect(Object.is(f32FromBits(bits), x)).toBe(true);
      }),
      fcParams(1000),
    );
    expect(f32Bits(1)).toBe(0x3f800000);
    expect(f32Bits(-0)).toBe(0x80000000);
    expect(f32FromBits(0x7f800000)).toBe(Infinity);
    expect(f32FromBits(0x1_3f800000)).toBe(1); // taken modulo 2^32
  });

  it('hexBits prints 8 lowercase hex digits', () => {
    expect(hexBits(1)).toBe('0x3f800000');
    expect(hexBits(0)).toBe('0x00000000');
    expect(hexBits(-Infinity)).toBe('0xff800000');
    expect(hexBits(2 ** -149)).toBe('0x00000001');
  });

  it('nextUp / nextDown step one float32 and handle zeros, infinities, NaN', () => {
    expect(nextUp(0)).toBe(FLT_TRUE_MIN);
    expect(nextUp(-0)).toBe(FLT_TRUE_MIN);
    expect(Object.is(nextUp(-FLT_TRUE_MIN), -0)).toBe(true);
    expect(nextUp(FLT_MAX)).toBe(Infinity);
    expect(nextUp(Infinity)).toBe(Infinity);
    expect(nextUp(-Infinity)).toBe(-FLT_MAX);
    expect(nextDown(0)).toBe(-FLT_TRUE_MIN);
    expect(nextDown(-Infinity)).toBe(-Infinity);
    expect(nextUp(1)).toBe(1 + 2 ** -23);
    expect(nextDown(1)).toBe(1 - 2 ** -24);
    expect(Number.isNaN(nextUp(NaN))).toBe(true);
    fc.assert(
      fc.property(fc.oneof(anyFloat32Bits, fc.constantFrom(-0, 0, -FLT_TRUE_MIN, -Infinity)), (x) => {
        if (Number.isNaN(x) || x === Infinity) return;
        const u = nextUp(x);
        expect(u).toBeGreaterThan(x);
        expect(nextDown(u)).toBe(Object.is(x, -0) ? 0 : x); // −0 steps up to FLT_TRUE_MIN and back to +0
        expect(ulpDistance(x, u)).toBe(1);
      }),
      fcParams(1000),
    );
  });

  it('ulpDistance counts float32 steps; ±0 → 0; NaN rules', () => {
    expect(ulpDistance(1, 1)).toBe(0);
    expect(ulpDistance(0, -0)).toBe(0);
    expect(ulpDistance(-FLT_TRUE_MIN, FLT_TRUE_MIN)).toBe(2);
    expect(ulpDistance(FLT_MAX, Infinity)).toBe(1);
    expect(ulpDistance(-Infinity, Infinity)).toBe(2 * 0x7f800000);
    expect(ulpDistance(NaN, f32FromBits(0x7fc00001))).toBe(0);
    expect(ulpDistance(NaN, 1)).toBe(Infinity);
    expect(ulpDistance(1, NaN)).toBe(Infinity);
    fc.assert(
      fc.property(anyFloat32Bits, anyFloat32Bits, (a, b) => {
        if (Number.isNaN(a) || Number.isNaN(b)) return;
        const d = ulpDistance(a, b);
        expect(d).toBe(ulpDistance(b, a));
        // Same sign: the distance is the difference of the bit patterns.
        const sa = bitsIndependent(a) >>> 31;
        const sb = bitsIndependent(b) >>> 31;
        if (sa === sb) expect(d).toBe(Math.abs(bitsIndependent(a) - bitsIndependent(b)));
        else expect(d).toBe((bitsIndependent(a) & 0x7fffffff) + (bitsIndependent(b) & 0x7fffffff));
      }),
      fcParams(1000),
    );
  });
});

describe('f16BitsToF32Bits / bf16BitsToF32Bits', () => {
  it('widens every one of the 65,536 half-precision patterns exactly', () => {
    const bad: string[] = [];
    for (let h = 0; h < 65536; h++) {
      const sign = h >> 15 ? -1 : 1;
      const e = (h >> 10) & 31;
      const m = h & 1023;
      // binary16: (−1)^s · m·2⁻²⁴ (subnormal), (−1)^s · (1 + m/1024)·2^(e−15), ±Inf, NaN.
      const want = e === 31 ? (m === 0 ? sign * Infinity : NaN) : e === 0 ? sign * m * 2 ** -24 : sign * (1 + m / 1024) * 2 ** (e - 15);
      const bits = f16BitsToF32Bits(h);
      const got = f32FromBits(bits);
      const same = Number.isNaN(want) ? Number.isNaN(got) && bits >>> 31 === h >>> 15 && ((bits >>> 13) & 0x3ff) === m : Object.is(got, want);
      if (!same) bad.push(`0x${h.toString(16)} → ${got}, want ${want}`);
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });

  it('bfloat16 is the upper half of a float32', () => {
    for (const x of [1, -0, 3 * 2 ** 100, -Infinity, 2 ** -133]) expect(f32FromBits(bf16BitsToF32Bits(f32Bits(x) >>> 16))).toBe(x);
  });
});
