/** Every op's GPU kernel family, by the same name as its reference op. */
import type { OpName } from '../ops/types.ts';
import { relu } from './relu.ts';
import type { GpuOp } from './types.ts';

export const gpuOps: Partial<Record<OpName, GpuOp>> = {
  relu,
};
