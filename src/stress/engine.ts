/**
 * Where a stress thread's block ops run. A worker holds one Engine: its own GPU device (separate
 * mode; in a child process, isolatedEngine.ts, or in the thread itself), a client of the
 * device-owner thread (shared mode), or the fake engine, a test double that stands in for the GPU
 * with the reference (orchestration tests without a device).
 */
import type { MessagePort } from 'node:worker_threads';
import type { OpCase } from '../ops/types.ts';
import type { Profile, Tensor } from '../reference/tensor.ts';
import type { AdapterReport, BackendName } from '../gpu/types.ts';
import { type BlockShape, makeBlockCase } from './blockCase.ts';
import type { CrashNotice, OwnerToWorker, WorkerToOwner } from './types.ts';
import { blockGpuOp, blockSpec, openStressGpu, type StressGpu } from './deps.ts';

export interface Engine {
  readonly adapter: AdapterReport | null;
  /**
   * Runs a batch of block ops (one runBatch); rejects with DeviceLost when the device is gone and
   * with NativeCrash when the process holding it died. Test-only `segv` (the fault): the process
   * holding the device kills itself with SIGSEGV once this batch's GPU work is under way.
   */
  run(cases: readonly OpCase[], segv?: boolean): Promise<Tensor[]>;
  /** Test-only (fault `lost`): destroys the device under the running work. */
  loseDevice(): Promise<void>;
  /** True once the device is known to be lost. */
  readonly lost: boolean;
  /** The process holding the device when it is not this one (to end it if this thread is terminated). */
  readonly pid: number | null;
  /**
   * After a NativeCrash: a fresh process and device take over. An engine without its own device
   * process (a shared-mode client: the owner restarts the device) returns at once.
   */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * One unverified submission of `batch` cases before the common start, so shader compilation and
 * first-use allocation count as startup, not as the first op's time. Its cases use op indices
 * below 0, which no real op has.
 */
export async function warmUp(engine: Engine, shape: BlockShape, seed: number, thread: number, batch: number): Promise<void> {
  await engine.run(Array.from({ length: batch }, (_, j) => makeBlockCase(shape, seed, thread, -1 - j)));
}

/** The engine's device is lost: the op could not run. */
export class DeviceLost extends Error {
  override readonly name = 'DeviceLost';
}

/** The process holding the engine's device died (a signal or an exit code) while the op was in flight. */
export class NativeCrash extends Error {
  override readonly name = 'NativeCrash';
  constructor(readonly notice: CrashNotice) {
    super(`the GPU process (generation ${notice.generation}) ended with ${notice.signal ?? `exit code ${notice.exitCode}`}`);
  }
}

export async function openLocalEngine(engine: 'gpu' | 'fake', profile: Profile, backend?: BackendName, adapter?: string): Promise<Engine> {
  if (engine === 'fake') return new FakeEngine(profile);
  const gpu = await openStressGpu({ ...(backend === undefined ? {} : { backend }), ...(adapter === undefined ? {} : { adapter }) });
  return new GpuEngine(gpu);
}

/** A device in this thread. Also what the isolated child runs for the stress jobs (gpuJobs.ts). */
export class GpuEngine implements Engine {
  readonly pid = null;
  private isLost = false;
  private lostMessage = '';
  constructor(private readonly gpu: StressGpu) {
    void gpu.lost.then((info) => {
      this.isLost = true;
      this.lostMessage = `${info.reason}: ${info.message}`;
    });
  }
  get adapter(): AdapterReport {
    return this.gpu.adapter;
  }
  get lost(): boolean {
    return this.isLost;
  }
  async run(cases: readonly OpCase[], segv = false): Promise<Tensor[]> {
    if (this.isLost) throw new DeviceLost(`device lost (${this.lostMessage})`);
    try {
      const running = blockGpuOp().runBatch(this.gpu, cases);
      // In an isolated child this ends the child; in a thread, the whole run (--isolation thread).
      if (segv) process.kill(process.pid, 'SIGSEGV');
      const out = await running;
      if (out.length !== cases.length) throw new Error(`runBatch returned ${out.length} outputs for ${cases.length} cases`);
      return out;
    } catch (e) {
      // Dawn reports work on a lost device as failed maps or validation errors; the lost promise
      // may settle a moment after the failing call, so give it one turn before classifying.
      await new Promise((r) => setTimeout(r, 0));
      if (this.isLost) throw new DeviceLost(`device lost (${this.lostMessage}): ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  }
  async loseDevice(): Promise<void> {
    // device.destroy() directly (not the context's destroy()) is what a real loss looks like to
    // the code using the context: the lost promise fires and later work fails.
    this.gpu.device.destroy();
    await this.gpu.lost;
  }
  async restart(): Promise<void> {
    throw new Error('a device in this thread cannot be restarted after a native crash');
  }
  async close(): Promise<void> {
    this.gpu.destroy();
  }
}

class FakeEngine implements Engine {
  private isLost = false;
  readonly adapter = null;
  readonly pid = null;
  constructor(private readonly profile: Profile) {}
  get lost(): boolean {
    return this.isLost;
  }
  async run(cases: readonly OpCase[], segv = false): Promise<Tensor[]> {
    if (segv) throw new Error('the segv fault needs the GPU engine (the fake engine has no device process)');
    await new Promise((r) => setImmediate(r));
    if (this.isLost) throw new DeviceLost('device lost (fake engine)');
    return cases.map((c) => blockSpec().reference(c, this.profile));
  }
  async loseDevice(): Promise<void> {
    this.isLost = true;
  }
  async restart(): Promise<void> {}
  async close(): Promise<void> {}
}

/** Shared mode: every op is a request to the device-owner thread; replies come back by request id. */
export class RemoteEngine implements Engine {
  readonly pid = null;
  private nextRid = 1;
  private readonly pending = new Map<number, { resolve: (t: Tensor[]) => void; reject: (e: Error) => void }>();
  private isLost = false;
  constructor(
    private readonly port: MessagePort,
    readonly adapter: AdapterReport | null,
  ) {
    port.on('message', (m: OwnerToWorker) => {
      const p = this.pending.get(m.rid);
      if (p === undefined) return;
      this.pending.delete(m.rid);
      if (m.type === 'result') p.resolve(m.outputs);
      else if (m.crash !== undefined) p.reject(new NativeCrash(m.crash));
      else {
        if (m.lost) this.isLost = true;
        p.reject(m.lost ? new DeviceLost(m.message) : new Error(m.message));
      }
    });
    // The owner thread died (its end of the channel closed): the shared device went with it.
    port.on('close', () => {
      this.isLost = true;
      for (const p of this.pending.values()) p.reject(new DeviceLost('the shared device owner thread ended'));
      this.pending.clear();
    });
  }
  get lost(): boolean {
    return this.isLost;
  }
  private request(m: { readonly type: 'run'; readonly cases: readonly OpCase[]; readonly segv: boolean } | { readonly type: 'lose-device' }): Promise<Tensor[]> {
    const rid = this.nextRid++;
    return new Promise<Tensor[]>((resolve, reject) => {
      this.pending.set(rid, { resolve, reject });
      const msg: WorkerToOwner = { ...m, rid };
      this.port.postMessage(msg);
    });
  }
  run(cases: readonly OpCase[], segv = false): Promise<Tensor[]> {
    return this.request({ type: 'run', cases, segv });
  }
  async loseDevice(): Promise<void> {
    await this.request({ type: 'lose-device' }).catch(() => undefined);
  }
  /** The owner restarts the shared device; requests sent meanwhile wait for it there. */
  async restart(): Promise<void> {}
  async close(): Promise<void> {
    this.port.close();
  }
}
