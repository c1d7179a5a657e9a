/**
 * The op registry: one OpSpec per op (src/ops/specs/<op>.ts) driving property tests, fixtures,
 * the differential checker and the CLI.
 */
import { describeValue, RefsimError } from '../errors.ts';
import { withFastReference } from '../fast/index.ts';
import { type Accuracy, type AnyOrderOptions, EXACT_ACCURACY, OP_NAMES, type OpCase, type OpName, type OpSpec, specOf } from './types.ts';
import { adaptiveAvgPool2dOp } from './adaptiveAvgPool2d/index.ts';
import { depthwiseConv2dOp } from './depthwiseConv2d/index.ts';
import { depthwiseSeparableBlockOp } from './depthwiseSeparableBlock/index.ts';
import { groupNormOp } from './groupNorm/index.ts';
import { linearOp } from './linear/index.ts';
import { pointwiseConv2dOp } from './pointwiseConv2d/index.ts';
import { reluOp } from './relu/index.ts';

/** Each spec's `reference` runs the WebAssembly fast path where selected (src/fast), else TypeScript: the same bits. */
export const opSpecs: Record<OpName, OpSpec> = withFastReference({
  depthwiseConv2d: specOf(depthwiseConv2dOp),
  pointwiseConv2d: specOf(pointwiseConv2dOp),
  groupNorm: specOf(groupNormOp),
  relu: specOf(reluOp),
  adaptiveAvgPool2d: specOf(adaptiveAvgPool2dOp),
  linear: specOf(linearOp),
  depthwiseSeparableBlock: specOf(depthwiseSeparableBlockOp),
});

/** An op name that is not in the registry. */
export class UnknownOpError extends RefsimError {
  readonly op: string;
  constructor(op: string) {
    super('E_UNKNOWN_OP', `unknown op ${describeValue(op)}; valid ops: ${OP_NAMES.join(', ')}`);
    this.op = String(describeValue(op));
  }
}

export function isOpName(name: string): name is OpName {
  return typeof name === 'string' && (OP_NAMES as readonly string[]).includes(name);
}

/** The spec of `name`; throws UnknownOpError (listing the valid names) for anything else. */
export function getOpSpec(name: string): OpSpec {
  if (!isOpName(name)) throw new UnknownOpError(name);
  return opSpecs[name];
}

/**
 * Per op, the bound for an evaluation in *any* summation order (order 'anyOrder' of
 * src/reference/bounds): what a different implementation of the same maths (PyTorch's CPU
 * kernels: BLAS dot products, vectorised reductions, its groupNorm structure) may deviate from the
 * exact result. Used for PyTorch parity and `refsim check`:
 * |reference − torch| ≤ spec.bound(c, EXACT) + anyOrderBound(c, accuracy of torch's device).
 */
export const anyOrderBounds: Record<OpName, (c: OpCase, accuracy: Accuracy, options?: AnyOrderOptions) => Float64Array> = {
  depthwiseConv2d: depthwiseConv2dOp.anyOrderBound,
  pointwiseConv2d: pointwiseConv2dOp.anyOrderBound,
  groupNorm: groupNormOp.anyOrderBound,
  relu: reluOp.anyOrderBound,
  adaptiveAvgPool2d: adaptiveAvgPool2dOp.anyOrderBound,
  linear: linearOp.anyOrderBound,
  depthwiseSeparableBlock: depthwiseSeparableBlockOp.anyOrderBound,
};

/**
 * The accepted |backend − reference| when the backend may evaluate the op in any order (a PyTorch
 * kernel, or a GPU that reassociates): the reference's own documented-order error plus the
 * backend's any-order error under its accuracy.
 */
export function anyOrderTotalBound(c: OpCase, accuracy: Accuracy, options: AnyOrderOptions = {}): Float64Array {
  const total = getOpSpec(c.op).bound(c, EXACT_ACCURACY);
  const backend = anyOrderBounds[c.op](c, accuracy, options);
  for (let i = 0; i < total.length; i++) total[i]! += backend[i]!;
  return total;
}
