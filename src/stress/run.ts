/**
 * The stress supervisor (main thread). It starts the threads, hands every worker the shared
 * event counter and progress board, releases them together, watches them (a worker whose board
 * entry stops moving for timeoutMs is hung: it is terminated and reported), collects wrong
 * results, crashes, native crashes of device processes and device losses with their thread and op
 * index, saves every failing op's inputs as a fixture, checks the event ids for uniqueness, and
 * returns one report. It never touches a GPU itself, so a stuck device cannot stall the watchdog,
 * and with process isolation (the default) no device lives in this process at all, so a native
 * crash of one cannot end the run.
 */
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { InputRangeError, RefsimError } from '../errors.ts';
import { EXACT_ACCURACY, type Accuracy } from '../ops/types.ts';
import { EventCounter } from '../mps/events/counter.ts';
import type { Profile } from '../reference/tensor.ts';
import type { AdapterReport } from '../gpu/types.ts';
import { entryUrl, threadBootUrl } from '../util/entry.ts';
import { ProgressBoard } from './board.ts';
import { inputIndex } from './blockCase.ts';
import { type MeasuredArithmetic, probeArithmetic, WGSL_SPEC_ACCURACY } from './accuracy.ts';
import { CrashLog, crashSummary } from './crashes.ts';
import { checkIds } from './deps.ts';
import { FAKE_ADAPTER, saveOpInputs, saveStressFixture, type StressFixtureInput } from './fixtures.ts';
import type {
  IdCheck, Isolation, MainToWorker, OnCrash, OwnerConfig, OwnerToMain, ProgressSnapshot, StressFailure, StressOptions, StressReport, ThreadReport, WorkerConfig,
  WorkerToMain,
} from './types.ts';

export const STRESS_LABEL = 'DepthwiseConv+GroupNorm';
export const MAX_THREADS = 64;
export const MAX_OPS = 10_000_000;
/** Starting a thread, loading Dawn and opening a device may take this long before a worker counts as hung. */
const STARTUP_TIMEOUT_MS = 120_000;
/** How long terminate() may take before a worker is left behind (e.g. stuck inside a native call). */
const TERMINATE_WAIT_MS = 5_000;

const workerEntry = entryUrl('./worker.ts', import.meta.url).href;
const ownerEntry = entryUrl('./owner.ts', import.meta.url).href;

export function validateStressOptions(o: StressOptions): void {
  const int = (v: number, lo: number, hi: number, param: string): void => {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new InputRangeError(param, `an integer in [${lo}, ${hi}]`, v);
  };
  int(o.threads, 1, MAX_THREADS, 'threads');
  int(o.ops, 1, MAX_OPS, 'ops');
  int(o.timeoutMs, 1, 3_600_000, 'timeout-ms');
  int(o.depth, 1, 64, 'depth');
  int(o.batch, 1, 4096, 'batch');
  if (o.distinct !== null) int(o.distinct, 1, MAX_OPS, 'distinct');
  int(o.seed, 0, 2 ** 32 - 1, 'seed');
  for (const f of o.faults) if (f.thread >= o.threads) throw new InputRangeError('REFSIM_STRESS_FAULT thread', `below --threads (${o.threads})`, f.thread);
  if (o.engine === 'fake' && o.faults.some((f) => f.kind === 'segv')) {
    throw new InputRangeError('REFSIM_STRESS_FAULT', 'free of segv with the fake engine (it has no device process)', 'segv');
  }
}

/** Ops of each thread: as even as possible, the first threads take the remainder. */
export function splitOps(ops: number, threads: number): number[] {
  return Array.from({ length: threads }, (_, t) => Math.floor(ops / threads) + (t < ops % threads ? 1 : 0));
}

interface Slot {
  readonly thread: number;
  readonly worker: Worker;
  readonly report: ThreadReport;
  phase: 'starting' | 'ready' | 'running' | 'restarting' | 'settled';
  gotDone: boolean;
  terminatedByUs: boolean;
  crashMessage: string | null;
  /** The process holding this thread's own device (process isolation, separate mode). */
  gpuPid: number | null;
  progressKey: string;
  lastChange: number;
  /** Resolves when the worker has exited or has been declared hung. */
  settled: Promise<void>;
  settle: () => void;
  readyOrFailed: Promise<void>;
  markReady: () => void;
}

function firstLine(e: unknown): string {
  const m = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return m.split('\n')[0] ?? m;
}

