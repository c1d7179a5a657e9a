/**
 * The event-id counter of PyTorch's `MPSEventPool`, on a SharedArrayBuffer so real worker threads
 * can share one counter exactly as C++ threads share one `m_event_counter`.
 *
 * Two source variants (facts: ../shared/research/pytorch-mps.md):
 * - `seed`: the hardened code the seed report quotes,
 *     std::atomic<uint64_t> m_event_counter{0};
 *     new_id = m_event_counter.fetch_add(1, std::memory_order_relaxed) + 1;
 *   modelled by one `Atomics.add` on a BigUint64Array cell (a single indivisible read-modify-write,
 *   wrapping modulo 2^64 as the C++ atomic does). Ids are 64-bit.
 * - `upstream`: pytorch/pytorch aten/src/ATen/mps/MPSEvent.h at 09dbde5c7b52 keeps
 *   `uint64_t m_event_counter = 0;` (no atomic) and MPSEvent.mm (0aafd810d15f) creates a new event
 *   with `std::make_unique<MPSEvent>(++m_event_counter, ...)` outside the pool's mutex. `++` on a
 *   plain integer is a separate load and store: modelled as a plain typed-array read, then a plain
 *   write, with nothing in between that makes them one step. The constructor parameter is `id_t`
 *   (32-bit unsigned on Darwin), so the id is the counter value truncated to 32 bits.
 *
 * The width of an id is a separate option (default: 64 for seed, 32 for upstream) so each
 * difference can be looked at on its own. The counter cell itself is always a uint64_t.
 */
import { InputRangeError, optionsObject } from '../../errors.ts';
import { assertUint, type UintBits, UINT_MAX } from '../uint.ts';

export const COUNTER_VARIANTS = ['seed', 'upstream'] as const;
export type CounterVariant = (typeof COUNTER_VARIANTS)[number];

/** Width of an event id: 64 (uint64_t) or 32 (id_t on Darwin). */
export type IdWidth = UintBits;

/** The id width each variant's source uses. */
export const DEFAULT_ID_WIDTH: Readonly<Record<CounterVariant, IdWidth>> = { seed: 64, upstream: 32 };

export function assertCounterVariant(v: unknown, param = 'variant'): asserts v is CounterVariant {
  if (!COUNTER_VARIANTS.includes(v as CounterVariant)) throw new InputRangeError(param, `one of ${COUNTER_VARIANTS.join(', ')}`, v);
}

export function assertIdWidth(w: unknown, param = 'width'): asserts w is IdWidth {
  if (w !== 64 && w !== 32) throw new InputRangeError(param, '64 or 32', w);
}

/** The id_t conversion: the counter value reduced to the id's width. */
export const toId = (counterValue: bigint, width: IdWidth): bigint => BigInt.asUintN(width, counterValue);

/**
 * What a worker thread needs to attach to the same counter: structured-cloneable (the
 * SharedArrayBuffer is shared, not copied, by postMessage and workerData).
 */
export interface CounterHandle {
  readonly buffer: SharedArrayBuffer;
  readonly variant: CounterVariant;
  readonly width: IdWidth;
}

export interface EventCounterOptions {
  /** Initial value of m_event_counter (default 0, as in the source). The first id is start + 1. */
  readonly start?: bigint;
  readonly variant?: CounterVariant;
  /** Id width; defaults to DEFAULT_ID_WIDTH[variant]. */
  readonly width?: IdWidth;
}

/** One non-atomic `++m_event_counter`, split at the point where another thread can get in. */
export interface PendingIncrement {
  /** The value the load read. */
  readonly loaded: bigint;
  /** Performs the store of loaded + 1 and returns the id (truncated to the width). */
  store(): bigint;
}

export class EventCounter {
  readonly buffer: SharedArrayBuffer;
  readonly variant: CounterVariant;
  readonly width: IdWidth;
  /** The uint64_t cell: index 0 of a BigUint64Array over the shared buffer. */
  readonly cell: BigUint64Array;

  constructor(options: EventCounterOptions = {}) {
    const opts = optionsObject(options);
    const variant = opts.variant ?? 'seed';
    assertCounterVariant(variant);
    const width = opts.width ?? DEFAULT_ID_WIDTH[variant];
    assertIdWidth(width);
    const start = opts.start ?? 0n;
    assertUint(start, 64, 'start');
    this.buffer = new SharedArrayBuffer(BigUint64Array.BYTES_PER_ELEMENT);
    this.variant = variant;
    this.width = width;
    this.cell = new BigUint64Array(this.buffer);
    Atomics.store(this.cell, 0, start);
  }

  /** Attaches to a counter created in another thread: same memory, a new view. */
  static attach(handle: CounterHandle): EventCounter {
    assertCounterVariant(handle.variant);
    assertIdWidth(handle.width);
    if (!(handle.buffer instanceof SharedArrayBuffer) || handle.buffer.byteLength < BigUint64Array.BYTES_PER_ELEMENT) {
      throw new InputRangeError('handle.buffer', 'a SharedArrayBuffer of at least 8 bytes', handle.buffer);
    }
    const c = Object.create(EventCounter.prototype) as { -readonly [K in keyof EventCounter]: EventCounter[K] };
    c.buffer = handle.buffer;
    c.variant = handle.variant;
    c.width = handle.width;
    c.cell = new BigUint64Array(handle.buffer, 0, 1);
    return c as EventCounter;
  }

