/**
 * Near-exact float64 evaluations of the CNN ops, the "exact real result" the bound tests compare
 * against. Dot products and sums accumulate in double-double (TwoSum), so they are exact to
 * ~2⁻¹⁰⁰ relative to Σ|terms| (float32 products are exact in float64); groupNorm's divisions and
 * square root are float64 (relative error 2⁻⁵³, far below the float32 bounds under test), and
 * the tests allow `exactSlack` for that.
 */
import type { OpCase, OpName } from '../../src/ops/types.ts';
import { adaptiveAvgPool2dExact } from '../ops/adaptiveAvgPool2d/exact.ts';
import { depthwiseConv2dExact } from '../ops/depthwiseConv2d/exact.ts';
import { depthwiseSeparableBlockExact } from '../ops/depthwiseSeparableBlock/exact.ts';
import { groupNormExact } from '../ops/groupNorm/exact.ts';
import { linearExact } from '../ops/linear/exact.ts';
import { pointwiseConv2dExact } from '../ops/pointwiseConv2d/exact.ts';
import { reluExact } from '../ops/relu/exact.ts';

/** Each op's exact evaluator (test/ops/<op>/exact.ts). */
export const EXACT_EVALUATORS: Record<OpName, (c: OpCase) => Float64Array> = {
  depthwiseConv2d: depthwiseConv2dExact,
  pointwiseConv2d: pointwiseConv2dExact,
  groupNorm: groupNormExact,
  relu: reluExact,
  adaptiveAvgPool2d: adaptiveAvgPool2dExact,
  linear: linearExact,
  depthwiseSeparableBlock: depthwiseSeparableBlockExact,
};

/** The exact (to ~2⁻⁵⁰ relative) real result of an OpCase. */
export const exactEval = (c: OpCase): Float64Array => EXACT_EVALUATORS[c.op](c);

/**
 * Allowance for the float64 evaluation error of exactEval: 2⁻⁴⁰ of the output's scale (the
 * largest |exact| in the tensor, at least 2⁻²⁰ of 1). 2⁻¹⁶ of a float32 ULP: any unsoundness
 * at float32 resolution still shows.
 */
export function exactSlack(exact: Float64Array): number {
  let scale = 0;
  for (const v of exact) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  return 2 ** -40 * scale + 2 ** -140;
}
