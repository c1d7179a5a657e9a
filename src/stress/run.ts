/**
 * The stress supervisor (main thread). It starts the threads, hands every worker the shared
 * event counter and progress board, releases them together, watches them (a worker whose board
 * entry stops moving for timeoutMs is hung: it is terminated and reported), collects wrong
 * results, crashes and device losses with their thread and op index, saves every failing op's
 * inputs as a fixture, checks the event ids for uniqueness, and returns one report. It never
 * touches a GPU itself, so a stuck device cannot stall the watchdog.
 */
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { InputRangeError, RefsimError } from '../errors.ts';
import { EXACT_ACCURACY, type Accuracy } from '../ops/types.ts';
import { EventCounter } from '../reference/eventCounter.ts';
import type { Profile } from '../reference/tensor.ts';
import type { AdapterReport } from '../gpu/types.ts';
import { ProgressBoard } from './board.ts';
import { inputIndex, makeBlockCase } from './blockCase.ts';
import { type MeasuredArithmetic, probeArithmetic, WGSL_SPEC_ACCURACY } from './accuracy.ts';
import { checkIds } from './deps.ts';
import { FAKE_ADAPTER, saveStressFixture, type StressFixtureInput } from './fixtures.ts';
import type {
  IdCheck, MainToWorker, OwnerConfig, OwnerToMain, StressFailure, StressOptions, StressReport, ThreadReport, WorkerConfig, WorkerToMain,
} from './types.ts';

export const STRESS_LABEL = 'DepthwiseConv+GroupNorm';
export const MAX_THREADS = 64;
export const MAX_OPS = 10_000_000;
/** Starting a thread, loading Dawn and opening a device may take this long before a worker counts as hung. */
const STARTUP_TIMEOUT_MS = 120_000;
/** How long terminate() may take before a worker is left behind (e.g. stuck inside a native call). */
const TERMINATE_WAIT_MS = 5_000;

const bootUrl = new URL('./boot.js', import.meta.url);
const workerEntry = new URL('./worker.ts', import.meta.url).href;
const ownerEntry = new URL('./owner.ts', import.meta.url).href;

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
}

/** Ops of each thread: as even as possible, the first threads take the remainder. */
export function splitOps(ops: number, threads: number): number[] {
  return Array.from({ length: threads }, (_, t) => Math.floor(ops / threads) + (t < ops % threads ? 1 : 0));
}

