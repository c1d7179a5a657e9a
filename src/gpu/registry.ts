/** Every op's GPU kernel family, by the same name as its reference op. */
import type { OpCase, OpName } from '../ops/types.ts';
import { adaptiveAvgPool2dKernel } from '../ops/adaptiveAvgPool2d/kernel.ts';
import { depthwiseConv2dKernel } from '../ops/depthwiseConv2d/kernel.ts';
import { depthwiseSeparableBlockKernel } from '../ops/depthwiseSeparableBlock/kernel.ts';
import { groupNormKernel } from '../ops/groupNorm/kernel.ts';
import type { PreparedBatch } from './kernel.ts';
import { linearKernel } from '../ops/linear/kernel.ts';
import { pointwiseConv2dKernel } from '../ops/pointwiseConv2d/kernel.ts';
import { reluKernel } from '../ops/relu/kernel.ts';
import type { GpuContext, GpuOp } from './types.ts';

export const gpuOps: Record<OpName, GpuOp> = {
  depthwiseConv2d: depthwiseConv2dKernel.run,
  pointwiseConv2d: pointwiseConv2dKernel.run,
  groupNorm: groupNormKernel.run,
  relu: reluKernel.run,
  adaptiveAvgPool2d: adaptiveAvgPool2dKernel.run,
  linear: linearKernel.run,
  depthwiseSeparableBlock: depthwiseSeparableBlockKernel.run,
};

/**
 * Each op's batch preparation (inputs uploaded, dispatches ready to encode): for callers that time
 * or repeat dispatches without re-uploading (the benchmark, stress runs).
 */
export const gpuPrepare: Record<OpName, (ctx: GpuContext, cases: readonly OpCase[]) => Promise<PreparedBatch>> = {
  depthwiseConv2d: depthwiseConv2dKernel.prepare,
  pointwiseConv2d: pointwiseConv2dKernel.prepare,
  groupNorm: groupNormKernel.prepare,
  relu: reluKernel.prepare,
  adaptiveAvgPool2d: adaptiveAvgPool2dKernel.prepare,
  linear: linearKernel.prepare,
  depthwiseSeparableBlock: depthwiseSeparableBlockKernel.prepare,
};
