/**
 * Random float32 inputs of the probe, from the project's seeded PRNG (a probe is reproducible).
 *
 * Correctly rounded float32 references come from double arithmetic: for + − × ÷ and sqrt of
 * float32 operands, rounding the double result to float32 is correctly rounded (double has more
 * than 2·24+2 bits). For a*b±c the product is exact in double; samples are kept only where the
 * double sum is exact too (its TwoSum error is 0), so `Math.fround` of it is the exact fused result.
 */
import { f32Bits, f32FromBits } from '../../reference/float32.ts';

/** A float32 with a uniformly random mantissa and an exponent in [lo, hi], random sign if `signed`. */
export function randomF32(r: () => number, lo: number, hi: number, signed: boolean): number {
  const e = lo + Math.floor(r() * (hi - lo + 1));
  const m = Math.floor(r() * 0x800000);
  const sign = signed && r() < 0.5 ? 0x80000000 : 0;
  return f32FromBits(sign | ((e + 127) << 23) | m);
}

/**
 * Inputs of `a * b + sign·c` whose fused and unfused results likely differ, with the bits of both
 * results; sample i is (a[i], b[i], c[i]). Typed arrays: the probe draws 2^20 of them per check.
 */
export interface FusionSamples {
  readonly a: Float32Array;
  readonly b: Float32Array;
  readonly c: Float32Array;
  readonly fused: Uint32Array;
  readonly unfused: Uint32Array;
}

/**
 * `n` samples for `a * b + sign·c`: c is chosen close to −sign·(a·b), so the low bits of the exact
 * product decide the result; a draw whose double sum is not exact is dropped and drawn again.
 */
export function fusionSamples(r: () => number, sign: 1 | -1, n: number): FusionSamples {
  const out = { a: new Float32Array(n), b: new Float32Array(n), c: new Float32Array(n), fused: new Uint32Array(n), unfused: new Uint32Array(n) };
  for (let i = 0; i < n; ) {
    const a = randomF32(r, -4, 4, true);
    const b = randomF32(r, -4, 4, true);
    const p = a * b; // exact in double
    const c = Math.fround(-sign * Math.fround(p) + sign * randomF32(r, -30, -20, true) * p);
    const t = sign * c;
    const s = p + t;
    if (s - p !== t || s - t !== p) continue;
    out.a[i] = a;
    out.b[i] = b;
    out.c[i] = c;
    out.fused[i] = f32Bits(s);
    out.unfused[i] = f32Bits(Math.fround(p) + t);
    i++;
  }
  return out;
}