interface Slot {
  readonly thread: number;
  readonly worker: Worker;
  readonly report: ThreadReport;
  phase: 'starting' | 'ready' | 'running' | 'settled';
  gotDone: boolean;
  terminatedByUs: boolean;
  crashMessage: string | null;
  progressKey: string;
  lastChange: number;
  /** Resolves when the worker has exited or has been declared hung. */
  settled: Promise<void>;
  settle: () => void;
  readyOrFailed: Promise<void>;
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

export async function runStress(o: StressOptions): Promise<StressReport> {
  validateStressOptions(o);
  const startWall = performance.now();

  let profile: Profile = o.profile ?? 'strict';
  let accuracy: Accuracy = o.accuracy ?? EXACT_ACCURACY;
  let accuracySource: StressReport['accuracySource'];
  /** The probe runs in its own process while the threads start; the workers get its verdict with 'go'. */
  let probing: Promise<MeasuredArithmetic> | null = null;
  if (o.engine === 'fake') {
    // The fake engine is the reference itself: exact by construction.
    profile = o.profile ?? 'strict';
    accuracy = o.accuracy ?? EXACT_ACCURACY;
    accuracySource = 'fake engine (exact)';
  } else if (o.profile !== undefined) {
    profile = o.profile;
    accuracy = o.accuracy ?? WGSL_SPEC_ACCURACY;
    accuracySource = o.accuracy === undefined ? 'WGSL specification limits' : 'given';
  } else {
    probing = probeArithmetic({ ...(o.backend === undefined ? {} : { backend: o.backend }), ...(o.adapter === undefined ? {} : { adapter: o.adapter }) });
    probing.catch(() => undefined); // awaited below, once the threads are up
    accuracySource = o.accuracy === undefined ? 'GPU probe' : 'profile from the GPU probe, accuracy given';
  }

  const plan = splitOps(o.ops, o.threads);
  const opsPerThreadMax = Math.max(...plan);
  const counter = new EventCounter({ variant: 'seed' });
  const board = new ProgressBoard(o.threads, opsPerThreadMax);
  const failures: StressFailure[] = [];
  const pendingFixtures: Array<() => void> = [];
  const startupCodes = new Set<string>();
  let adapter: AdapterReport | null = null;
  /** The common start (epoch ms), set when every worker is ready. */
  let t0 = Number.NaN;
  const sinceStart = (): number => (Number.isNaN(t0) ? 0 : (performance.timeOrigin + performance.now() - t0) / 1000);

  // ---- shared mode: the device owner -------------------------------------------------------
  let owner: Worker | null = null;
  const ownerPorts: MessagePort[] = [];
  const workerPorts: (MessagePort | undefined)[] = [];
  if (o.mode === 'shared') {
    for (let t = 0; t < o.threads; t++) {
      const ch = new MessageChannel();
      ownerPorts.push(ch.port1);
      workerPorts.push(ch.port2);
    }
    const ocfg: OwnerConfig & { entry: string } = {
      entry: ownerEntry, engine: o.engine, fakeProfile: profile, ports: ownerPorts, shape: o.shape, seed: o.seed, batch: o.batch,
      ...(o.backend === undefined ? {} : { backend: o.backend }), ...(o.adapter === undefined ? {} : { adapter: o.adapter }),
    };
    owner = new Worker(bootUrl, { workerData: ocfg, transferList: [...ownerPorts] });
    const w = owner;
    const started = await new Promise<OwnerToMain | { type: 'crashed'; message: string }>((resolve) => {
      const timer = setTimeout(() => resolve({ type: 'crashed', message: `device owner not ready within ${STARTUP_TIMEOUT_MS} ms` }), STARTUP_TIMEOUT_MS);
      w.once('message', (m: OwnerToMain) => { clearTimeout(timer); resolve(m); });
      w.once('error', (e) => { clearTimeout(timer); resolve({ type: 'crashed', message: firstLine(e) }); });
    });
    if (started.type !== 'ready') {
      await terminateWithin(w, TERMINATE_WAIT_MS);
      if (started.type === 'startup-failed' && started.code === 'E_NO_ADAPTER') throw new RefsimError('E_NO_ADAPTER', started.message);
      const message = started.type === 'startup-failed' || started.type === 'crashed' ? started.message : 'device owner failed';
      return finalReport(o, profile, accuracy, accuracySource, null, plan.map((planned, thread) => emptyThread(thread, planned, 'startup-failed')), [
        { thread: -1, op: null, id: null, kind: 'startup', message: `shared device owner: ${message}`, fixture: null },
      ], board, 0, (performance.now() - startWall) / 1000);
    }
    adapter = started.adapter;
    w.on('message', (m: OwnerToMain) => {
      if (m.type === 'device-lost') process.stderr.write(`refsim stress: shared device lost: ${m.message}\n`);
    });
    // An owner that dies mid-run is a failure of its own; the workers see their ops' device lost.
    w.on('error', (e) => failures.push({ thread: -1, op: null, id: null, kind: 'crash', message: `shared device owner: ${firstLine(e)}`, fixture: null }));
  }

  // ---- workers ---------------------------------------------------------------------------
  const slots: Slot[] = plan.map((planned, thread) => {
    const wcfg: WorkerConfig & { entry: string } = {
      entry: workerEntry, thread, ops: planned, seed: o.seed, shape: o.shape, mode: o.mode, engine: o.engine,
      fakeProfile: profile, counter: counter.handle, board: board.buffer, threads: o.threads, opsPerThreadMax,
      faults: o.faults, batch: o.batch, distinct: o.distinct, depth: o.depth,
      ...(o.backend === undefined ? {} : { backend: o.backend }), ...(o.adapter === undefined ? {} : { adapter: o.adapter }),
      ...(workerPorts[thread] === undefined ? {} : { ownerPort: workerPorts[thread] }),
    };
    const port = workerPorts[thread];
    const worker = new Worker(bootUrl, { workerData: wcfg, transferList: port === undefined ? [] : [port] });
    const slot: Slot = {
      thread, worker, report: emptyThread(thread, planned, 'done'), phase: 'starting', gotDone: false, terminatedByUs: false,
      crashMessage: null, progressKey: '', lastChange: performance.now(),
      settled: Promise.resolve(), settle: () => undefined, readyOrFailed: Promise.resolve(),
    };
    slot.settled = new Promise<void>((r) => { slot.settle = r; });
    let markReady: () => void = () => undefined;
    slot.readyOrFailed = new Promise<void>((r) => { markReady = r; });
    worker.on('message', (m: WorkerToMain) => onWorkerMessage(slot, m, markReady));
    worker.on('error', (e) => {
      slot.crashMessage = firstLine(e);
      markReady();
    });
    worker.on('exit', (code) => {
      onWorkerExit(slot, code);
      markReady();
      slot.settle();
    });
    return slot;
  });

  function onWorkerMessage(slot: Slot, m: WorkerToMain, markReady: () => void): void {
    const t = slot.thread;
    switch (m.type) {
      case 'ready':
        adapter ??= m.adapter;
        slot.phase = 'ready';
        markReady();
        return;
      case 'startup-failed':
        slot.report.state = 'startup-failed';
        slot.report.errors++;
        failures.push({ thread: t, op: null, id: null, kind: 'startup', message: m.message, fixture: null });
        startupCodes.add(m.code ?? 'unknown');
        markReady();
        return;
      case 'wrong': {
        slot.report.errors++;
        const failure: StressFailure = {
          thread: t, op: m.op, id: m.id, kind: 'wrong',
          message: `${m.violations} element(s) violate the verdict rules`, fixture: null, elements: m.elements, outputShape: m.outputShape,
        };
        failures.push(failure);
        pendingFixtures.push(() => {
          failure.fixture = saveStressFixture(o.fixtureDir, { ...fixtureMeta(), c: m.c, thread: t, op: m.op, input: inputIndex(m.op, o.distinct), violations: m.violations, elements: m.elements });
        });
        return;
      }
      case 'device-lost':
        slot.report.state = 'device-lost';
        slot.report.errors++;
        addFixtureFailure(t, m.op, m.id, 'device-lost', m.message);
        return;
      case 'done':
        slot.gotDone = true;
        slot.report.seconds = m.seconds;
        return;
    }
  }

  function addFixtureFailure(thread: number, op: number | null, id: string | null, kind: 'crash' | 'hang' | 'device-lost', message: string): void {
    const failure: StressFailure = { thread, op, id, kind, message, fixture: null };
    failures.push(failure);
    if (op !== null) {
      pendingFixtures.push(() => {
        // The op's inputs are a pure function of (seed, thread, op): rebuilt here, identical to the worker's.
        failure.fixture = saveStressFixture(o.fixtureDir, { ...fixtureMeta(), c: makeBlockCase(o.shape, o.seed, thread, inputIndex(op, o.distinct)), thread, op, input: inputIndex(op, o.distinct), violations: 0, elements: [] });
      });
    }
  }

  const fixtureMeta = (): Pick<StressFixtureInput, 'seed' | 'adapter' | 'profile' | 'accuracy'> => ({
    seed: o.seed, adapter: adapter ?? FAKE_ADAPTER, profile, accuracy,
  });

  function progressOf(t: number): { op: number | null; id: string | null } {
    const op = board.active(t);
    const id = op === null ? null : board.id(t, op);
    return { op, id: id === null ? null : String(id) };
  }

  function onWorkerExit(slot: Slot, code: number): void {
    slot.phase = 'settled';
    if (slot.terminatedByUs || slot.report.state === 'startup-failed') return;
    if (slot.crashMessage !== null || !slot.gotDone) {
      const { op, id } = progressOf(slot.thread);
      slot.report.state = 'crashed';
      slot.report.errors++;
      slot.report.seconds = sinceStart();
      const message = slot.crashMessage ?? `worker exited with code ${code} before finishing`;
      addFixtureFailure(slot.thread, op, id, 'crash', message);
    }
  }

  await Promise.all(slots.map((s) => s.readyOrFailed));
  const abandon = async (e: unknown): Promise<never> => {
    await Promise.all([...slots.map((s) => terminateWithin(s.worker, TERMINATE_WAIT_MS)), ...(owner === null ? [] : [terminateWithin(owner, TERMINATE_WAIT_MS)])]);
    throw e;
  };
  // No adapter anywhere is the machine's problem, not a stress failure: one clear error.
  const startup = failures.filter((f) => f.kind === 'startup');
  if (startup.length === o.threads && startupCodes.size === 1 && startupCodes.has('E_NO_ADAPTER')) {
    await abandon(new RefsimError('E_NO_ADAPTER', startup[0]!.message));
  }
  if (probing !== null) {
    try {
      const m = await probing;
      profile = m.profile;
      accuracy = o.accuracy ?? m.accuracy;
    } catch (e) {
      await abandon(e);
    }
  }
  t0 = performance.timeOrigin + performance.now();
  const startupSeconds = (performance.now() - startWall) / 1000;
  for (const s of slots) {
    if (s.phase === 'ready') {
      s.phase = 'running';
      s.lastChange = performance.now();
      s.worker.postMessage({ type: 'go', t0, profile, accuracy } satisfies MainToWorker);
    }
  }

  // ---- watchdog ----------------------------------------------------------------------------
  const tick = Math.max(5, Math.min(250, Math.floor(o.timeoutMs / 4)));
  const watchdog = setInterval(() => {
    const now = performance.now();
    for (const s of slots) {
      if (s.phase !== 'running') continue;
      const key = `${board.started(s.thread)}/${board.finished(s.thread)}/${board.active(s.thread)}`;
      if (key !== s.progressKey) {
        s.progressKey = key;
        s.lastChange = now;
        continue;
      }
      if (now - s.lastChange > o.timeoutMs) {
        s.phase = 'settled';
        s.terminatedByUs = true;
        s.report.state = 'hung';
        s.report.errors++;
        s.report.seconds = sinceStart();
        s.settle();
        const { op, id } = progressOf(s.thread);
        addFixtureFailure(s.thread, op, id, 'hang', `no progress for ${o.timeoutMs} ms${op === null ? ' before its first op' : ''}; thread terminated`);
        void terminateWithin(s.worker, TERMINATE_WAIT_MS).then((ok) => {
          if (!ok) process.stderr.write(`refsim stress: thread ${s.thread} did not terminate within ${TERMINATE_WAIT_MS} ms; left behind\n`);
        });
      }
    }
  }, tick);

  // A hung worker may never emit 'exit' in time: wait for exits or hang verdicts.
  await Promise.all(slots.map((s) => s.settled));
  clearInterval(watchdog);
  const seconds = sinceStart();

  if (owner !== null) {
    owner.postMessage({ type: 'stop' });
    const w = owner;
    // The owner destroys its device and exits by itself; terminate() covers one that does not.
    await withTimeout(new Promise((r) => w.once('exit', r)), TERMINATE_WAIT_MS);
    await terminateWithin(w, TERMINATE_WAIT_MS);
  }
  for (const save of pendingFixtures) save();
  for (const s of slots) {
    // Every count comes from the board, so a crashed or hung thread's finished ops count too.
    s.report.completed = board.finished(s.thread);
    s.report.passed = board.passed(s.thread);
    s.report.verdicts = board.verdicts(s.thread);
  }
  return finalReport(o, profile, accuracy, accuracySource, adapter, slots.map((s) => s.report), failures, board, seconds, startupSeconds);
}

function emptyThread(thread: number, planned: number, state: ThreadReport['state']): ThreadReport {
  return { thread, planned, completed: 0, passed: 0, errors: 0, verdicts: { exact: 0, withinBound: 0, violation: 0 }, seconds: 0, state };
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

function finalReport(
  o: StressOptions, profile: Profile, accuracy: Accuracy, accuracySource: string, adapter: AdapterReport | null, perThread: ThreadReport[],
  failures: StressFailure[], board: ProgressBoard, seconds: number, startupSeconds: number,
): StressReport {
  const passed = perThread.reduce((a, t) => a + t.passed, 0);
  const completed = perThread.reduce((a, t) => a + t.completed, 0);
  const errors = failures.length;
  const ids = idCheck(board);
  failures.sort((a, b) => a.thread - b.thread || (a.op ?? -1) - (b.op ?? -1));
  return {
    label: STRESS_LABEL, mode: o.mode, engine: o.engine, threads: o.threads, ops: o.ops, shape: o.shape, seed: o.seed, batch: o.batch, distinct: o.distinct, depth: o.depth,
    profile, accuracy, accuracySource, adapter, passed, completed, errors, seconds, startupSeconds, perThread, failures, ids,
    ok: errors === 0 && passed === o.ops && ids.ok,
  };
}
