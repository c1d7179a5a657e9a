/**
 * Jobs an isolated GPU child can run besides op batches, by name. Each takes the child's device and
 * a structured-clone payload and returns a structured-clone result.
 */
import type { RefsimGpu } from './device.ts';

export type IsolatedJob = (ctx: RefsimGpu, payload: unknown) => Promise<unknown>;

export const isolatedJobs: Record<string, () => Promise<IsolatedJob>> = {
  probe: async () => (await import('./probe.ts')).probeJob,
  alignUp32: async () => {
    const { runAlignUp32 } = await import('./alignUp.ts');
    return (ctx, payload) => {
      const p = payload as { variant: Parameters<typeof runAlignUp32>[1]; sizes: Uint32Array; alignments: Uint32Array };
      return runAlignUp32(ctx, p.variant, p.sizes, p.alignments);
    };
  },
  eventIds: async () => {
    const { generateEventIds } = await import('./eventIds.ts');
    return (ctx, payload) => {
      const p = payload as { count: number; start?: number };
      return generateEventIds(ctx, p.count, p.start ?? 0);
    };
  },
  // `refsim stress`: its block through the engine a thread would use, and its test-only lost device.
  stressBlock: async () => (await import('../stress/gpuJobs.ts')).stressBlockJob,
  stressLoseDevice: async () => (await import('../stress/gpuJobs.ts')).stressLoseDeviceJob,
};
