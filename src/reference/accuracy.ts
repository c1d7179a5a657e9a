/**
 * The arithmetic model of a backend, which the error bounds (src/reference/bounds) are derived
 * under: how far its division, square roots and subnormal handling may stray from correctly
 * rounded float32.
 */
import { InputRangeError } from '../errors.ts';

/**
 * How far a backend's arithmetic may stray from correctly rounded float32 (what the probe
 * measures, or what WGSL permits). Bounds are derived for any evaluation in the documented order
 * under this model, fused or unfused multiply-adds alike.
 */
export interface Accuracy {
  /** Max ULP error of `a / b` (0 = correctly rounded; WGSL allows 2.5). */
  readonly divUlp: number;
  /** Max ULP error of sqrt (0 = correctly rounded). */
  readonly sqrtUlp: number;
  /** Max ULP error of inverseSqrt (WGSL allows 2). */
  readonly inverseSqrtUlp: number;
  /** Whether subnormal inputs/results may be flushed to zero. */
  readonly flushSubnormals: boolean;
}

/** Correctly rounded IEEE float32: the reference's own arithmetic. */
export const EXACT_ACCURACY: Accuracy = { divUlp: 0, sqrtUlp: 0, inverseSqrtUlp: 0, flushSubnormals: false };

/**
 * WGSL's f32 accuracy (W3C WGSL, "Floating Point Accuracy"), which every conforming WebGPU
 * implementation meets: x / y 2.5 ULP, inverseSqrt 2 ULP, sqrt inherited from 1.0 / inverseSqrt(x)
 * (2 + 2.5, rounded up to 5 ULP), and subnormals may be flushed.
 */
export const WGSL_ACCURACY: Accuracy = { divUlp: 2.5, sqrtUlp: 5, inverseSqrtUlp: 2, flushSubnormals: true };

const ULP_FIELDS = ['divUlp', 'sqrtUlp', 'inverseSqrtUlp'] as const;

/**
 * Checks an Accuracy from outside the type system (JSON, JavaScript callers): every ULP field a
 * finite number ≥ 0 and flushSubnormals a boolean. A missing or NaN field would otherwise turn
 * every bound into Infinity and let any result pass. Throws InputRangeError naming the field.
 */
export function validateAccuracy(a: unknown, paramName = 'accuracy'): Accuracy {
  const param = typeof paramName === 'string' ? paramName : 'accuracy';
  if (typeof a !== 'object' || a === null || Array.isArray(a)) {
    throw new InputRangeError(param, '{ divUlp, sqrtUlp, inverseSqrtUlp: finite numbers ≥ 0, flushSubnormals: boolean }', a);
  }
  const r = a as Record<string, unknown>;
  for (const k of ULP_FIELDS) {
    const v = r[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new InputRangeError(`${param}.${k}`, 'a finite number ≥ 0 (ULPs)', v);
  }
  if (typeof r['flushSubnormals'] !== 'boolean') throw new InputRangeError(`${param}.flushSubnormals`, 'true or false', r['flushSubnormals']);
  return a as Accuracy;
}
