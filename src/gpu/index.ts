/** Public API of the GPU side (`mps-refsim/gpu`). */
export * from './types.ts';
export * from './errors.ts';
export { openGpu, destroyAllGpus, describeAdapter, liveGpuCount, type RefsimGpu } from './device.ts';
export { IsolatedGpu } from './isolate.ts';
export { gpuOps, gpuPrepare } from './registry.ts';
export { runProbe, formatProbe, profileFromProbe, accuracyFromProbe, probeResultSchema, type ProbeResult } from './probe.ts';
export { runAlignUp32, ALIGN_STATUS, type AlignUpGpuResult } from './alignUp.ts';
export { generateEventIds, type EventIdsResult } from './eventIds.ts';
export type { PreparedBatch } from './kernel.ts';
