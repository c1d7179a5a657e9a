/**
 * One stress worker thread: for every op it takes an event id from the shared counter, builds the
 * op's inputs from (seed, thread, op), runs the block on its engine (its own device, or the
 * shared device through the owner), evaluates the reference while the GPU works, and verifies the
 * readback with the differential checker's rules. Ops go to the GPU in batches of `batch` (one
 * runBatch call, each op still its own case, id and verdict) with up to `depth` batches in flight.
 * Progress and ids go to the shared board; a wrong result is sent to the supervisor at once (it
 * writes the fixture); a lost device ends the worker with a report; a native crash of the device's
 * process is reported with the ops in flight, then the worker goes on with a fresh device process
 * or ends (--on-crash); anything else that goes wrong escapes as an uncaught error, which the
 * supervisor reports as a crash at the board's active op.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { OpCase } from '../ops/types.ts';
import { EventCounter } from '../mps/events/counter.ts';
import type { Tensor } from '../reference/tensor.ts';
import { ProgressBoard } from './board.ts';
import { inputIndex, makeBlockCase } from './blockCase.ts';
import { blockSpec } from './deps.ts';
import { DeviceLost, type Engine, NativeCrash, RemoteEngine, warmUp } from './engine.ts';
import { faultAt } from './fault.ts';
import { openStressEngine } from './isolatedEngine.ts';
import type { MainToWorker, WorkerConfig, WorkerToMain } from './types.ts';
import { failureMessage, verifyOp } from './verify.ts';

const cfg = workerData as WorkerConfig & { entry: string };
if (parentPort === null) throw new Error('stress worker must run in a worker thread');
const port = parentPort;
const post = (m: WorkerToMain): void => port.postMessage(m);
/** The segv fault with --isolation thread: how long its op stays visibly in flight before the crash. */
const SEGV_VISIBLE_MS = 200;

/** A batch of ops whose GPU work is in flight while the worker goes on. */
interface InFlight {
  readonly ops: readonly number[];
  readonly ids: readonly bigint[];
  readonly cases: readonly OpCase[];
  readonly gpu: Promise<Tensor[]>;
  readonly expected: readonly Tensor[];
}

async function openEngine(): Promise<Engine> {
  if (cfg.ownerPort !== undefined) return new RemoteEngine(cfg.ownerPort, null); // the owner has warmed up
  const engine = await openStressEngine(cfg);
  await warmUp(engine, cfg.shape, cfg.seed, cfg.thread, cfg.batch);
  return engine;
}

