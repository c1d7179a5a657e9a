/**
 * The ops, listed once. Every registry is derived from this list: the names (OP_NAMES), the
 * checker's specs and any-order bounds (./registry.ts), the GPU kernels (src/gpu/registry.ts), the
 * fast path (src/fast), the params each op takes. Adding an op is one folder (src/ops/<op>, see
 * src/ops/relu for the smallest) and one line here, plus its PyTorch fixture.
 */
import { adaptiveAvgPool2dOp } from './adaptiveAvgPool2d/index.ts';
import { depthwiseConv2dOp } from './depthwiseConv2d/index.ts';
import { depthwiseSeparableBlockOp } from './depthwiseSeparableBlock/index.ts';
import { groupNormOp } from './groupNorm/index.ts';
import { linearOp } from './linear/index.ts';
import { pointwiseConv2dOp } from './pointwiseConv2d/index.ts';
import { reluOp } from './relu/index.ts';
import type { OpDefinition, OpName } from './types.ts';

export const OPS = [
  depthwiseConv2dOp,
  pointwiseConv2dOp,
  groupNormOp,
  reluOp,
  adaptiveAvgPool2dOp,
  linearOp,
  depthwiseSeparableBlockOp,
] as const satisfies readonly OpDefinition[];

/** Every op's name, in the list's order (the order `refsim diff` runs them in). */
export const OP_NAMES = OPS.map((op) => op.name) as readonly OpName[] as readonly [OpName, ...OpName[]];

/** A record with one entry per op, made from its definition. */
export function perOp<T>(f: (op: (typeof OPS)[number]) => T): Record<OpName, T> {
  return Object.fromEntries(OPS.map((op) => [op.name, f(op)])) as Record<OpName, T>;
}
