/**
 * Verification of one op's GPU output: the differential checker's classifier, unchanged. It is
 * cheap where it matters for a stress run: one bit comparison over two Uint32 views, and the
 * op's error bounds (as expensive as the reference) only when some element differs.
 */
import type { Accuracy, OpCase } from '../ops/types.ts';
import type { Tensor } from '../reference/tensor.ts';
import { blockSpec, type CaseVerdict, classifyCase } from './deps.ts';

/** How many violating elements a failure report keeps. */
export const REPORTED_ELEMENTS = 8;

export function verifyOp(c: OpCase, got: Tensor, expected: Tensor, accuracy: Accuracy): CaseVerdict {
  return classifyCase({ spec: blockSpec(), case: c, got, expected, accuracy, keep: REPORTED_ELEMENTS });
}

/**
 * Why an op's verdict fails the run, or null when it passes: a violation, or an element that
 * differs where the bound is infinite. The latter allows no verdict, and no verdict is not a pass.
 */
export function failureMessage(v: Pick<CaseVerdict, 'violations' | 'unbounded'>): string | null {
  const parts = [
    ...(v.violations > 0 ? [`${v.violations} element(s) violate the verdict rules`] : []),
    ...(v.unbounded > 0 ? [`${v.unbounded} element(s) differ where the bound is infinite (no verdict, not a pass)`] : []),
  ];
  return parts.length === 0 ? null : parts.join('; ');
}
