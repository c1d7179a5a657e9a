/**
 * One stress worker thread: takes an event id per op from the shared counter, builds the op's
 * inputs from (seed, thread, op), runs the block on its engine (own device, or the shared device
 * through the owner), evaluates the reference while the GPU works, and verifies the readback.
 * Progress and ids go to the shared board; a wrong result is sent to the supervisor at once (it
 * writes the fixture); a lost device ends the worker with a report; anything else that goes wrong
 * escapes as an uncaught error, which the supervisor reports as a crash at the board's active op.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { OpCase } from '../ops/types.ts';
import { EventCounter } from '../reference/eventCounter.ts';
import type { Tensor } from '../reference/tensor.ts';
import { ProgressBoard } from './board.ts';
import { makeBlockCase } from './blockCase.ts';
import { blockSpec } from './deps.ts';
import { DeviceLost, type Engine, openLocalEngine, RemoteEngine } from './engine.ts';
import { faultAt } from './fault.ts';
import type { MainToWorker, WorkerConfig, WorkerToMain } from './types.ts';
import { verifyOp } from './verify.ts';

const cfg = workerData as WorkerConfig & { entry: string };
if (parentPort === null) throw new Error('stress worker must run in a worker thread');
const port = parentPort;
const post = (m: WorkerToMain, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

/** An op whose GPU work is in flight while the worker goes on. */
interface InFlight {
  readonly op: number;
  readonly id: bigint;
  readonly c: OpCase;
  readonly gpu: Promise<Tensor>;
  readonly expected: Tensor;
}

async function main(): Promise<void> {
  let engine: Engine;
  try {
    engine =
      cfg.ownerPort !== undefined
        ? new RemoteEngine(cfg.ownerPort, null)
        : await openLocalEngine(cfg.engine, cfg.profile, cfg.backend, cfg.adapter);
  } catch (e) {
    post({ type: 'startup-failed', message: e instanceof Error ? e.message : String(e), code: (e as { code?: string }).code ?? null });
    return;
  }
  const counter = EventCounter.attach(cfg.counter);
  const spec = blockSpec();
  const board = new ProgressBoard(cfg.threads, cfg.opsPerThreadMax, cfg.board);
  post({ type: 'ready', adapter: engine.adapter });
  const go = await new Promise<MainToWorker>((resolve) => port.once('message', resolve));

  const queue: InFlight[] = [];

  const finishOldest = async (): Promise<boolean> => {
    const f = queue.shift();
    if (f === undefined) return true;
    board.setActive(cfg.thread, f.op);
    let got: Tensor;
    try {
      got = await f.gpu;
    } catch (e) {
      if (e instanceof DeviceLost) {
        post({ type: 'device-lost', op: f.op, id: String(f.id), message: e.message });
        return false;
      }
      throw e;
    }
    if (faultAt(cfg.faults, cfg.thread, f.op) === 'wrong' && got.data.length > 0) {
      const bits = new Uint32Array(got.data.buffer, got.data.byteOffset, got.data.length);
      bits[0] = (bits[0] ?? 0) ^ 0x00400000; // flips a high mantissa bit: far outside any bound
    }
    const v = verifyOp(f.c, got, f.expected, cfg.accuracy);
    if (v.violations > 0) {
      post({ type: 'wrong', op: f.op, id: String(f.id), c: f.c, got: got.data, outputShape: f.expected.shape, elements: v.differing, violations: v.violations });
    }
    board.finish(cfg.thread, f.op, { exact: v.exact, withinBound: v.within, violation: v.violations });
    return true;
  };

  let alive = true;
  for (let k = 0; k < cfg.ops && alive; k++) {
    const id = counter.next();
    board.start(cfg.thread, k, id);
    const fault = faultAt(cfg.faults, cfg.thread, k);
    if (fault === 'crash') throw new Error(`injected crash (REFSIM_STRESS_FAULT) at thread ${cfg.thread} op ${k}`);
    if (fault === 'hang') for (;;); // only the supervisor's watchdog ends this
    if (fault === 'lost') await engine.loseDevice();
    const c = makeBlockCase(cfg.shape, cfg.seed, cfg.thread, k);
    const gpu = engine.run(c);
    gpu.catch(() => undefined); // handled when this op is finished, in order
    // The reference runs on this thread while the GPU (or the owner thread) works on the op.
    const expected = spec.reference(c, cfg.profile);
    queue.push({ op: k, id, c, gpu, expected });
    while (queue.length >= cfg.depth && alive) alive = await finishOldest();
  }
  while (queue.length > 0 && alive) alive = await finishOldest();
  const seconds = (performance.now() + performance.timeOrigin - (go.t0 as number)) / 1000;
  engine.close();
  post({ type: 'done', seconds });
}

await main();
