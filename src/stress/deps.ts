/**
 * The stress run's bindings to the rest of refsim: the GPU device and the block's kernel, the
 * block's op spec (reference and bound), the differential checker's verdict rules and fixture
 * format, and the event-id checker. Keeping them in one file makes it plain that a stress op is
 * judged exactly as `refsim diff` judges a case.
 */
import { getOpSpec } from '../ops/registry.ts';
import type { OpSpec } from '../ops/types.ts';
import { openGpu, type RefsimGpu } from '../gpu/device.ts';
import { gpuOps } from '../gpu/registry.ts';
import type { GpuOp, OpenGpuOptions } from '../gpu/types.ts';

export { classifyCase, type CaseVerdict, type ElementReport } from '../diff/classify.ts';
export { makeFixture, writeFixture } from '../diff/fixture.ts';
export { checkIds } from '../mps/events/idCheck.ts';

export type StressGpu = RefsimGpu;

export function openStressGpu(opts: OpenGpuOptions): Promise<StressGpu> {
  return openGpu(opts);
}

export function blockGpuOp(): GpuOp {
  return gpuOps.depthwiseSeparableBlock;
}

/** The block's registry entry: the reference and the bound the checker uses. */
export function blockSpec(): OpSpec {
  return getOpSpec('depthwiseSeparableBlock');
}
