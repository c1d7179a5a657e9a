/** Every op's GPU kernel family, by the same name as its reference op. */
import type { OpName } from '../ops/types.ts';
import { adaptiveAvgPool2d } from './adaptiveAvgPool2d.ts';
import { depthwiseConv2d } from './depthwiseConv2d.ts';
import { depthwiseSeparableBlock } from './depthwiseSeparableBlock.ts';
import { groupNorm } from './groupNorm.ts';
import { linear } from './linear.ts';
import { pointwiseConv2d } from './pointwiseConv2d.ts';
import { relu } from './relu.ts';
import type { GpuOp } from './types.ts';

export const gpuOps: Record<OpName, GpuOp> = {
  depthwiseConv2d,
  pointwiseConv2d,
  groupNorm,
  relu,
  adaptiveAvgPool2d,
  linear,
  depthwiseSeparableBlock,
};
