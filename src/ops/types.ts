/**
 * The contract between the op registry (reference side, src/ops/registry.ts), the GPU kernels
 * (src/gpu/registry.ts), the differential checker (src/diff) and the stress run (src/stress).
 * One registry entry per op drives property tests, fixtures, `refsim diff` and `refsim repro`.
 */
import type fc from 'fast-check';
import { describeValue, InputRangeError } from '../errors.ts';
import type { Profile, Tensor } from '../reference/tensor.ts';
import type { Moments } from '../reference/bounds/common.ts';

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

/** Options of an any-order bound (src/ops/registry.ts anyOrderBounds). */
export interface AnyOrderOptions {
  /** How normalisation moments may be computed (default 'stable'; src/reference/bounds/moments.ts). */
  readonly moments?: Moments;
}

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
