/**
 * Every op's GPU kernel family, by the same name as its reference op, derived from the op list
 * (src/ops/index.ts). A kernel module (and with it Dawn) loads on its op's first batch.
 */
import { perOp } from '../ops/index.ts';
import type { OpCase, OpName } from '../ops/types.ts';
import type { PreparedBatch } from './kernel.ts';
import type { GpuContext, GpuOp } from './types.ts';

export const gpuOps: Record<OpName, GpuOp> = perOp((op) => ({
  name: op.name,
  runBatch: async (ctx, cases) => (await op.kernel()).run.runBatch(ctx, cases),
}));

/**
 * Each op's batch preparation (inputs uploaded, dispatches ready to encode): for callers that time
 * or repeat dispatches without re-uploading (the benchmark, stress runs).
 */
export const gpuPrepare: Record<OpName, (ctx: GpuContext, cases: readonly OpCase[]) => Promise<PreparedBatch>> = perOp(
  (op) => async (ctx, cases) => (await op.kernel()).prepare(ctx, cases),
);
