/**
 * GPU work in a child process, so that a native crash of Dawn or the driver (a segfault, an abort)
 * is reported — which op, which case, which signal — instead of killing the test run or the CLI.
 *
 * Protocol (child_process IPC with structured-clone serialization, so Float32Arrays travel bit-exact):
 *   parent → child  { type: 'open', options }              child → parent { type: 'ready', adapter } | { type: 'failed', error }
 *   parent → child  { type: 'job', id, kind, op, payload } child → parent { type: 'result', id, value } | { type: 'failed', id, error }
 * Kinds: 'op' (a batch of OpCases for gpuOps[op]) and the named jobs of src/gpu/isolateJobs.ts.
 * When the child dies during an op batch, the batch is bisected in fresh children to name the case.
 * By default the child runs jobs one after another and a dead child is replaced by the next call;
 * `refsim stress` opens it with IsolationOptions instead: jobs start as they arrive (several
 * submissions in flight on one device, as in a thread that owns it) and a crash stays visible
 * until the caller restarts the child itself.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { RefsimError } from '../errors.ts';
import type { OpCase, OpName } from '../ops/types.ts';
import type { Tensor } from '../reference/tensor.ts';
import { entryPath, loaderArgs } from '../util/entry.ts';
import { GpuCrashError, GpuDeviceLostError, GpuLimitError, GpuTimeoutError, GpuValidationError, type GpuWhere, NoAdapterError } from './errors.ts';
import { filterNativeNoise } from './nativeNoise.ts';
import { gpuTimeoutMs } from './runtime.ts';
import type { AdapterReport, OpenGpuOptions } from './types.ts';

export interface SerializedError {
  readonly name: string;
  readonly code: string | null;
  readonly message: string;
  readonly where: GpuWhere | null;
  readonly kind?: string;
  readonly reason?: string;
  readonly backend?: string;
  readonly adapterFilter?: string | null;
  readonly limit?: { readonly name: string; readonly bytes: number; readonly what: string; readonly needed: number };
}

export type ChildMessage =
  | { readonly type: 'ready'; readonly adapter: AdapterReport }
  | { readonly type: 'result'; readonly id: number; readonly value: unknown }
  | { readonly type: 'failed'; readonly id?: number; readonly error: SerializedError };

export type ParentMessage =
  | { readonly type: 'open'; readonly options: OpenGpuOptions; readonly concurrent?: boolean }
  | { readonly type: 'job'; readonly id: number; readonly kind: string; readonly op: string; readonly payload: unknown }
  | { readonly type: 'close' };

/** Rebuilds the typed error a child reported. */
export function reviveError(e: SerializedError): Error {
  const where = e.where ?? { op: 'gpu', caseIndex: null };
  const detail = e.message.replace(/^[^:]*: /, '');
  switch (e.name) {
    case 'NoAdapterError':
      return Object.assign(new NoAdapterError(e.backend ?? 'default', e.adapterFilter ?? null, ''), { message: e.message });
    case 'GpuValidationError':
      return Object.assign(new GpuValidationError(where, (e.kind ?? 'validation') as GpuValidationError['kind'], detail), { message: e.message });
    case 'GpuDeviceLostError':
      return Object.assign(new GpuDeviceLostError(where, e.reason ?? 'unknown', detail), { message: e.message });
    case 'GpuTimeoutError':
      return Object.assign(new GpuTimeoutError(where, 0, ''), { message: e.message });
    case 'GpuLimitError':
      if (e.limit !== undefined) return new GpuLimitError(where, e.limit.name, e.limit.bytes, e.limit.what, e.limit.needed);
      return new RefsimError(e.code ?? 'E_GPU_LIMIT', e.message);
    case 'InputRangeError':
    case 'RangeError':
      return new RangeError(e.message);
    default:
      return new RefsimError(e.code ?? 'E_GPU_WORKER', e.message);
  }
}

