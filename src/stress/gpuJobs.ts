/**
 * The stress run's jobs inside an isolated GPU child (registered by name in src/gpu/isolateJobs.ts):
 * the block on the child's device through the same GpuEngine a thread would use (with the test-only
 * native crash under a batch), and the test-only destroyed device.
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

export interface StressBlockPayload {
  readonly cases: readonly OpCase[];
  /** Test-only (REFSIM_STRESS_FAULT=segv): this process dies of SIGSEGV once the batch's GPU work is under way. */
  readonly segv: boolean;
}

export const stressBlockJob: IsolatedJob = async (ctx, payload) => {
  const p = payload as StressBlockPayload;
  try {
    return await engineOf(ctx).run(p.cases, p.segv);
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
