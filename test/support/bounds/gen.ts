/** Generates the per-op soundness/tightness suites (one test file per op imports this). */
import { describe, expect, test } from 'vitest';
import type { OpName } from '../../../src/ops/types.ts';
import { assertSound, median, tightnessRatios } from './soundness.ts';

/**
 * The stated looseness limits, on random N(0,1) data, for the ratio (largest bound / largest
 * observed error) of a case, the observed error taken over the reference strict/fma and a
 * divUlp-2 backend: median over cases ≤ 100×, 90th percentile ≤ 1000×. Measured: single ops
 * median 3–12, p90 ≤ ~30; the block median ~50, p90 ~200. A worst-case bound exceeds the typical
 * error by about √n for a length-n reduction (random-sign rounding errors partially cancel), the
 * block composes five stages, and no per-case maximum is asserted: a case with one output has
 * an observed error that is a single random draw, which now and then lands near 0.
 */
export const TIGHTNESS_LIMIT = { median: 100, p90: 1000 };

export function standardBoundSuite(op: OpName, runs = { sound: 30, special: 30, tight: 25 }, limit = TIGHTNESS_LIMIT): void {
  describe(`${op} error bound`, () => {
    test('covers strict, fma and loose (divUlp/sqrtUlp/flush) evaluations on normal values', () => {
      assertSound(op, runs.sound, { maxElements: 400, specialValues: false });
    });
    test('covers them with NaN, ±Inf, −0, subnormals and huge values (Infinity where nothing finite holds)', () => {
      assertSound(op, runs.special, { maxElements: 128, specialValues: true });
    });
    // relu's bound is 0 on finite values (no rounding): there is no ratio to measure, so no test.
    if (runs.tight > 0) test(`is within ${limit.median}× (median) / ${limit.p90}× (90th percentile) of the observed error on random data`, () => {
      const ratios = tightnessRatios(op, runs.tight, 1024);
      expect(ratios.length).toBeGreaterThan(runs.tight / 2);
      const p90 = ratios[Math.floor(0.9 * (ratios.length - 1))]!;
      console.log(`${op}: bound / observed error over ${ratios.length} cases: median ${median(ratios).toFixed(1)}, p90 ${p90.toFixed(1)}, max ${ratios[ratios.length - 1]!.toFixed(1)}`);
      expect(median(ratios)).toBeLessThanOrEqual(limit.median);
      expect(p90).toBeLessThanOrEqual(limit.p90);
    });
  });
}
