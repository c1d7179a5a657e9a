/**
 * The checker's registries, derived from the op list (src/ops/index.ts): one OpSpec per op driving
 * property tests, fixtures, the differential checker and the CLI, and each op's any-order bound.
 */
import { describeValue, RefsimError } from '../errors.ts';
import { withFastReference } from '../fast/index.ts';
import { OP_NAMES, perOp } from './index.ts';
import { type Accuracy, type AnyOrderOptions, EXACT_ACCURACY, type OpCase, type OpName, type OpSpec, specOf } from './types.ts';

/** Each spec's `reference` runs the WebAssembly fast path where selected (src/fast), else TypeScript: the same bits. */
export const opSpecs: Record<OpName, OpSpec> = withFastReference(perOp(specOf));

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
export const anyOrderBounds: Record<OpName, (c: OpCase, accuracy: Accuracy, options?: AnyOrderOptions) => Float64Array> = perOp((op) => op.anyOrderBound);

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