async function main(): Promise<void> {
  let engine: Engine;
  try {
    engine = await openEngine();
  } catch (e) {
    post({ type: 'startup-failed', message: e instanceof Error ? e.message : String(e), code: (e as { code?: string }).code ?? null });
    return;
  }
  const counter = EventCounter.attach(cfg.counter);
  const spec = blockSpec();
  const board = new ProgressBoard(cfg.threads, cfg.opsPerThreadMax, cfg.board);
  post({ type: 'ready', adapter: engine.adapter, pid: engine.pid });
  const go = await new Promise<MainToWorker>((resolve) => port.once('message', resolve));

  const queue: InFlight[] = [];
  /** With --distinct: each input set and its reference, computed once. */
  const cached = new Map<number, { c: OpCase; expected: Tensor }>();

  const verify = (f: InFlight, outs: readonly Tensor[]): void => {
    for (let j = 0; j < f.ops.length; j++) {
      const op = f.ops[j]!;
      board.setActive(cfg.thread, op);
      const got = outs[j] ?? { shape: [], data: new Float32Array(0) };
      if (faultAt(cfg.faults, cfg.thread, op) === 'wrong' && got.data.length > 0) {
        const bits = new Uint32Array(got.data.buffer, got.data.byteOffset, got.data.length);
        bits[0] = (bits[0] ?? 0) ^ 0x00400000; // a high mantissa bit: far outside any bound
      }
      const expected = f.expected[j]!;
      const v = verifyOp(f.cases[j]!, got, expected, go.accuracy);
      const failure = failureMessage(v);
      if (failure !== null) {
        post({ type: 'wrong', op, id: String(f.ids[j]), c: f.cases[j]!, got: got.data, outputShape: expected.shape, elements: v.differing, violations: v.violations, message: failure });
      }
      board.finish(cfg.thread, op, { exact: v.exact, withinBound: v.within, violation: v.violations });
    }
  };

  /**
   * The device's process died under `first`. Every other batch still in flight went with it unless
   * its result had come back already (those are verified as usual). Reports the lost ops, then
   * starts a fresh device process (--on-crash continue) or ends the thread; false when it ends.
   */
  const onNativeCrash = async (first: InFlight, crash: NativeCrash): Promise<boolean> => {
    const rest = queue.splice(0);
    const settled = await Promise.allSettled(rest.map((f) => f.gpu));
    const lost = [first, ...rest.filter((_, i) => settled[i]!.status === 'rejected')];
    const stopping = cfg.onCrash === 'stop';
    post({
      type: 'native-crash', crash: crash.notice, stopping,
      inFlight: lost.flatMap((f) => f.ops.map((op, j) => ({ op, id: String(f.ids[j]), submission: Math.floor(op / cfg.batch) }))),
    });
    rest.forEach((f, i) => {
      const s = settled[i]!;
      if (s.status === 'fulfilled') verify(f, s.value);
    });
    if (stopping) return false;
    post({ type: 'restarting' });
    try {
      await engine.restart();
    } catch (e) {
      post({ type: 'restart-failed', message: e instanceof Error ? e.message : String(e) });
      return false;
    }
    post({ type: 'restarted', pid: engine.pid });
    return true;
  };

  /** Verifies the oldest batch in flight; false when the thread ends (device lost, or a crash with --on-crash stop). */
  const finishOldest = async (): Promise<boolean> => {
    const f = queue.shift();
    if (f === undefined) return true;
    board.setActive(cfg.thread, f.ops[0] ?? 0);
    let outs: Tensor[];
    try {
      outs = await f.gpu;
    } catch (e) {
      if (e instanceof DeviceLost) {
        post({ type: 'device-lost', op: f.ops[0] ?? 0, id: String(f.ids[0]), message: e.message });
        return false;
      }
      if (e instanceof NativeCrash) return onNativeCrash(f, e);
      throw e;
    }
    verify(f, outs);
    return true;
  };

  let alive = true;
  for (let k0 = 0; k0 < cfg.ops && alive; k0 += cfg.batch) {
    const ops: number[] = [];
    const ids: bigint[] = [];
    const cases: OpCase[] = [];
    let segv = false;
    for (let k = k0; k < Math.min(cfg.ops, k0 + cfg.batch); k++) {
      const id = counter.next();
      board.start(cfg.thread, k, id);
      const fault = faultAt(cfg.faults, cfg.thread, k);
      if (fault === 'crash') throw new Error(`injected crash (REFSIM_STRESS_FAULT) at thread ${cfg.thread} op ${k}`);
      if (fault === 'hang') for (;;); // only the supervisor's watchdog ends this
      if (fault === 'lost') await engine.loseDevice();
      segv ||= fault === 'segv';
      ops.push(k);
      ids.push(id);
      const index = inputIndex(k, cfg.distinct);
      cases.push(cached.get(index)?.c ?? makeBlockCase(cfg.shape, cfg.seed, cfg.thread, index));
    }
    // With the device in this process the crash ends it at once: first give the supervisor's
    // progress report (a soak's only record of what was in flight) time to see this op started.
    if (segv && cfg.isolation === 'thread') await new Promise((r) => setTimeout(r, SEGV_VISIBLE_MS));
    const gpu = engine.run(cases, segv);
    gpu.catch(() => undefined); // handled when this batch is finished, in order
    // The reference runs on this thread while the GPU (or the owner thread) works on the batch.
    const expected = cases.map((c, j) => {
      const index = inputIndex(ops[j]!, cfg.distinct);
      const hit = cached.get(index);
      if (hit !== undefined) return hit.expected;
      const e = spec.reference(c, go.profile);
      if (cfg.distinct !== null) cached.set(index, { c, expected: e });
      return e;
    });
    queue.push({ ops, ids, cases, gpu, expected });
    while (queue.length >= cfg.depth && alive) alive = await finishOldest();
  }
  while (queue.length > 0 && alive) alive = await finishOldest();
  const seconds = (performance.timeOrigin + performance.now() - go.t0) / 1000;
  await engine.close();
  post({ type: 'done', seconds });
}

await main();