export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { name: 'Error', code: null, message: String(e), where: null };
  const r = e as Error & Partial<{ code: string; where: GpuWhere; kind: string; reason: string; backend: string; adapterFilter: string | null }>;
  return {
    name: e.name,
    code: r.code ?? null,
    message: e.message,
    where: r.where ?? null,
    ...(r.kind === undefined ? {} : { kind: r.kind }),
    ...(r.reason === undefined ? {} : { reason: r.reason }),
    ...(r.backend === undefined ? {} : { backend: r.backend }),
    ...(r.adapterFilter === undefined ? {} : { adapterFilter: r.adapterFilter }),
    ...(e instanceof GpuLimitError ? { limit: { name: e.limit, bytes: e.limitBytes, what: e.what, needed: e.neededBytes } } : {}),
  };
}

const childEntry = entryPath('./isolateChild.ts', import.meta.url);

/** How the child runs jobs and what happens after it dies (defaults: `refsim diff`'s behaviour). */
export interface IsolationOptions {
  /** Start every job as it arrives instead of one after another. */
  readonly concurrent?: boolean;
  /** false: after a crash every call fails with the crash until restart() (no silent new child). */
  readonly restartOnCrash?: boolean;
}

class CrashSignal {
  constructor(
    readonly signal: string | null,
    readonly exitCode: number | null,
    readonly stderrTail: string,
  ) {}
}

/** One child process holding one device. */
class Worker {
  private readonly child: ChildProcess;
  private stderr = '';
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  private exited: CrashSignal | null = null;
  private readyWaiter: { resolve(a: AdapterReport): void; reject(e: unknown): void } | null = null;
  adapter: AdapterReport | null = null;

  constructor(
    private readonly options: OpenGpuOptions,
    private readonly concurrent: boolean,
  ) {
    this.child = fork(childEntry, [], {
      // From the sources the child is TypeScript and runs through tsx; compiled, it is plain JavaScript.
      execArgv: loaderArgs(childEntry),
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: process.env,
    });
    this.child.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
      if (process.env['REFSIM_GPU_DEBUG']) process.stderr.write(d);
    });
    this.child.on('message', (m: ChildMessage) => this.onMessage(m));
    this.child.on('exit', (code, signal) => {
      this.exited = new CrashSignal(signal, code, filterNativeNoise(this.stderr));
      for (const p of this.pending.values()) p.reject(this.exited);
      this.pending.clear();
      this.readyWaiter?.reject(this.exited);
      this.readyWaiter = null;
    });
    // The child must never keep the parent alive on its own (e.g. a test forgetting close()).
    this.child.unref();
    (this.child as unknown as { channel?: { unref(): void } }).channel?.unref();
  }

  private onMessage(m: ChildMessage): void {
    if (m.type === 'ready') {
      this.adapter = m.adapter;
      this.readyWaiter?.resolve(m.adapter);
      this.readyWaiter = null;
    } else if (m.type === 'failed' && m.id === undefined) {
      this.readyWaiter?.reject(reviveError(m.error));
      this.readyWaiter = null;
    } else if (m.id !== undefined) {
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      this.pending.delete(m.id);
      if (m.type === 'result') p.resolve(m.value);
      else if (m.type === 'failed') p.reject(reviveError(m.error));
    }
  }

  open(): Promise<AdapterReport> {
    return this.withTimeout({ op: 'open', caseIndex: null }, new Promise<AdapterReport>((resolve, reject) => {
      if (this.exited !== null) return reject(this.exited);
      this.readyWaiter = { resolve, reject };
      this.child.send({ type: 'open', options: this.options, concurrent: this.concurrent } satisfies ParentMessage);
    }));
  }

  run(kind: string, op: string, payload: unknown, where: GpuWhere): Promise<unknown> {
    return this.withTimeout(where, new Promise((resolve, reject) => {
      if (this.exited !== null) return reject(this.exited);
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.child.send({ type: 'job', id, kind, op, payload } satisfies ParentMessage);
    }));
  }

  /** A job that outlives the GPU timeout (plus start-up slack) kills the child: a hang becomes an error. */
  private async withTimeout<T>(where: GpuWhere, p: Promise<T>): Promise<T> {
    const ms = gpuTimeoutMs() + 30_000;
    let timer: NodeJS.Timeout | undefined;
    const t = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.kill();
        reject(new GpuTimeoutError(where, ms, 'isolated job'));
      }, ms);
    });
    try {
      return await Promise.race([p, t]);
    } finally {
      clearTimeout(timer);
    }
  }

  get alive(): boolean {
    return this.exited === null;
  }

  /** How the child ended, once it has. */
  get exit(): CrashSignal | null {
    return this.exited;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  kill(): void {
    if (this.exited === null) this.child.kill('SIGKILL');
  }

  async close(): Promise<void> {
    if (this.exited !== null) return;
    const done = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'close' } satisfies ParentMessage);
    const timer = setTimeout(() => this.kill(), 10_000);
    await done;
    clearTimeout(timer);
  }
}

