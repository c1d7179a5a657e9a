/**
 * A model of PyTorch's `MPSEventPool` (aten/src/ATen/mps/MPSEvent.mm at 0aafd810d15f, MPSEvent.h at
 * 09dbde5c7b52; facts in ../shared/research/pytorch-mps.md), single-threaded: the order of steps
 * between threads is the interleaving explorer's business (src/mps/explore/); here each call runs
 * to completion.
 *
 * Followed from the source:
 * - `acquireEvent(enable_timing, stream)`: if the pool (a LIFO std::stack) is not empty, pop the
 *   top event and `reset` it; reset changes stream and timing, never the id. Otherwise create a
 *   new event with id `++m_event_counter` (the variant's counter: seed fetch_add + 1 on 64 bits,
 *   upstream plain increment truncated to id_t). The returned MPSEventPtr's deleter pushes the
 *   event back onto the pool.
 * - `id_t acquireEvent(enable_timing)`: acquires as above, then
 *   `m_in_use_events.emplace(event_id, std::move(event))`. emplace does not replace an existing
 *   key. The model follows libstdc++/libc++, which build the node (moving the pointer into it)
 *   before looking for the key and destroy it when the key exists: the new event's deleter runs
 *   and it goes back to the pool, and the caller gets an id that names the older event.
 * - `releaseEvent(id)`: `TORCH_CHECK(m_in_use_events.count(event_id) > 0, "Invalid Event ID: ", id)`,
 *   then erase, which runs the deleter: the event returns to the pool.
 * - `getInUseEvent(id)` (record/wait/query/synchronize): the same TORCH_CHECK, then the map entry.
 * - `emptyCache()`: drops every pooled event (the next acquire creates a new one).
 *
 * Abstracted away: Metal objects, streams beyond an identity, signal counters, and the locks
 * (no two calls overlap here).
 */
import { InputRangeError, optionsObject, RefsimError } from '../../errors.ts';
import { assertCounterVariant, type CounterVariant, DEFAULT_ID_WIDTH, EventCounter, type IdWidth } from './counter.ts';

/** An MPSEvent: `serial` is the object's identity (creation order), `id` its m_id. */
export interface PoolEvent {
  readonly serial: number;
  readonly id: bigint;
  stream: string;
  enableTiming: boolean;
}

/** TORCH_CHECK(m_in_use_events.count(event_id) > 0, "Invalid Event ID: ", event_id) failed. */
export class InvalidEventIdError extends RefsimError {
  constructor(
    readonly eventId: bigint,
    readonly operation: string,
    /** The model's diagnosis: never handed out, or handed out and since released. */
    readonly reason: 'unknown' | 'released',
  ) {
    super('E_INVALID_EVENT_ID', `Invalid Event ID: ${eventId} (${operation}: ${reason === 'released' ? 'not in use: released earlier, by this caller or by another that was given the same id' : 'never handed out by this pool'})`);
  }
}

/** An MPSEventPtr returned to the pool twice (C++'s unique_ptr makes this impossible; the model refuses it). */
export class EventAlreadyReturnedError extends RefsimError {
  constructor(readonly serial: number, readonly eventId: bigint) {
    super('E_EVENT_ALREADY_RETURNED', `event #${serial} (id ${eventId}) was already returned to the pool`);
  }
}

/** The MPSEventPtr: an owning handle whose deleter returns the event to the pool. */
export interface EventPtr {
  readonly event: PoolEvent;
  readonly reused: boolean;
  /** Runs the deleter (pushes the event onto the pool). */
  release(): void;
}

/** What `id_t acquireEvent(bool)` did, for traces and tests. */
export interface AcquireIdResult {
  /** The id returned to the caller. */
  readonly id: bigint;
  /** The event the acquire produced (new or reused). */
  readonly acquired: PoolEvent;
  readonly reused: boolean;
  /** False when the key already existed: the map keeps the older event, `acquired` went back to the pool. */
  readonly inserted: boolean;
  /** The event the returned id names in the in-use map afterwards. */
  readonly mapped: PoolEvent;
}

export interface EventPoolOptions {
  readonly variant?: CounterVariant;
  readonly width?: IdWidth;
  /** Initial m_event_counter (default 0). */
  readonly start?: bigint;
  /** Share an existing counter instead (its variant and width win). */
  readonly counter?: EventCounter;
}

export class EventPool {
  readonly variant: CounterVariant;
  readonly width: IdWidth;
  readonly counter: EventCounter;
  /** The std::stack of pooled events; the top is the last element. */
  private readonly pool: PoolEvent[] = [];
  private readonly inUse = new Map<bigint, PoolEvent>();
  private readonly everHandedOut = new Set<bigint>();
  private serials = 0;
  private readonly defaultStream = 'default';

