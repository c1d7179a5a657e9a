/** Generates the per-op soundness/tightness suites (one test file per op imports this). */
import { describe, expect, test } from 'vitest';
import type { OpName } from '../../../src/ops/types.ts';
import { assertSound, median, tightnessRatios } from './soundness.ts';

/**
 * The stated looseness limit: on random N(0,1) data every case's largest bound is at most this
 * many times its largest observed error (reference strict/fma and a divUlp-2 backend). Measured
 * ratios are ~2–45 for the single ops and up to ~300 for the block: a worst-case bound exceeds
 * the typical error by about √n for a length-n reduction (rounding errors of random sign
 * partially cancel), and the block compounds five stages.
 */
export const TIGHTNESS_LIMIT = 1000;

export function standardBoundSuite(op: OpName, runs = { sound: 30, special: 30, tight: 25 }): void {
  describe(`${op} error bound`, () => {
    test('covers strict, fma and loose (divUlp/sqrtUlp/flush) evaluations on normal values', () => {
      assertSound(op, runs.sound, { maxElements: 400, specialValues: false });
    });
    test('covers them with NaN, ±Inf, −0, subnormals and huge values (Infinity where nothing finite holds)', () => {
      assertSound(op, runs.special, { maxElements: 128, specialValues: true });
    });
    test.runIf(runs.tight > 0)(`is within ${TIGHTNESS_LIMIT}× of the observed error on random data`, () => {
      const ratios = tightnessRatios(op, runs.tight, 1024);
      expect(ratios.length).toBeGreaterThan(runs.tight / 2);
      console.log(`${op}: bound / observed error over ${ratios.length} cases: median ${median(ratios).toFixed(1)}, max ${ratios[ratios.length - 1]!.toFixed(1)}`);
      expect(ratios[ratios.length - 1]).toBeLessThanOrEqual(TIGHTNESS_LIMIT);
    });
  });
}
