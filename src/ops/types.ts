/**
 * The contract between the op registry (reference side, src/ops/registry.ts), the GPU kernels
 * (src/gpu/registry.ts), the differential checker (src/diff) and the stress run (src/stress).
 * One registry entry per op drives property tests, fixtures, `refsim diff` and `refsim repro`.
 */
import type fc from 'fast-check';
import { describeValue } from '../errors.ts';
import type { Accuracy } from '../reference/accuracy.ts';
import type { Profile, Tensor } from '../reference/tensor.ts';
import type { Moments } from '../reference/bounds/common.ts';

export { type Accuracy, EXACT_ACCURACY, validateAccuracy, WGSL_ACCURACY } from '../reference/accuracy.ts';

export const OP_NAMES = [
  'depthwiseConv2d',
  'pointwiseConv2d',
  'groupNorm',
  'relu',
  'adaptiveAvgPool2d',
  'linear',
  'depthwiseSeparableBlock',
] as const;
export type OpName = (typeof OP_NAMES)[number];

/**
 * The params each op reads, by name. Every case carries all of them (the generators write every
 * one, and a saved fixture must hold what its op needs rather than fall back to a default); the op
 * itself validates their values.
 */
/**
 * Problems with a case's keys (not its values): params the op does not read or that are missing,
 * inputs it does not take. Empty when all is well.
 */
export function caseKeyProblems(spec: Pick<OpSpec, 'name' | 'paramNames' | 'inputNames'>, params: object, inputs: object): string[] {
  const { name: op, paramNames: want, inputNames } = spec;
  const problems: string[] = [];
  for (const k of Object.keys(params)) if (!want.includes(k)) problems.push(`params.${k}: ${op} takes no such param (${want.length === 0 ? 'it takes none' : `it takes ${want.join(', ')}`})`);
  for (const k of want) if (!(k in params)) problems.push(`params.${k}: missing (${op} needs ${want.join(', ')})`);
  for (const k of Object.keys(inputs)) if (!inputNames.includes(k)) problems.push(`inputs.${describeValue(k).slice(1, -1)}: ${op} takes no such input (its inputs: ${inputNames.join(', ')})`);
  return problems;
}

export type JsonValue = number | string | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One self-contained invocation of an op: everything needed to run it on the reference and the GPU. */
export interface OpCase {
  readonly op: OpName;
  /** Scalar parameters as JSON (e.g. { stride: [1, 1], padding: [1, 1], dilation: [1, 1] }, { numGroups: 4, eps: 1e-5 }). */
  readonly params: { readonly [key: string]: JsonValue };
  /** Input tensors by name in the op's argument order; null for an absent optional input (e.g. no bias). */
  readonly inputs: { readonly [name: string]: Tensor | null };
}

/** Options of an any-order bound (src/ops/registry.ts anyOrderBounds). */
export interface AnyOrderOptions {
  /** How normalisation moments may be computed (default 'stable'; src/reference/bounds/moments.ts). */
  readonly moments?: Moments;
}

export interface CaseGenOptions {
  /** Upper bound on each input tensor's element count. */
  readonly maxElements: number;
  /** Include NaN, ±Inf, −0 and subnormals among input values. */
  readonly specialValues: boolean;
}

/** A reference to one input element that feeds an output element. */
export interface InputTap {
  readonly input: string;
  readonly index: number;
}

export interface OpSpec {
  readonly name: OpName;
  /** Input names in argument order, e.g. ['x', 'weight', 'bias']. */
  readonly inputNames: readonly string[];
  /** Every params key the op reads (others are rejected where params come from a file). */
  readonly paramNames: readonly string[];
  /** Output shape for a case (validates the case; throws the op's typed errors). */
  outputShape(c: OpCase): number[];
  /** Evaluates the reference in the documented order under `profile`. */
  reference(c: OpCase, profile: Profile): Tensor;
  /**
   * Per output element, a rigorous bound on |computed − exact real result| for any evaluation in
   * the documented order under `accuracy` (Infinity where no finite bound exists, e.g. non-finite
   * inputs). The checker accepts a GPU value g against reference r when
   * |g − r| ≤ bound(c, gpuAccuracy)[i] + bound(c, EXACT_ACCURACY)[i].
   */
  bound(c: OpCase, accuracy: Accuracy): Float64Array;
  /** fast-check arbitrary of valid cases, small enough for `opts`. */
  arbitrary(opts: CaseGenOptions): fc.Arbitrary<OpCase>;
  /** The input elements that feed output element `outIndex` (for `refsim repro`). */
  receptiveField(c: OpCase, outIndex: number): InputTap[];
}
