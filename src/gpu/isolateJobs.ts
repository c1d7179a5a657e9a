/**
 * Jobs an isolated GPU child can run besides op batches, by name. Each takes the child's device and
 * a structured-clone payload and returns a structured-clone result.
 */
import type { RefsimGpu } from './device.ts';

export type IsolatedJob = (ctx: RefsimGpu, payload: unknown) => Promise<unknown>;

export const isolatedJobs: Record<string, () => Promise<IsolatedJob>> = {
  probe: async () => (await import('./probe.ts')).probeJob,
};
