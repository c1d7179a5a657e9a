/**
 * What the checker does with the probe's relaxed-math findings (src/gpu/probe/relaxed.ts):
 *
 * - The backend reassociates sums (Dawn's default on Metal may): bit-exactness against the
 *   documented order is not a promise any more, so `--profile auto` judges by the any-order bound
 *   family, exactly as `refsim check` does: |gpu − ref| ≤ anyOrderBound(c, gpuAccuracy) +
 *   bound(c, EXACT), the GPU's any-order error plus the reference's documented-order error.
 * - NaN/±Inf or −0 are not preserved: mismatches there stay violations (a real difference a
 *   PyTorch user sees), and the report names the relaxed property as their likely cause.
 */
import type { MathWord, ProbeResult, RelaxedFieldName } from '../gpu/probe.ts';
import { RELAXED_FIELDS } from '../gpu/probe.ts';
import { anyOrderTotalBound } from '../ops/registry.ts';
import type { Accuracy, OpCase, OpName } from '../ops/types.ts';
import type { BoundOrder } from '../reference/bounds/common.ts';
import type { ClassifyInput, ViolationReason } from './classify.ts';

export type { BoundOrder } from '../reference/bounds/common.ts';

/** The probe's one-word verdict per relaxed-math property. */
export type RelaxedSummary = Readonly<Record<RelaxedFieldName, MathWord>>;

export function relaxedSummary(p: Pick<ProbeResult, 'relaxedMath'>): RelaxedSummary {
  return Object.fromEntries(RELAXED_FIELDS.map((k) => [k, p.relaxedMath[k].summary])) as Record<RelaxedFieldName, MathWord>;
}

export const relaxedFields = (s: RelaxedSummary): RelaxedFieldName[] => RELAXED_FIELDS.filter((k) => s[k] === 'relaxed');

/**
 * The total bound classifyCase judges by under `order`: none (its default, the documented
 * order: bound(c, gpuAccuracy) + bound(c, EXACT)) or the any-order total, as `refsim check` uses.
 */
export function verdictBound(c: OpCase, accuracy: Accuracy, order: BoundOrder): Pick<ClassifyInput, 'totalBound'> {
  return order === 'anyOrder' ? { totalBound: () => anyOrderTotalBound(c, accuracy) } : {};
}

/**
 * Ops whose GPU kernel only moves bit patterns (relu decides on `bitcast<u32>`, src/ops/relu/wgsl.ts):
 * no math mode changes their results, so relaxed math explains none of their violations.
 */
const BIT_PATTERN_KERNELS: ReadonlySet<OpName> = new Set<OpName>(['relu']);

/**
 * The relaxed property that explains a violation of `reason` in `op`, when the probe found it
 * relaxed: NaN/±Inf disagreements → nanInf, −0/+0 swaps → signedZero, bound violations under
 * documented-order bounds on a reassociating backend (a forced profile) → reassociation.
 */
export function relaxedCause(op: OpName, reason: ViolationReason, relaxed: RelaxedSummary, order: BoundOrder): RelaxedFieldName | null {
  if (BIT_PATTERN_KERNELS.has(op)) return null;
  const field: RelaxedFieldName | null =
    reason === 'nan' || reason === 'inf' ? 'nanInf' : reason === 'signed-zero' ? 'signedZero' : reason === 'bound' && order === 'documented' ? 'reassociation' : null;
  return field !== null && relaxed[field] === 'relaxed' ? field : null;
}
