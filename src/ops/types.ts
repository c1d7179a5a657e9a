/**
 * The contract between the ops (src/ops/<op>, listed in src/ops/index.ts), the registries derived
 * from them (src/ops/registry.ts, src/gpu/registry.ts, src/fast), the differential checker
 * (src/diff), `refsim check` (src/check) and the stress run (src/stress).
 */
import type fc from 'fast-check';
import { describeValue } from '../errors.ts';
import type { Accuracy } from '../reference/accuracy.ts';
import type { Profile, Tensor } from '../reference/tensor.ts';
import type { Moments } from '../reference/bounds/common.ts';
import type { FastOp } from '../fast/context.ts';
import type { PreparedBatch } from '../gpu/kernel.ts';
import type { GpuContext, GpuOp } from '../gpu/types.ts';
import type { OPS } from './index.ts';
import type { OpParams } from './shared/params.ts';

export { type Accuracy, EXACT_ACCURACY, validateAccuracy, WGSL_ACCURACY } from '../reference/accuracy.ts';

/** An op's name: one of the definitions listed in src/ops/index.ts. */
export type OpName = (typeof OPS)[number]['name'];

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
 * A case in its op's canonical form (src/ops/<op>/canonical.ts): PyTorch's accepted forms (an
 * unbatched input, `linear`'s `(*, in)`, padding 'same', …) mapped to the one form the
 * evaluation handles (the reference's core, the bounds, the fast path, the GPU kernel). The
 * canonical case holds the same input data in the same order, so it is the same computation,
 * bit for bit.
 */
export interface CanonicalCase {
  readonly case: OpCase;
  /** The output shape of the case as given (PyTorch's). */
  readonly outputShape: number[];
  /**
   * The given case's output from the canonical case's output, where that is more than a reshape
   * to `outputShape` (pointwiseConv2d's padding border); absent for a reshape.
   */
  readonly restore?: (y: Tensor) => Tensor;
}

/** The given case's output from its canonical case's output `y`. */
export function restoreOutput(k: CanonicalCase, y: Tensor): Tensor {
  return k.restore === undefined ? { shape: [...k.outputShape], data: y.data } : k.restore(y);
}

/** Options of an any-order bound (src/ops/registry.ts anyOrderBounds). */
export interface AnyOrderOptions {
  /** How normalisation moments may be computed (default 'stable'; src/reference/bounds/moments.ts). */
  readonly moments?: Moments;
}

/**
 * Cases for the registry's users (`refsim diff`, the property tests): shapes of the op's ranges
 * shrunk to fit maxElements, values from src/ops/shared/values.ts (float32 in [−8, 8], larger
 * tensors from a seeded generator with drawn scales).
 */
export interface CaseGenOptions {
  /** Upper bound on each input tensor's element count. */
  readonly maxElements: number;
  /** Include NaN, ±Inf, −0 and subnormals among input values. */
  readonly specialValues: boolean;
}

/** Size classes of the GPU suite's cases: the GEMM ops' tile configurations (other ops have 'small' only). */
export const SIZE_CLASSES = ['small', 'medium', 'wide', 'large', 'v4-64x64', 'v4-128x64', 'v4-128x128'] as const;
export type SizeClass = (typeof SIZE_CLASSES)[number];

/**
 * Cases of the GPU suite: small fixed shape ranges per size class, values element by element,
 * without specials 0 or of magnitude in [NORMAL_MIN, NORMAL_MAX] (src/ops/shared/values.ts: then
 * nothing a flushing backend could flush ever arises in a multiply-add op).
 */
export interface SuiteCaseOptions {
  readonly size: SizeClass;
  /** Include NaN, ±Inf, subnormals and extreme magnitudes among input values. */
  readonly specialValues: boolean;
}

/** What an op's one case generator (src/ops/<op>/cases.ts) takes. */
export type CaseOptions = CaseGenOptions | SuiteCaseOptions;

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

/** An op's GPU kernel family (src/ops/<op>/kernel.ts). */
export interface OpKernel {
  /** Runs a batch of cases: prepare, one pass, read back, release. */
  readonly run: GpuOp;
  /**
   * Uploads a batch's inputs and readies its dispatches without running them: for callers that
   * time or repeat dispatches (the benchmark, stress runs).
   */
  prepare(ctx: GpuContext, cases: readonly OpCase[]): Promise<PreparedBatch>;
}

/**
 * Everything about one op (src/ops/<op>/index.ts); src/ops/index.ts lists the definitions once
 * and every registry is derived from that list.
 */
export interface OpDefinition<N extends string = string> {
  readonly name: N;
  /** Input names in argument order, e.g. ['x', 'weight', 'bias']. */
  readonly inputNames: readonly string[];
  /** The params' schema and reader (src/ops/<op>/params.ts). */
  readonly params: OpParams<unknown>;
  /**
   * The case in the op's canonical form (./canonical.ts of the op; validates the case and throws
   * its typed errors). Everything that evaluates a case goes through it.
   */
  canonical(c: OpCase): CanonicalCase;
  /** Output shape for a case (validates the case; throws the op's typed errors). */
  outputShape(c: OpCase): number[];
  /** The TypeScript reference in the documented order under `profile` (the definition; the registry may route through the fast path). */
  reference(c: OpCase, profile: Profile): Tensor;
  /** The bound of an evaluation in the documented order (OpSpec.bound). */
  bound(c: OpCase, accuracy: Accuracy): Float64Array;
  /**
   * The bound of an evaluation in any summation order (order 'anyOrder' of src/reference/bounds):
   * what a different implementation of the same maths (PyTorch's CPU kernels: BLAS dot products,
   * vectorised reductions, its groupNorm structure) may deviate from the exact result.
   */
  anyOrderBound(c: OpCase, accuracy: Accuracy, options?: AnyOrderOptions): Float64Array;
  /** The op's one case generator (src/ops/<op>/cases.ts). */
  cases(opts: CaseOptions): fc.Arbitrary<OpCase>;
  /** The input elements that feed output element `outIndex` (for `refsim repro`). */
  receptiveField(c: OpCase, outIndex: number): InputTap[];
  /** Loads the GPU kernel (on first use: the reference side never loads Dawn). */
  kernel(): Promise<OpKernel>;
  /** The WebAssembly fast path's driver (src/ops/<op>/fast.ts), where the op has one. */
  readonly fast?: FastOp;
}

/** The OpSpec (the checker's contract) of a definition, with its TypeScript reference. */
export function specOf(def: OpDefinition<OpName>): OpSpec {
  return {
    name: def.name,
    inputNames: def.inputNames,
    paramNames: def.params.names,
    outputShape: def.outputShape,
    reference: def.reference,
    bound: def.bound,
    arbitrary: def.cases,
    receptiveField: def.receptiveField,
  };
}
