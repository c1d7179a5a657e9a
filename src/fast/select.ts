/**
 * Which reference path runs, and on how many threads: the one place that reads the environment
 * (REFSIM_REFERENCE, REFSIM_REFERENCE_THREADS) and holds the measured size thresholds.
 *
 * - 'ts': always the TypeScript reference (the definition).
 * - 'fast': the WebAssembly path for every case it covers (others run in TypeScript).
 * - 'auto' (default): the WebAssembly path for covered cases of at least the op's threshold work.
 */
import os from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { InputRangeError } from '../errors.ts';
import { perOp } from '../ops/index.ts';
import type { OpName } from '../ops/types.ts';

export const REFERENCE_MODES = ['ts', 'fast', 'auto'] as const;
export type ReferenceMode = (typeof REFERENCE_MODES)[number];

export interface ReferenceOptions {
  /** Overrides REFSIM_REFERENCE. */
  readonly mode?: ReferenceMode;
  /** Threads for one large call, the calling thread included; overrides REFSIM_REFERENCE_THREADS. */
  readonly threads?: number;
}

/** Per op, the smallest work at which 'auto' takes the WebAssembly path (FastOp.minWork; Infinity: no fast path). */
export const FAST_MIN_WORK: Readonly<Record<OpName, number>> = perOp((op) => op.fast?.minWork ?? Infinity);

/**
 * Smallest work at which a call is split over threads (about a millisecond of `linear` on one
 * thread): a dispatch round trip costs tens of microseconds and vCPUs that share vector units
 * gain less than their number, so only long calls are split. From the bench's "threads" and
 * "thread threshold" rows.
 */
export const THREAD_MIN_WORK = 1 << 24;

/** Work per job (about 0.2 ms of strict linear) above which a call is split into more jobs than threads. */
export const PART_WORK = 1 << 22;
/** Most jobs per thread. */
const MAX_PARTS_PER_THREAD = 8;

/** Jobs for a call of `work` on `threads` threads (see FastContext.parts). */
export function partsFor(work: number, threads: number): number {
  return threads * Math.max(1, Math.min(MAX_PARTS_PER_THREAD, Math.floor(work / (threads * PART_WORK))));
}

function envMode(): ReferenceMode {
  const v = process.env['REFSIM_REFERENCE'];
  if (v === undefined || v === '') return 'auto';
  if (!(REFERENCE_MODES as readonly string[]).includes(v)) throw new InputRangeError('REFSIM_REFERENCE', "'ts', 'fast' or 'auto'", v);
  return v as ReferenceMode;
}

/** Default threads: every core on the main thread; 1 inside a worker (e.g. a stress worker, which runs beside others). */
function envThreads(): number {
  const v = process.env['REFSIM_REFERENCE_THREADS'];
  if (v === undefined || v === '') return isMainThread ? Math.min(os.availableParallelism(), 8) : 1;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InputRangeError('REFSIM_REFERENCE_THREADS', 'an integer in [1, 64]', v);
  return n;
}

/** The effective mode of a call (options first, then REFSIM_REFERENCE). */
export function referenceMode(opts: ReferenceOptions = {}): ReferenceMode {
  const mode = opts.mode ?? envMode();
  if (!(REFERENCE_MODES as readonly string[]).includes(mode)) throw new InputRangeError('options.mode', "'ts', 'fast' or 'auto'", mode);
  return mode;
}

/**
 * The effective thread count of a call (options first, then REFSIM_REFERENCE_THREADS, then the
 * default); only asked for calls large enough to split (the default queries the CPU affinity).
 */
export function referenceThreads(opts: ReferenceOptions = {}): number {
  const threads = opts.threads ?? envThreads();
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new InputRangeError('options.threads', 'an integer in [1, 64]', threads);
  return threads;
}

/** Both, as a call of THREAD_MIN_WORK or more sees them. */
export function resolveOptions(opts: ReferenceOptions = {}): { mode: ReferenceMode; threads: number } {
  return { mode: referenceMode(opts), threads: referenceThreads(opts) };
}

/** Whether a covered case of `work` takes the WebAssembly path under `mode`. */
export function wantsFast(op: OpName, work: number, mode: ReferenceMode): boolean {
  return mode === 'fast' || (mode === 'auto' && work >= FAST_MIN_WORK[op]);
}

/** Threads to split a call of `work` over. */
export function threadsFor(work: number, opts: ReferenceOptions): number {
  return work >= THREAD_MIN_WORK ? referenceThreads(opts) : 1;
}