  get handle(): CounterHandle {
    return { buffer: this.buffer, variant: this.variant, width: this.width };
  }

  /** The current value of m_event_counter (the last counter value handed out). */
  value(): bigint {
    return Atomics.load(this.cell, 0);
  }

  /**
   * Acquires one id. seed: fetch_add(1) + 1 (Atomics.add returns the old value; the cell wraps
   * modulo 2^64). upstream: a plain load, then a plain store of the value + 1.
   */
  next(): bigint {
    if (this.variant === 'seed') return toId(Atomics.add(this.cell, 0, 1n) + 1n, this.width);
    const loaded = this.cell[0] as bigint;
    const stored = BigInt.asUintN(64, loaded + 1n);
    this.cell[0] = stored;
    return toId(stored, this.width);
  }

  /**
   * The upstream increment split into its load and its store, so a test or the explorer can put
   * another thread's steps in between. Only the upstream variant has such a split: the seed
   * variant's fetch_add is one indivisible step.
   */
  beginIncrement(): PendingIncrement {
    if (this.variant !== 'upstream') {
      throw new InputRangeError('variant', "'upstream' (the seed variant's fetch_add cannot be split)", this.variant);
    }
    const loaded = this.cell[0] as bigint;
    const width = this.width;
    const cell = this.cell;
    let done = false;
    return {
      loaded,
      store(): bigint {
        if (done) throw new InputRangeError('PendingIncrement.store', 'called once', 'a second call');
        done = true;
        const stored = BigInt.asUintN(64, loaded + 1n);
        cell[0] = stored;
        return toId(stored, width);
      },
    };
  }

  /**
   * The stress loop: acquires `record.length` ids as fast as the variant allows and writes the
   * *counter values* (before id_t truncation, which is a pure function applied by the checker) into
   * `record`. Kept in this module so the worker threads run exactly the variant's access pattern.
   *
   * Per-id cost matters here (it is benchmarked against C++). Atomics.add on a BigUint64Array
   * returns a fresh BigInt, so the seed loop does nothing else with it but store it: it records
   * fetch_add's return value, and the `+ 1` of `fetch_add(1) + 1` is applied afterwards to the whole
   * record at once on 32-bit halves (addOneInPlace), inside the same call.
   */
  fill(record: BigUint64Array): void {
    const cell = this.cell;
    const n = record.length;
    if (this.variant === 'seed') {
      for (let i = 0; i < n; i++) record[i] = Atomics.add(cell, 0, 1n);
      addOneInPlace(record);
    } else {
      for (let i = 0; i < n; i++) {
        const v = (cell[0] as bigint) + 1n;
        cell[0] = v;
        record[i] = v;
      }
    }
  }
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** record[i] = (record[i] + 1) mod 2^64 for every element, on 32-bit halves (no BigInt per element). */
export function addOneInPlace(record: BigUint64Array): void {
  if (!littleEndian) {
    for (let i = 0; i < record.length; i++) record[i] = (record[i] as bigint) + 1n;
    return;
  }
  const w = new Uint32Array(record.buffer, record.byteOffset, record.length * 2);
  for (let i = 0; i < w.length; i += 2) {
    const lo = ((w[i] as number) + 1) >>> 0;
    w[i] = lo;
    if (lo === 0) w[i + 1] = ((w[i + 1] as number) + 1) >>> 0;
  }
}

/**
 * The model's prediction for N acquisitions from a counter at `start`: the acquisition number
 * (1-based) whose id is the sentinel 0, or null when none of the N ids is 0. Id k is
 * (start + k) mod 2^width, so the first 0 is at k = (-start) mod 2^width (2^width when start is a
 * multiple of 2^width).
 */
export function sentinelAcquisition(start: bigint, n: bigint, width: IdWidth): bigint | null {
  assertUint(start, 64, 'start');
  if (typeof n !== 'bigint' || n < 0n) throw new InputRangeError('n', 'a bigint ≥ 0', n);
  assertIdWidth(width);
  const mod = UINT_MAX[width] + 1n;
  let k = BigInt.asUintN(width, -start);
  if (k === 0n) k = mod;
  return k <= n ? k : null;
}

/**
 * The acquisition number (1-based) of the first id that repeats an id the same counter handed out
 * before `start` (counting from 0, as in the source): counter value 2^width + 1 gives id 1 again.
 * 1 when start ≥ 2^width (every id was handed out before).
 */
export function firstReissuedAcquisition(start: bigint, width: IdWidth): bigint {
  assertUint(start, 64, 'start');
  assertIdWidth(width);
  const repeatAt = (UINT_MAX[width] + 1n) + 1n;
  return start >= repeatAt - 1n ? 1n : repeatAt - start;
}
