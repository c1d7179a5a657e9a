/**
 * The stress engine whose device lives in a child process (src/gpu/isolate.ts): a native crash of
 * Dawn or the driver ends that process only, and the thread using it gets a NativeCrash for every
 * submission in flight instead of going down with it. The child starts each submission as it
 * arrives (several in flight on one device, as in a thread that owns the device) and is never
 * replaced behind the caller's back: after a crash every call fails with it until restart().
 */
import { GpuCrashError, GpuDeviceLostError } from '../gpu/errors.ts';
import { IsolatedGpu } from '../gpu/isolate.ts';
import type { AdapterReport, BackendName } from '../gpu/types.ts';
import type { OpCase } from '../ops/types.ts';
import type { Profile, Tensor } from '../reference/tensor.ts';
import { DeviceLost, type Engine, NativeCrash, openLocalEngine } from './engine.ts';
import type { StressBlockPayload } from './gpuJobs.ts';
import type { Isolation, StressEngine } from './types.ts';

const BLOCK = { op: 'depthwiseSeparableBlock', caseIndex: null } as const;

class IsolatedEngine implements Engine {
  private isLost = false;
  constructor(private readonly gpu: IsolatedGpu) {}
  get adapter(): AdapterReport {
    return this.gpu.adapter;
  }
  get lost(): boolean {
    return this.isLost;
  }
  get pid(): number | null {
    return this.gpu.pid ?? null;
  }
  async run(cases: readonly OpCase[], segv = false): Promise<Tensor[]> {
    // Jobs reach only the process that is current when they are sent (no restart in between),
    // so this is the generation of the process a crash of this job ended.
    const generation = this.gpu.generation;
    try {
      const out = await this.gpu.job<Tensor[]>('stressBlock', { cases, segv } satisfies StressBlockPayload, BLOCK);
      if (out.length !== cases.length) throw new Error(`runBatch returned ${out.length} outputs for ${cases.length} cases`);
      return out;
    } catch (e) {
      if (e instanceof GpuCrashError) throw new NativeCrash({ generation, signal: e.signal, exitCode: e.exitCode, stderrTail: e.stderrTail });
      if (e instanceof GpuDeviceLostError) {
        this.isLost = true;
        throw new DeviceLost(e.message);
      }
      throw e;
    }
  }
  async loseDevice(): Promise<void> {
    await this.gpu.job('stressLoseDevice', null, BLOCK);
  }
  async restart(): Promise<void> {
    await this.gpu.restart();
    this.isLost = false;
  }
  async close(): Promise<void> {
    await this.gpu.close();
  }
}

export interface EngineChoice {
  readonly engine: StressEngine;
  readonly isolation: Isolation;
  /** The fake engine's arithmetic. */
  readonly fakeProfile: Profile;
  readonly backend?: BackendName;
  readonly adapter?: string;
}

/** A device of its own for one thread (or the shared-mode owner): isolated unless asked otherwise. */
export async function openStressEngine(c: EngineChoice): Promise<Engine> {
  if (c.engine === 'gpu' && c.isolation === 'process') {
    const opts = { ...(c.backend === undefined ? {} : { backend: c.backend }), ...(c.adapter === undefined ? {} : { adapter: c.adapter }) };
    return new IsolatedEngine(await IsolatedGpu.open(opts, { concurrent: true, restartOnCrash: false }));
  }
  return openLocalEngine(c.engine, c.fakeProfile, c.backend, c.adapter);
}