async function terminateWithin(w: Worker, ms: number): Promise<boolean> {
  const ok = await withTimeout(w.terminate(), ms);
  if (!ok) w.unref();
  return ok;
}

/** Ends a device process whose thread is gone (terminated as hung); it may have ended already. */
function killProcess(pid: number | null): void {
  if (pid === null) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export interface StressHooks {
  /**
   * Called when the board changes (looked at every PROGRESS_MS once the threads run), so a soak's
   * parent knows what was in flight if this process dies.
   */
  readonly progress?: (p: ProgressSnapshot) => void;
}

export const PROGRESS_MS = 5;

export async function runStress(o: StressOptions, hooks: StressHooks = {}): Promise<StressReport> {
  validateStressOptions(o);
  return new StressRun(o, hooks).run();
}

/** Where the verdicts' profile and accuracy come from; `probing` is set when the GPU probe must measure them. */
function judgement(o: StressOptions): { profile: Profile; accuracy: Accuracy; source: string; probing: Promise<MeasuredArithmetic> | null } {
  if (o.engine === 'fake') {
    // The fake engine is the reference itself: exact by construction.
    return { profile: o.profile ?? 'strict', accuracy: o.accuracy ?? EXACT_ACCURACY, source: o.accuracySource ?? 'fake engine (exact)', probing: null };
  }
  if (o.profile !== undefined) {
    const source = o.accuracySource ?? (o.accuracy === undefined ? 'WGSL specification limits' : 'given');
    return { profile: o.profile, accuracy: o.accuracy ?? WGSL_SPEC_ACCURACY, source, probing: null };
  }
  const probing = probeArithmetic({ ...(o.backend === undefined ? {} : { backend: o.backend }), ...(o.adapter === undefined ? {} : { adapter: o.adapter }) });
  probing.catch(() => undefined); // awaited once the threads are up
  return { profile: 'strict', accuracy: EXACT_ACCURACY, source: o.accuracy === undefined ? 'GPU probe' : 'profile from the GPU probe, accuracy given', probing };
}

class StressRun {
  private readonly isolation: Isolation;
  private readonly onCrash: OnCrash;
  private profile: Profile;
  private accuracy: Accuracy;
  private readonly accuracySource: string;
  private readonly probing: Promise<MeasuredArithmetic> | null;
  private readonly plan: number[];
  private readonly counter = new EventCounter({ variant: 'seed' });
  private readonly board: ProgressBoard;
  private readonly crashes: CrashLog;
  private readonly failures: StressFailure[] = [];
  private readonly pendingFixtures: Array<() => void> = [];
  private readonly startupCodes = new Set<string>();
  private adapter: AdapterReport | null = null;
  private owner: Worker | null = null;
  private ownerRestarting = false;
  private slots: Slot[] = [];
  /** The common start (epoch ms), set when every worker is ready. */
  private t0 = Number.NaN;
  private readonly startWall = performance.now();

  constructor(
    private readonly o: StressOptions,
    private readonly hooks: StressHooks,
  ) {
    this.isolation = o.isolation ?? 'process';
    this.onCrash = o.onCrash ?? 'continue';
    const j = judgement(o);
    this.profile = j.profile;
    this.accuracy = j.accuracy;
    this.accuracySource = j.source;
    this.probing = j.probing;
    this.plan = splitOps(o.ops, o.threads);
    this.board = new ProgressBoard(o.threads, Math.max(...this.plan));
    this.crashes = new CrashLog(o.seed, this.board);
  }

  private sinceStart(): number {
    return Number.isNaN(this.t0) ? 0 : (performance.timeOrigin + performance.now() - this.t0) / 1000;
  }

  async run(): Promise<StressReport> {
    const o = this.o;
    const workerPorts: (MessagePort | undefined)[] = [];
    if (o.mode === 'shared') {
      const ownerPorts: MessagePort[] = [];
      for (let t = 0; t < o.threads; t++) {
        const ch = new MessageChannel();
        ownerPorts.push(ch.port1);
        workerPorts.push(ch.port2);
      }
      const failed = await this.startOwner(ownerPorts);
      if (failed !== null) {
        return this.report(this.plan.map((planned, thread) => emptyThread(thread, planned, 'startup-failed')), [
          { thread: -1, op: null, id: null, kind: 'startup', message: `shared device owner: ${failed}`, fixture: null },
        ], { seconds: 0, startupSeconds: (performance.now() - this.startWall) / 1000, teardownSeconds: 0 });
      }
    }
    this.slots = this.plan.map((planned, thread) => this.startWorker(thread, planned, workerPorts[thread]));
    await Promise.all(this.slots.map((s) => s.readyOrFailed));
    await this.checkStartup();
    this.t0 = performance.timeOrigin + performance.now();
    const startupSeconds = (performance.now() - this.startWall) / 1000;
    for (const s of this.slots) {
      if (s.phase === 'ready') {
        s.phase = 'running';
        s.lastChange = performance.now();
        s.worker.postMessage({ type: 'go', t0: this.t0, profile: this.profile, accuracy: this.accuracy } satisfies MainToWorker);
      }
    }
    const watchdog = this.startWatchdog();
    const progress = this.hooks.progress;
    let seen = '';
    const reporter = progress === undefined ? null : setInterval(() => {
      const key = this.slots.map((s) => `${this.board.started(s.thread)}/${this.board.finished(s.thread)}`).join(' ');
      if (key === seen) return;
      seen = key;
      progress(this.snapshot());
    }, PROGRESS_MS);
    // A hung worker may never emit 'exit' in time: wait for exits or hang verdicts.
    await Promise.all(this.slots.map((s) => s.settled));
    clearInterval(watchdog);
    if (reporter !== null) clearInterval(reporter);
    // The run's time ends when the last thread has verified its last op (each thread measures that
    // before closing its device): closing devices is not counted, like opening them. A thread that
    // never reported its end (crashed, hung) ends the run when it ended.
    const ended = this.sinceStart();
    const seconds = this.slots.every((s) => s.gotDone) ? Math.min(ended, Math.max(0, ...this.slots.map((s) => s.report.seconds))) : ended;
    await this.stopOwner();
    const teardownSeconds = this.sinceStart() - seconds;
    for (const save of this.pendingFixtures) save();
    for (const s of this.slots) {
      // Every count comes from the board, so a crashed or hung thread's finished ops count too.
      s.report.completed = this.board.finished(s.thread);
      s.report.passed = this.board.passed(s.thread);
      s.report.verdicts = this.board.verdicts(s.thread);
    }
    return this.report(this.slots.map((s) => s.report), [...this.failures, ...this.crashes.failures()], { seconds, startupSeconds, teardownSeconds });
  }

  /** Starts the shared device's owner; returns why it failed, or null once it is ready. */
  private async startOwner(ports: MessagePort[]): Promise<string | null> {
    const o = this.o;
    const ocfg: OwnerConfig & { entry: string } = {
      entry: ownerEntry, engine: o.engine, fakeProfile: this.profile, ports, shape: o.shape, seed: o.seed, batch: o.batch,
      isolation: this.isolation, onCrash: this.onCrash,
      ...(o.backend === undefined ? {} : { backend: o.backend }), ...(o.adapter === undefined ? {} : { adapter: o.adapter }),
    };
    const w = new Worker(threadBootUrl, { workerData: ocfg, transferList: [...ports] });
    this.owner = w;
    const started = await new Promise<OwnerToMain | { type: 'crashed'; message: string }>((resolve) => {
      const timer = setTimeout(() => resolve({ type: 'crashed', message: `device owner not ready within ${STARTUP_TIMEOUT_MS} ms` }), STARTUP_TIMEOUT_MS);
      w.once('message', (m: OwnerToMain) => { clearTimeout(timer); resolve(m); });
      w.once('error', (e) => { clearTimeout(timer); resolve({ type: 'crashed', message: firstLine(e) }); });
    });
    if (started.type !== 'ready') {
      await terminateWithin(w, TERMINATE_WAIT_MS);
      if (started.type === 'startup-failed' && started.code === 'E_NO_ADAPTER') throw new RefsimError('E_NO_ADAPTER', started.message);
      return started.type === 'startup-failed' || started.type === 'crashed' ? started.message : 'device owner failed';
    }
    this.adapter = started.adapter;
    w.on('message', (m: OwnerToMain) => this.onOwnerMessage(m));
    // An owner that dies mid-run is a failure of its own; the workers see their ops' device lost.
    w.on('error', (e) => this.failures.push({ thread: -1, op: null, id: null, kind: 'crash', message: `shared device owner: ${firstLine(e)}`, fixture: null }));
    return null;
  }

  private onOwnerMessage(m: OwnerToMain): void {
    switch (m.type) {
      case 'device-lost':
        process.stderr.write(`refsim stress: shared device lost: ${m.message}\n`);
        return;
      case 'native-crash':
        this.crashes.note(null, m.crash, [], m.stopping);
        return;
      case 'restarting':
        this.ownerRestarting = true;
        return;
      case 'restarted':
        this.ownerRestarting = false;
        for (const s of this.slots) s.lastChange = performance.now();
        return;
      case 'restart-failed': {
        this.ownerRestarting = false;
        const c = this.crashes.latest(null);
        if (c !== undefined) c.outcome = 'restart-failed';
        process.stderr.write(`refsim stress: shared device process did not restart: ${m.message}\n`);
        return;
      }
      default:
        return;
    }
  }

  private async stopOwner(): Promise<void> {
    const w = this.owner;
    if (w === null) return;
    w.postMessage({ type: 'stop' });
    // The owner closes its device and exits by itself; terminate() covers one that does not.
    await withTimeout(new Promise((r) => w.once('exit', r)), TERMINATE_WAIT_MS + 10_000);
    await terminateWithin(w, TERMINATE_WAIT_MS);
  }

  private startWorker(thread: number, planned: number, port: MessagePort | undefined): Slot {
    const o = this.o;
    const wcfg: WorkerConfig & { entry: string } = {
      entry: workerEntry, thread, ops: planned, seed: o.seed, shape: o.shape, mode: o.mode, engine: o.engine,
      fakeProfile: this.profile, counter: this.counter.handle, board: this.board.buffer, threads: o.threads, opsPerThreadMax: this.board.opsPerThread,
      faults: o.faults, batch: o.batch, distinct: o.distinct, depth: o.depth, isolation: this.isolation, onCrash: this.onCrash,
      ...(o.backend === undefined ? {} : { backend: o.backend }), ...(o.adapter === undefined ? {} : { adapter: o.adapter }),
      ...(port === undefined ? {} : { ownerPort: port }),
    };
    const worker = new Worker(threadBootUrl, { workerData: wcfg, transferList: port === undefined ? [] : [port] });
    const slot: Slot = {
      thread, worker, report: emptyThread(thread, planned, 'done'), phase: 'starting', gotDone: false, terminatedByUs: false,
      crashMessage: null, gpuPid: null, progressKey: '', lastChange: performance.now(),
      settled: Promise.resolve(), settle: () => undefined, readyOrFailed: Promise.resolve(), markReady: () => undefined,
    };
    slot.settled = new Promise<void>((r) => { slot.settle = r; });
    slot.readyOrFailed = new Promise<void>((r) => { slot.markReady = r; });
    worker.on('message', (m: WorkerToMain) => this.onWorkerMessage(slot, m));
    worker.on('error', (e) => {
      slot.crashMessage = firstLine(e);
      slot.markReady();
    });
    worker.on('exit', (code) => {
      this.onWorkerExit(slot, code);
      slot.markReady();
      slot.settle();
    });
    return slot;
  }

  private onWorkerMessage(slot: Slot, m: WorkerToMain): void {
    const t = slot.thread;
    switch (m.type) {
      case 'ready':
        this.adapter ??= m.adapter;
        slot.gpuPid = m.pid;
        slot.phase = 'ready';
        slot.markReady();
        return;
      case 'startup-failed':
        slot.report.state = 'startup-failed';
        slot.report.errors++;
        this.failures.push({ thread: t, op: null, id: null, kind: 'startup', message: m.message, fixture: null });
        this.startupCodes.add(m.code ?? 'unknown');
        slot.markReady();
        return;
      case 'wrong': {
        slot.report.errors++;
        const failure: StressFailure = {
          thread: t, op: m.op, id: m.id, kind: 'wrong',
          message: m.message, fixture: null, elements: m.elements, outputShape: m.outputShape,
        };
        this.failures.push(failure);
        this.pendingFixtures.push(() => {
          failure.fixture = saveStressFixture(this.o.fixtureDir, { ...this.fixtureMeta(), c: m.c, thread: t, op: m.op, input: inputIndex(m.op, this.o.distinct), violations: m.violations, elements: m.elements });
        });
        return;
      }
      case 'device-lost':
        slot.report.state = 'device-lost';
        slot.report.errors++;
        this.addFixtureFailure(t, m.op, m.id, 'device-lost', m.message);
        return;
      case 'native-crash': {
        slot.report.errors++;
        if (m.stopping) slot.report.state = 'native-crash';
        const crash = this.crashes.note(this.o.mode === 'shared' ? null : t, m.crash, m.inFlight.map((f) => ({ ...f, thread: t })), m.stopping);
        for (const f of crash.inFlight) {
          if (f.thread !== t || !m.inFlight.some((x) => x.op === f.op)) continue;
          this.pendingFixtures.push(() => {
            f.fixture = this.saveInputs(f.thread, f.op);
          });
        }
        return;
      }
      case 'restarting':
        slot.phase = 'restarting';
        return;
      case 'restarted':
        slot.phase = 'running';
        slot.lastChange = performance.now();
        slot.report.restarts++;
        if (this.o.mode === 'separate') slot.gpuPid = m.pid;
        return;
      case 'restart-failed': {
        slot.phase = 'running';
        slot.report.state = 'native-crash';
        const c = this.crashes.latest(this.o.mode === 'shared' ? null : t);
        if (c !== undefined) c.outcome = 'restart-failed';
        this.failures.push({ thread: t, op: null, id: null, kind: 'startup', message: `no fresh device process after a native crash: ${m.message}`, fixture: null });
        return;
      }
      case 'done':
        slot.gotDone = true;
        slot.report.seconds = m.seconds;
        return;
    }
  }

  private saveInputs(thread: number, op: number): string {
    return saveOpInputs(this.o, this.fixtureMeta(), thread, op);
  }

  private addFixtureFailure(thread: number, op: number | null, id: string | null, kind: 'crash' | 'hang' | 'device-lost', message: string): void {
    const failure: StressFailure = { thread, op, id, kind, message, fixture: null };
    this.failures.push(failure);
    if (op !== null) this.pendingFixtures.push(() => { failure.fixture = this.saveInputs(thread, op); });
  }

  private fixtureMeta(): Pick<StressFixtureInput, 'seed' | 'adapter' | 'profile' | 'accuracy'> {
    return { seed: this.o.seed, adapter: this.adapter ?? FAKE_ADAPTER, profile: this.profile, accuracy: this.accuracy };
  }

  private progressOf(t: number): { op: number | null; id: string | null } {
    const op = this.board.active(t);
    const id = op === null ? null : this.board.id(t, op);
    return { op, id: id === null ? null : String(id) };
  }

  private onWorkerExit(slot: Slot, code: number): void {
    slot.phase = 'settled';
    if (slot.terminatedByUs || slot.report.state === 'startup-failed') return;
    if (slot.crashMessage !== null || !slot.gotDone) {
      const { op, id } = this.progressOf(slot.thread);
      slot.report.state = 'crashed';
      slot.report.errors++;
      slot.report.seconds = this.sinceStart();
      this.addFixtureFailure(slot.thread, op, id, 'crash', slot.crashMessage ?? `worker exited with code ${code} before finishing`);
    }
  }

  /** No adapter anywhere is the machine's problem, not a stress failure: one clear error. Then the probe's verdict. */
  private async checkStartup(): Promise<void> {
    const abandon = async (e: unknown): Promise<never> => {
      await Promise.all([
        ...this.slots.map((s) => terminateWithin(s.worker, TERMINATE_WAIT_MS)),
        ...(this.owner === null ? [] : [terminateWithin(this.owner, TERMINATE_WAIT_MS)]),
      ]);
      throw e;
    };
    const startup = this.failures.filter((f) => f.kind === 'startup');
    if (startup.length === this.o.threads && this.startupCodes.size === 1 && this.startupCodes.has('E_NO_ADAPTER')) {
      await abandon(new RefsimError('E_NO_ADAPTER', startup[0]!.message));
    }
    if (this.probing !== null) {
      try {
        const m = await this.probing;
        this.profile = m.profile;
        this.accuracy = this.o.accuracy ?? m.accuracy;
      } catch (e) {
        await abandon(e);
      }
    }
  }

  /**
   * A running worker whose board entry does not move for timeoutMs is hung: terminated (with its
   * device process) and reported. Threads waiting for a fresh device process after a native crash
   * are not watched until it is up.
   */
  private startWatchdog(): NodeJS.Timeout {
    const { board, o } = this;
    const tick = Math.max(5, Math.min(250, Math.floor(o.timeoutMs / 4)));
    return setInterval(() => {
      const now = performance.now();
      for (const s of this.slots) {
        if (s.phase !== 'running' || this.ownerRestarting) {
          s.lastChange = now;
          continue;
        }
        const key = `${board.started(s.thread)}/${board.finished(s.thread)}/${board.active(s.thread)}`;
        if (key !== s.progressKey) {
          s.progressKey = key;
          s.lastChange = now;
          continue;
        }
        if (now - s.lastChange > o.timeoutMs) this.declareHung(s);
      }
    }, tick);
  }

  private declareHung(s: Slot): void {
    s.phase = 'settled';
    s.terminatedByUs = true;
    s.report.state = 'hung';
    s.report.errors++;
    s.report.seconds = this.sinceStart();
    s.settle();
    const { op, id } = this.progressOf(s.thread);
    this.addFixtureFailure(s.thread, op, id, 'hang', `no progress for ${this.o.timeoutMs} ms${op === null ? ' before its first op' : ''}; thread terminated`);
    void terminateWithin(s.worker, TERMINATE_WAIT_MS).then((ok) => {
      killProcess(s.gpuPid);
      if (!ok) process.stderr.write(`refsim stress: thread ${s.thread} did not terminate within ${TERMINATE_WAIT_MS} ms; left behind\n`);
    });
  }

  private snapshot(): ProgressSnapshot {
    const b = this.board;
    return {
      adapter: this.adapter, seconds: this.sinceStart(),
      threads: this.slots.map((s) => {
        const started = b.started(s.thread);
        const finished = b.finished(s.thread);
        const inFlight: { op: number; id: string }[] = [];
        for (let op = finished; op < started; op++) inFlight.push({ op, id: String(b.id(s.thread, op) ?? 0n) });
        const lastId = started === 0 ? null : b.id(s.thread, started - 1);
        return { started, finished, passed: b.passed(s.thread), lastId: lastId === null ? null : String(lastId), inFlight };
      }),
    };
  }

  private report(perThread: ThreadReport[], failures: StressFailure[], times: RunTimes): StressReport {
    return finalReport(this.o, {
      isolation: this.isolation, onCrash: this.onCrash, profile: this.profile, accuracy: this.accuracy, accuracySource: this.accuracySource, adapter: this.adapter,
    }, perThread, failures, this.board, times);
  }
}

function emptyThread(thread: number, planned: number, state: ThreadReport['state']): ThreadReport {
  return { thread, planned, completed: 0, passed: 0, errors: 0, verdicts: { exact: 0, withinBound: 0, violation: 0 }, seconds: 0, state, restarts: 0 };
}

/** Waits for `p` at most `ms` (the timer never keeps the process alive afterwards). */
async function withTimeout(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((r) => { timer = setTimeout(() => r(false), ms); });
  const ok = await Promise.race([p.then(() => true as const), late]);
  clearTimeout(timer);
  return ok;
}

/**
 * The counter's own checker over every id the run took, one chunk per thread in op order: the ids
 * must be exactly 1..N (no duplicate, none missing, none outside, no sentinel 0), each thread's
 * increasing.
 */
export function idCheck(board: ProgressBoard): IdCheck {
  const chunks = Array.from({ length: board.threads }, (_, t) => board.threadIds(t));
  const r = checkIds(chunks, { start: 0n, width: 64 });
  return {
    taken: r.total, unique: r.total - r.duplicates - r.unexpected, duplicates: r.duplicateSamples.map(String),
    missing: r.missing, unexpected: r.unexpected, zero: r.sentinelHits, orderViolations: r.orderViolations,
    min: r.min === null ? null : String(r.min), max: r.max === null ? null : String(r.max), ok: r.ok,
  };
}

type RunMeta = Pick<StressReport, 'isolation' | 'onCrash' | 'profile' | 'accuracy' | 'accuracySource' | 'adapter'>;
type RunTimes = Pick<StressReport, 'seconds' | 'startupSeconds' | 'teardownSeconds'>;

function finalReport(
  o: StressOptions, meta: RunMeta, perThread: ThreadReport[], failures: StressFailure[], board: ProgressBoard, times: RunTimes,
): StressReport {
  const passed = perThread.reduce((a, t) => a + t.passed, 0);
  const completed = perThread.reduce((a, t) => a + t.completed, 0);
  const errors = failures.length;
  const ids = idCheck(board);
  failures.sort((a, b) => a.thread - b.thread || (a.op ?? -1) - (b.op ?? -1));
  const crashes = failures.flatMap((f) => (f.crash === undefined ? [] : [f.crash]));
  return {
    label: STRESS_LABEL, mode: o.mode, engine: o.engine, threads: o.threads, ops: o.ops, shape: o.shape, seed: o.seed, batch: o.batch, distinct: o.distinct, depth: o.depth,
    ...meta, passed, completed, errors, ...times, perThread, failures, ids,
    ok: errors === 0 && passed === o.ops && ids.ok, crashSummary: crashSummary(crashes),
  };
}