/** A GPU device living in a child process; jobs are sent to it and crashes come back as GpuCrashError. */
export class IsolatedGpu {
  private worker: Worker;
  private children = 1;
  private constructor(
    private readonly options: OpenGpuOptions,
    private readonly isolation: IsolationOptions,
    worker: Worker,
    readonly adapter: AdapterReport,
  ) {
    this.worker = worker;
  }

  static async open(options: OpenGpuOptions = {}, isolation: IsolationOptions = {}): Promise<IsolatedGpu> {
    const w = await IsolatedGpu.start(options, isolation);
    return new IsolatedGpu(options, isolation, w, w.adapter!);
  }

  private static async start(options: OpenGpuOptions, isolation: IsolationOptions): Promise<Worker> {
    const w = new Worker(options, isolation.concurrent === true);
    try {
      await w.open();
      return w;
    } catch (e) {
      w.kill();
      if (e instanceof CrashSignal) throw new GpuCrashError({ op: 'open', caseIndex: null }, e.signal, e.exitCode, e.stderrTail);
      throw e;
    }
  }

  /** Process id of the current child (to end it from outside when its user is gone). */
  get pid(): number | undefined {
    return this.worker.pid;
  }

  /** Children started so far (1 + restarts): tells a crash of this child from one of an earlier one. */
  get generation(): number {
    return this.children;
  }

  get alive(): boolean {
    return this.worker.alive;
  }

  /** Replaces a dead child by a fresh one with a new device (kills a live one first). */
  async restart(): Promise<void> {
    this.worker.kill();
    this.worker = await IsolatedGpu.start(this.options, this.isolation);
    this.children++;
  }

  private async freshWorker(where: GpuWhere): Promise<Worker> {
    const exit = this.worker.exit;
    if (exit !== null) {
      if (this.isolation.restartOnCrash === false) throw new GpuCrashError(where, exit.signal, exit.exitCode, exit.stderrTail);
      await this.restart();
    }
    return this.worker;
  }

  /** Runs a named job (see isolateJobs.ts); a crash is reported with `where`. */
  async job<T>(kind: string, payload: unknown, where: GpuWhere = { op: kind, caseIndex: null }): Promise<T> {
    const w = await this.freshWorker(where);
    try {
      return (await w.run(kind, where.op, payload, where)) as T;
    } catch (e) {
      if (e instanceof CrashSignal) throw new GpuCrashError(where, e.signal, e.exitCode, e.stderrTail);
      throw e;
    }
  }

  /** gpuOps[op].runBatch in the child. On a crash the batch is bisected to name the crashing case. */
  async runBatch(op: OpName, cases: readonly OpCase[]): Promise<Tensor[]> {
    return this.runRange(op, cases, 0);
  }

  private async runRange(op: OpName, cases: readonly OpCase[], base: number): Promise<Tensor[]> {
    const w = await this.freshWorker({ op, caseIndex: null });
    try {
      return (await w.run('op', op, cases, { op, caseIndex: cases.length === 1 ? base : null })) as Tensor[];
    } catch (e) {
      if (!(e instanceof CrashSignal)) throw e;
      if (cases.length === 1) throw new GpuCrashError({ op, caseIndex: base }, e.signal, e.exitCode, e.stderrTail);
      const half = Math.ceil(cases.length / 2);
      const first = await this.runRange(op, cases.slice(0, half), base);
      const second = await this.runRange(op, cases.slice(half), base + half);
      // Both halves ran alone: the crash needs the whole batch together; report the batch.
      void first;
      void second;
      throw new GpuCrashError({ op, caseIndex: null }, e.signal, e.exitCode, `${e.stderrTail}\n(cases ${base}..${base + cases.length - 1} crash only together)`);
    }
  }

  async close(): Promise<void> {
    await this.worker.close();
  }
}
