/**
 * Worker threads for large fast-path calls. Every worker instantiates the same module on the same
 * shared memory; a call is split into jobs that write disjoint outputs with the same code, so the
 * result is bit-identical for any number of threads. Dispatch is synchronous (the reference API
 * is): the main thread posts jobs through a shared control block, runs the first job itself and
 * waits with Atomics.wait. The pool starts lazily on the first call that wants threads, and a
 * worker that is still starting never delays a call: its job runs on the main thread instead.
 * Workers are unref'd, so they never keep a process alive.
 */
import { Worker } from 'node:worker_threads';
import type { Kernels } from './module.ts';

/** One kernel call: an export name and its arguments (byte offsets and scalars). */
export interface Job {
  readonly fn: string;
  readonly args: readonly number[];
}

// Must match src/fast/worker.mjs.
const SLOT_INTS = 64;
const ARGS_OFFSET = 64;
const MAX_ARGS = (SLOT_INTS * 4 - ARGS_OFFSET) / 8;
const REQUEST = 0;
const DONE = 1;
const FN = 2;
const ARGC = 3;
const FAILED = 4;
const READY = 5;
/** Most workers a pool holds (a slot each in the control block). */
export const MAX_WORKERS = 63;

const workerUrl = new URL('./worker.mjs', import.meta.url);

export class WorkerPool {
  private readonly control = new SharedArrayBuffer(MAX_WORKERS * SLOT_INTS * 4);
  private readonly ctl = new Int32Array(this.control);
  private readonly names: string[];
  private readonly index = new Map<string, number>();
  private readonly workers: Worker[] = [];
  /** Jobs run on workers so far. */
  jobsRun = 0;

  constructor(readonly kernels: Kernels) {
    this.names = Object.keys(kernels.exports);
    this.names.forEach((n, i) => this.index.set(n, i));
  }

  get size(): number {
    return this.workers.length;
  }

  /** Starts workers until there are `count` (never waits for them). */
  grow(count: number): void {
    const want = Math.min(count, MAX_WORKERS);
    while (this.workers.length < want) {
      const slot = this.workers.length;
      const w = new Worker(workerUrl, {
        workerData: {
          module: this.kernels.module,
          memory: this.kernels.memory,
          control: this.control,
          slot,
          slotInts: SLOT_INTS,
          argsOffset: ARGS_OFFSET,
          names: this.names,
        },
      });
      w.unref();
      this.workers.push(w);
    }
  }

  private ready(slot: number): boolean {
    return Atomics.load(this.ctl, slot * SLOT_INTS + READY) === 1;
  }

  /** Blocks until every worker is ready or `timeoutMs` passed; returns how many are ready. */
  waitReady(timeoutMs = 10_000): number {
    const deadline = Date.now() + timeoutMs;
    for (let s = 0; s < this.workers.length; s++) {
      while (!this.ready(s)) {
        const left = deadline - Date.now();
        if (left <= 0) return s;
        Atomics.wait(this.ctl, s * SLOT_INTS + READY, 0, Math.min(left, 50));
      }
    }
    return this.workers.length;
  }

  /**
   * Runs the jobs in waves: each wave gives one job to every ready worker and one to this thread
   * (all of them here while no worker is ready), and waits for them; returns when all have
   * finished.
   */
  run(jobs: readonly Job[]): void {
    const ready: number[] = [];
    for (let s = 0; s < this.workers.length; s++) if (this.ready(s)) ready.push(s);
    let error: unknown;
    for (let i = 0; i < jobs.length; ) {
      const posted: [slot: number, request: number][] = [];
      for (const s of ready) {
        if (i + posted.length + 1 >= jobs.length) break;
        posted.push([s, this.post(s, jobs[i + posted.length + 1]!)]);
      }
      try {
        callKernel(this.kernels, jobs[i]!);
      } catch (e) {
        error ??= e;
      }
      for (const [s, request] of posted) {
        const base = s * SLOT_INTS;
        for (let done = Atomics.load(this.ctl, base + DONE); done !== request; done = Atomics.load(this.ctl, base + DONE)) {
          Atomics.wait(this.ctl, base + DONE, done);
        }
        if (this.ctl[base + FAILED] === 1) error ??= new Error(`fast path: worker ${s} failed in ${this.names[this.ctl[base + FN]!]}`);
        this.jobsRun++;
      }
      i += posted.length + 1;
    }
    if (error !== undefined) throw error;
  }

  private post(slot: number, job: Job): number {
    const fn = this.index.get(job.fn);
    if (fn === undefined) throw new Error(`fast path: no kernel ${job.fn}`);
    if (job.args.length > MAX_ARGS) throw new Error(`fast path: ${job.fn} has more than ${MAX_ARGS} arguments`);
    const base = slot * SLOT_INTS;
    new Float64Array(this.control, base * 4 + ARGS_OFFSET, job.args.length).set(job.args);
    this.ctl[base + FN] = fn;
    this.ctl[base + ARGC] = job.args.length;
    const request = (Atomics.load(this.ctl, base + REQUEST) + 1) | 0;
    Atomics.store(this.ctl, base + REQUEST, request);
    Atomics.notify(this.ctl, base + REQUEST);
    return request;
  }

  /** Ends every worker. */
  async close(): Promise<void> {
    const ws = this.workers.splice(0);
    await Promise.all(ws.map((w) => w.terminate()));
  }
}

/** Runs one job on this thread. */
export function callKernel(kernels: Kernels, job: Job): void {
  const f = kernels.exports[job.fn];
  if (f === undefined) throw new Error(`fast path: no kernel ${job.fn}`);
  f(...job.args);
}
