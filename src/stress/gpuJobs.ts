/**
 * The stress run's jobs inside an isolated GPU child (registered by name in src/gpu/isolateJobs.ts):
 * the block on the child's device through the same GpuEngine a thread would use, and the two
 * test-only faults that act on the device's process (a destroyed device, a native crash).
 */
import type { RefsimGpu } from '../gpu/device.ts';
import { GpuDeviceLostError } from '../gpu/errors.ts';
import type { IsolatedJob } from '../gpu/isolateJobs.ts';
import type { OpCase } from '../ops/types.ts';
import { DeviceLost, GpuEngine } from './engine.ts';

const engines = new WeakMap<RefsimGpu, GpuEngine>();

function engineOf(ctx: RefsimGpu): GpuEngine {
  let e = engines.get(ctx);
  if (e === undefined) {
    e = new GpuEngine(ctx);
    engines.set(ctx, e);
  }
  return e;
}

export const stressBlockJob: IsolatedJob = async (ctx, payload) => {
  try {
    return await engineOf(ctx).run(payload as OpCase[]);
  } catch (e) {
    // The parent revives the typed error and tells its thread the device is gone.
    if (e instanceof DeviceLost) throw new GpuDeviceLostError({ op: 'depthwiseSeparableBlock', caseIndex: null }, 'lost', e.message);
    throw e;
  }
};

export const stressLoseDeviceJob: IsolatedJob = async (ctx) => {
  await engineOf(ctx).loseDevice();
  return null;
};

/** Test-only (REFSIM_STRESS_FAULT=segv): this process dies of the signal, as a native crash would end it. */
export const stressSignalJob: IsolatedJob = async (_ctx, payload) => {
  process.kill(process.pid, (payload as { signal: NodeJS.Signals }).signal);
  return null;
};