  constructor(options: EventPoolOptions = {}) {
    const opts = optionsObject(options);
    if (opts.counter !== undefined) {
      if (!(opts.counter instanceof EventCounter)) throw new InputRangeError('options.counter', 'an EventCounter', opts.counter);
      this.counter = opts.counter;
    } else {
      const variant = opts.variant ?? 'seed';
      assertCounterVariant(variant, 'options.variant');
      this.counter = new EventCounter({ variant, width: opts.width ?? DEFAULT_ID_WIDTH[variant], start: opts.start ?? 0n });
    }
    this.variant = this.counter.variant;
    this.width = this.counter.width;
  }

  /** MPSEventPtr acquireEvent(bool enable_timing, MPSStream* stream). */
  acquireEvent(enableTiming = false, stream?: string): EventPtr {
    const s = stream ?? this.defaultStream;
    const top = this.pool.pop();
    if (top !== undefined) {
      // reset(stream, enable_timing): the id stays.
      top.stream = s;
      top.enableTiming = enableTiming;
      return this.ptr(top, true);
    }
    const event: PoolEvent = { serial: ++this.serials, id: this.counter.next(), stream: s, enableTiming };
    return this.ptr(event, false);
  }

  /** id_t acquireEvent(bool enable_timing), with what happened. */
  acquireEventIdDetailed(enableTiming = false): AcquireIdResult {
    const ptr = this.acquireEvent(enableTiming);
    const id = ptr.event.id;
    const existing = this.inUse.get(id);
    if (existing !== undefined) {
      // emplace found the key: the node holding `ptr` is destroyed, the deleter pools the event.
      ptr.release();
      this.everHandedOut.add(id);
      return { id, acquired: ptr.event, reused: ptr.reused, inserted: false, mapped: existing };
    }
    this.inUse.set(id, ptr.event);
    this.owned.set(ptr.event, ptr);
    this.everHandedOut.add(id);
    return { id, acquired: ptr.event, reused: ptr.reused, inserted: true, mapped: ptr.event };
  }

  /** id_t acquireEvent(bool enable_timing): the id torch.mps.Event keeps. */
  acquireEventId(enableTiming = false): bigint {
    return this.acquireEventIdDetailed(enableTiming).id;
  }

  /** void releaseEvent(id_t event_id); returns the event that went back to the pool. */
  releaseEvent(id: bigint): PoolEvent {
    const event = this.getInUseEvent(id, 'releaseEvent');
    this.inUse.delete(id);
    const ptr = this.owned.get(event);
    this.owned.delete(event);
    ptr?.release();
    return event;
  }

  /** MPSEvent* getInUseEvent(id_t event_id): the lookup behind record/wait/query/synchronize. */
  getInUseEvent(id: bigint, operation = 'getInUseEvent'): PoolEvent {
    const event = this.inUse.get(BigInt.asUintN(this.width, id));
    if (event === undefined || BigInt.asUintN(this.width, id) !== id) {
      throw new InvalidEventIdError(id, operation, this.everHandedOut.has(id) ? 'released' : 'unknown');
    }
    return event;
  }

  /** void emptyCache(): drop all pooled events. */
  emptyCache(): void {
    this.pool.length = 0;
  }

  /**
   * Model-only: move m_event_counter forward by `by` without creating events, standing for `by`
   * event creations elsewhere whose events are gone (e.g. dropped by emptyCache). It is how the
   * simulator reaches counter values near 2^32 or 2^64 that a test cannot reach one by one.
   */
  advanceCounter(by: bigint): void {
    Atomics.add(this.counter.cell, 0, BigInt.asUintN(64, by));
  }

  /** Ids of the pooled events, bottom to top (the next acquire pops the last). */
  pooledIds(): bigint[] {
    return this.pool.map((e) => e.id);
  }

  /** The in-use map, as [id, event serial] pairs in insertion order. */
  inUseEntries(): Array<[bigint, number]> {
    return [...this.inUse].map(([id, e]) => [id, e.serial]);
  }

  get inUseCount(): number {
    return this.inUse.size;
  }

  get pooledCount(): number {
    return this.pool.length;
  }

  private readonly owned = new WeakMap<PoolEvent, EventPtr>();

  private ptr(event: PoolEvent, reused: boolean): EventPtr {
    const pool = this.pool;
    // Each handle owns the event once: a stale handle to an event that has since been pooled and
    // handed out again must not return it a second time.
    let returned = false;
    return {
      event,
      reused,
      release(): void {
        if (returned) throw new EventAlreadyReturnedError(event.serial, event.id);
        returned = true;
        pool.push(event);
      },
    };
  }
}
