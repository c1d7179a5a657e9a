/**
 * What the checker does with the probe's relaxed-math findings (src/gpu/probe/relaxed.ts):
 *
 * - The backend reassociates sums (Dawn's default on Metal may): bit-exactness against the
 *   documented order is not a promise any more, so `--profile auto` judges by the any-order bound
 *   family (the one PyTorch parity uses). The spec handed to classifyCase then bounds
 *   bound(c, a) = spec.bound(c, a) + anyOrderBounds[op](c, a), and classifyCase accepts
 *   |gpu − ref| ≤ bound(c, gpuAccuracy) + bound(c, EXACT): the GPU's any-order error (≤ anyOrder
 *   at its accuracy) plus the reference's documented-order error, with room to spare.
 * - NaN/±Inf or −0 are not preserved: mismatches there stay violations (a real difference a
 *   PyTorch user sees), and the report names the relaxed property as their likely cause.
 */
import type { MathWord, ProbeResult, RelaxedFieldName } from '../gpu/probe.ts';
import { RELAXED_FIELDS } from '../gpu/probe.ts';
import { anyOrderBounds } from '../ops/registry.ts';
import type { OpName, OpSpec } from '../ops/types.ts';
import type { BoundOrder } from '../reference/bounds/common.ts';
import type { ViolationReason } from './classify.ts';

export type { BoundOrder } from '../reference/bounds/common.ts';

/** The probe's one-word verdict per relaxed-math property. */
export type RelaxedSummary = Readonly<Record<RelaxedFieldName, MathWord>>;

export function relaxedSummary(p: Pick<ProbeResult, 'relaxedMath'>): RelaxedSummary {
  return Object.fromEntries(RELAXED_FIELDS.map((k) => [k, p.relaxedMath[k].summary])) as Record<RelaxedFieldName, MathWord>;
}

export const relaxedFields = (s: RelaxedSummary): RelaxedFieldName[] => RELAXED_FIELDS.filter((k) => s[k] === 'relaxed');

/** The spec whose bound is the op's own plus its any-order bound (everything else unchanged). */
export function anyOrderSpec<S extends Pick<OpSpec, 'name' | 'bound'>>(spec: S): S {
  const anyOrder = anyOrderBounds[spec.name];
  return {
    ...spec,
    bound(c, accuracy) {
      const b = spec.bound(c, accuracy);
      const extra = anyOrder(c, accuracy);
      const out = new Float64Array(b.length);
      for (let i = 0; i < b.length; i++) out[i] = b[i]! + extra[i]!;
      return out;
    },
  };
}

/** The spec verdicts are judged by under `order`. */
export const judgedSpec = <S extends Pick<OpSpec, 'name' | 'bound'>>(spec: S, order: BoundOrder): S => (order === 'anyOrder' ? anyOrderSpec(spec) : spec);

/**
 * Ops whose GPU kernel only moves bit patterns (relu decides on `bitcast<u32>`, src/gpu/relu.ts):
 * no math mode changes their results, so relaxed math explains none of their violations.
 */
export const BIT_PATTERN_KERNELS: ReadonlySet<OpName> = new Set<OpName>(['relu']);

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
