/**
 * The progress board: one SharedArrayBuffer every stress thread writes into and the supervisor
 * reads, so progress costs no messages and survives a worker that dies or hangs:
 * - per thread, how many ops it has started and finished, which op it is working on, how many
 *   passed (the watchdog, the op index of a crash or hang and the counts of a dead thread come
 *   from these), and its element verdict counts;
 * - per op, the event id it took from the shared counter (0 = no id taken; ids start at 1), so
 *   the id check covers the ops of crashed and hung workers too.
 * Each slot has one writer (its thread). Counts are Atomics on int32; element counts are float64
 * (exact to 2^53, beyond int32 on long runs), read by the supervisor once their thread has ended.
 */
import type { VerdictCounts } from './types.ts';

const SLOTS = 4;
const STARTED = 0;
const FINISHED = 1;
const ACTIVE = 2;
const PASSED = 3;
const ELEMENT_SLOTS = 3;

export class ProgressBoard {
  readonly buffer: SharedArrayBuffer;
  readonly threads: number;
  readonly opsPerThread: number;
  private readonly counts: Int32Array;
  private readonly elements: Float64Array;
  private readonly ids: BigUint64Array;

  constructor(threads: number, opsPerThread: number, buffer?: SharedArrayBuffer) {
    this.threads = threads;
    this.opsPerThread = opsPerThread;
    const elementsOffset = Math.ceil((threads * SLOTS * 4) / 8) * 8;
    const idsOffset = elementsOffset + threads * ELEMENT_SLOTS * 8;
    const bytes = idsOffset + threads * opsPerThread * 8;
    this.buffer = buffer ?? new SharedArrayBuffer(bytes);
    if (this.buffer.byteLength < bytes) throw new RangeError(`progress board needs ${bytes} bytes, got ${this.buffer.byteLength}`);
    this.counts = new Int32Array(this.buffer, 0, threads * SLOTS);
    this.elements = new Float64Array(this.buffer, elementsOffset, threads * ELEMENT_SLOTS);
    this.ids = new BigUint64Array(this.buffer, idsOffset, threads * opsPerThread);
  }

  /** Marks op `op` of `thread` as started with event id `id`. */
  start(thread: number, op: number, id: bigint): void {
    Atomics.store(this.ids, thread * this.opsPerThread + op, id);
    Atomics.store(this.counts, thread * SLOTS + ACTIVE, op);
    Atomics.store(this.counts, thread * SLOTS + STARTED, op + 1);
  }

  /** Marks the op the thread is working on now (with several in flight, the one being verified). */
  setActive(thread: number, op: number): void {
    Atomics.store(this.counts, thread * SLOTS + ACTIVE, op);
  }

  /**
   * Marks op `op` verified with its element verdicts. `finished` counts verified ops (ops lost in
   * a native crash never are, so it is not the index of the last one).
   */
  finish(thread: number, op: number, v: VerdictCounts): void {
    const e = thread * ELEMENT_SLOTS;
    this.elements[e] = (this.elements[e] ?? 0) + v.exact;
    this.elements[e + 1] = (this.elements[e + 1] ?? 0) + v.withinBound;
    this.elements[e + 2] = (this.elements[e + 2] ?? 0) + v.violation;
    if (v.violation === 0) Atomics.add(this.counts, thread * SLOTS + PASSED, 1);
    Atomics.store(this.counts, thread * SLOTS + ACTIVE, op);
    Atomics.add(this.counts, thread * SLOTS + FINISHED, 1);
  }

  started(thread: number): number {
    return Atomics.load(this.counts, thread * SLOTS + STARTED);
  }

  finished(thread: number): number {
    return Atomics.load(this.counts, thread * SLOTS + FINISHED);
  }

  passed(thread: number): number {
    return Atomics.load(this.counts, thread * SLOTS + PASSED);
  }

  /** The op the thread was last working on, or null before its first op. */
  active(thread: number): number | null {
    return this.started(thread) === 0 ? null : Atomics.load(this.counts, thread * SLOTS + ACTIVE);
  }

  verdicts(thread: number): VerdictCounts {
    const e = thread * ELEMENT_SLOTS;
    return { exact: this.elements[e] ?? 0, withinBound: this.elements[e + 1] ?? 0, violation: this.elements[e + 2] ?? 0 };
  }

  /** Event id of an op (null when the op never took one). */
  id(thread: number, op: number): bigint | null {
    const v = Atomics.load(this.ids, thread * this.opsPerThread + op);
    return v === 0n ? null : v;
  }

  /** The ids thread `thread` took, in op order (a copy). */
  threadIds(thread: number): BigUint64Array {
    const from = thread * this.opsPerThread;
    return this.ids.slice(from, from + this.started(thread));
  }
}
