/**
 * Real-thread stress of one EventCounter: W worker threads (node:worker_threads) attached to the
 * same SharedArrayBuffer acquire ids as fast as they can, each into its own shared record, after a
 * common start signal so they contend. Every id is then checked by `checkIds`.
 */
import { Worker } from 'node:worker_threads';
import { InputRangeError } from '../../errors.ts';
import { type CounterHandle, type CounterVariant, DEFAULT_ID_WIDTH, EventCounter, type IdWidth, sentinelAcquisition } from './counter.ts';
import { checkIds, type IdCheckReport } from './idCheck.ts';
import { assertUint } from '../uint.ts';
import { entryUrl, threadBootUrl } from '../../util/entry.ts';

export interface CounterWorkerData {
  readonly handle: CounterHandle;
  /** SharedArrayBuffer of idsPerWorker uint64 counter values, written by the worker. */
  readonly record: SharedArrayBuffer;
  /** Int32Array(1): 0 until the start signal. */
  readonly gate: SharedArrayBuffer;
}

export interface CounterWorkerDone {
  readonly type: 'done';
  /** Absolute times (ms since the epoch, sub-ms resolution) around the worker's loop. */
  readonly t0: number;
  readonly t1: number;
}

export interface CounterStressOptions {
  readonly workers: number;
  readonly idsPerWorker: number;
  readonly variant?: CounterVariant;
  readonly width?: IdWidth;
  readonly start?: bigint;
}

export interface CounterStressResult {
  readonly variant: CounterVariant;
  readonly width: IdWidth;
  readonly workers: number;
  readonly idsPerWorker: number;
  readonly start: bigint;
  /** m_event_counter after the run (lower than start + N when increments were lost). */
  readonly finalCounter: bigint;
  readonly check: IdCheckReport;
  /** From the first worker's start to the last worker's end. */
  readonly wallMs: number;
  readonly idsPerSecond: number;
  /** Time all workers were running at once (ms); ≤ 0 means they never all overlapped. */
  readonly overlapMs: number;
  /** The model's sentinel prediction for a correct counter: acquisition number of id 0, or null. */
  readonly predictedSentinelAt: bigint | null;
  /** The per-worker records (counter values before id_t truncation). */
  readonly records: readonly BigUint64Array[];
}

export const MAX_STRESS_WORKERS = 64;
export const MAX_IDS_PER_WORKER = 50_000_000;
/** Every id is kept (8 bytes each): cap the total so a typo cannot exhaust memory. */
export const MAX_TOTAL_IDS = 200_000_000;

const workerEntry = entryUrl('./workers/counterWorkerMain.ts', import.meta.url).href;

/** Starts one counter stress worker thread (./workers/counterWorkerMain.ts) on `data`. */
export function startCounterWorker(data: CounterWorkerData): Worker {
  return new Worker(threadBootUrl, { workerData: { ...data, entry: workerEntry } });
}

export async function runCounterStress(opts: CounterStressOptions): Promise<CounterStressResult> {
  const { workers, idsPerWorker } = opts;
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_STRESS_WORKERS) {
    throw new InputRangeError('workers', `an integer in [1, ${MAX_STRESS_WORKERS}]`, workers);
  }
  if (!Number.isInteger(idsPerWorker) || idsPerWorker < 1 || idsPerWorker > MAX_IDS_PER_WORKER) {
    throw new InputRangeError('idsPerWorker', `an integer in [1, ${MAX_IDS_PER_WORKER}]`, idsPerWorker);
  }
  if (workers * idsPerWorker > MAX_TOTAL_IDS) {
    throw new InputRangeError('workers × idsPerWorker', `at most ${MAX_TOTAL_IDS} ids in total (8 bytes each are kept)`, workers * idsPerWorker);
  }
  const variant = opts.variant ?? 'seed';
  const start = opts.start ?? 0n;
  assertUint(start, 64, 'start');
  const counter = new EventCounter({ variant, width: opts.width ?? DEFAULT_ID_WIDTH[variant], start });
  const gate = new SharedArrayBuffer(4);
  const recordBuffers = Array.from({ length: workers }, () => new SharedArrayBuffer(idsPerWorker * 8));

  const threads = recordBuffers.map((record) => {
    const data: CounterWorkerData = { handle: counter.handle, record, gate };
    return startCounterWorker(data);
  });
  const done: CounterWorkerDone[] = [];
  try {
    await Promise.all(
      threads.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once('error', reject);
            w.once('exit', (code) => reject(new Error(`counter worker exited with code ${code} before it was ready`)));
            w.once('message', () => resolve());
          }),
      ),
    );
    const finished = threads.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          w.removeAllListeners();
          w.once('error', reject);
          w.once('message', (m: CounterWorkerDone) => {
            done.push(m);
            resolve();
          });
          w.once('exit', (code) => reject(new Error(`counter worker exited with code ${code} before it finished`)));
        }),
    );
    const g = new Int32Array(gate);
    Atomics.store(g, 0, 1);
    Atomics.notify(g, 0);
    await Promise.all(finished);
  } finally {
    await Promise.all(threads.map((w) => w.terminate()));
  }

  const records = recordBuffers.map((b) => new BigUint64Array(b));
  const check = checkIds(records, { start, width: counter.width });
  const wallMs = Math.max(...done.map((d) => d.t1)) - Math.min(...done.map((d) => d.t0));
  const total = workers * idsPerWorker;
  return {
    variant,
    width: counter.width,
    workers,
    idsPerWorker,
    start,
    finalCounter: counter.value(),
    check,
    wallMs,
    overlapMs: Math.min(...done.map((d) => d.t1)) - Math.max(...done.map((d) => d.t0)),
    idsPerSecond: wallMs > 0 ? total / (wallMs / 1000) : Number.POSITIVE_INFINITY,
    predictedSentinelAt: sentinelAcquisition(start, BigInt(total), counter.width),
    records,
  };
}
