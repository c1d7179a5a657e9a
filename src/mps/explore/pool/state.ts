/**
 * The event-pool model's state: named fields over one flat array of small integers (-1 = none),
 * so that copying a state is one array slice and its key one string conversion. A plain array, not
 * an Int32Array: states are copied on every step, and small typed arrays cost far more to allocate.
 * Where each field lives (the layout) is fixed by the bound and shared by every state of a model;
 * this file is the only one that knows it.
 *
 * Events are objects 0..events-1, event `obj` being op `obj % ops` of thread `obj / ops`. Ids and
 * the counter are offsets from the counter's start value (see IdSpace), so they are small integers.
 */

// Fields of the whole pool.
const MUTEX_OWNER = 0;
const MUTEX_DEPTH = 1;
const ALLOC_OWNER = 2;
const COUNTER = 3;
const POOL_LEN = 4;
const POOL = 5;
// Fields of one thread, from the thread's base.
const PC = 0;
const REG = 1;
const CUR = 2;
const POPPED = 3;
const FAILED = 4;
const HELD_N = 5;
const HELD = 6;

/** Where each field lives for a bound of `threads` × `ops`. */
export class PoolLayout {
  /** Event objects: one per (thread, op). */
  readonly events: number;
  readonly idsAt: number;
  /** m_in_use_events, indexed by id offset 0..events. */
  readonly inUseAt: number;
  readonly threadsAt: number;
  readonly threadStride: number;
  readonly size: number;

  constructor(readonly threads: number, readonly ops: number) {
    this.events = threads * ops;
    this.idsAt = POOL + this.events;
    this.inUseAt = this.idsAt + this.events;
    this.threadsAt = this.inUseAt + this.events + 1;
    this.threadStride = HELD + ops;
    this.size = this.threadsAt + threads * this.threadStride;
  }
}

/**
 * One state of the model. The explorer never changes a state it holds: a step works on `copy()`.
 * Equal keys ⇔ equal states, since every field has one canonical value (freed slots are -1).
 */
export class PoolState {
  private constructor(
    private readonly layout: PoolLayout,
    private readonly cells: number[],
  ) {}

  /** Mutexes free, counter at its start, pool and map empty, every thread at its first step. */
  static initial(layout: PoolLayout): PoolState {
    const cells = new Array<number>(layout.size).fill(-1);
    cells[MUTEX_DEPTH] = 0;
    cells[COUNTER] = 0;
    cells[POOL_LEN] = 0;
    for (let t = 0; t < layout.threads; t++) {
      const base = layout.threadsAt + t * layout.threadStride;
      for (const f of [PC, REG, POPPED, FAILED, HELD_N]) cells[base + f] = 0;
    }
    return new PoolState(layout, cells);
  }

  copy(): PoolState {
    return new PoolState(this.layout, this.cells.slice());
  }

  key(): string {
    return String.fromCharCode.apply(null, this.cells);
  }

  private at(i: number): number {
    return this.cells[i] as number;
  }

  private field(t: number, f: number): number {
    return this.layout.threadsAt + t * this.layout.threadStride + f;
  }

  /** Thread holding m_mutex, -1 when free. */
  get mutexOwner(): number {
    return this.at(MUTEX_OWNER);
  }
  set mutexOwner(t: number) {
    this.cells[MUTEX_OWNER] = t;
  }

  /** m_mutex's recursion depth. */
  get mutexDepth(): number {
    return this.at(MUTEX_DEPTH);
  }
  set mutexDepth(d: number) {
    this.cells[MUTEX_DEPTH] = d;
  }

  /** Thread holding the allocator's mutex, -1 when free. */
  get allocatorOwner(): number {
    return this.at(ALLOC_OWNER);
  }
  set allocatorOwner(t: number) {
    this.cells[ALLOC_OWNER] = t;
  }

  /** m_event_counter (an offset). */
  get counter(): number {
    return this.at(COUNTER);
  }
  set counter(v: number) {
    this.cells[COUNTER] = v;
  }

  /** Events in m_pool. */
  get poolSize(): number {
    return this.at(POOL_LEN);
  }

  /** m_pool's i-th event from the bottom. */
  poolAt(i: number): number {
    return this.at(POOL + i);
  }

  /** m_pool's events, bottom first. */
  pool(): number[] {
    return this.cells.slice(POOL, POOL + this.poolSize);
  }

  /** m_pool's top event (the next pop), -1 when empty. */
  poolTop(): number {
    const len = this.poolSize;
    return len === 0 ? -1 : this.at(POOL + len - 1);
  }

  pushPool(obj: number): void {
    const len = this.poolSize;
    this.cells[POOL + len] = obj;
    this.cells[POOL_LEN] = len + 1;
  }

  /** Takes m_pool's top event (LIFO); -1, changing nothing, when the pool is empty. */
  popPool(): number {
    const len = this.poolSize;
    if (len === 0) return -1;
    const obj = this.at(POOL + len - 1);
    this.cells[POOL + len - 1] = -1;
    this.cells[POOL_LEN] = len - 1;
    return obj;
  }

  /** The id (offset) event `obj` was created with, -1 while not created. */
  idOf(obj: number): number {
    return this.at(this.layout.idsAt + obj);
  }
  setIdOf(obj: number, id: number): void {
    this.cells[this.layout.idsAt + obj] = id;
  }

  /** The event m_in_use_events maps id `id` (offset) to, -1 when absent. */
  inUse(id: number): number {
    return this.at(this.layout.inUseAt + id);
  }
  setInUse(id: number, obj: number): void {
    this.cells[this.layout.inUseAt + id] = obj;
  }

  /** Thread t's next step (index into its program). */
  pc(t: number): number {
    return this.at(this.field(t, PC));
  }
  setPc(t: number, pc: number): void {
    this.cells[this.field(t, PC)] = pc;
  }

  /** Thread t's register: the counter value it loaded or incremented to. */
  register(t: number): number {
    return this.at(this.field(t, REG));
  }
  setRegister(t: number, v: number): void {
    this.cells[this.field(t, REG)] = v;
  }

  /** The event thread t is acquiring (popped or created, not yet handed over), -1 when none. */
  current(t: number): number {
    return this.at(this.field(t, CUR));
  }
  setCurrent(t: number, obj: number): void {
    this.cells[this.field(t, CUR)] = obj;
  }

  /** Whether thread t's current acquisition took its event from the pool. */
  popped(t: number): boolean {
    return this.at(this.field(t, POPPED)) === 1;
  }
  setPopped(t: number, popped: boolean): void {
    this.cells[this.field(t, POPPED)] = popped ? 1 : 0;
  }

  /** The id (offset) thread t's releaseEvent failed on, 0 while it has not failed (ids start at 1). */
  failedId(t: number): number {
    return this.at(this.field(t, FAILED));
  }
  setFailedId(t: number, id: number): void {
    this.cells[this.field(t, FAILED)] = id;
  }

  /** How many events thread t holds (acquired and not yet released). */
  heldCount(t: number): number {
    return this.at(this.field(t, HELD_N));
  }
  heldAt(t: number, i: number): number {
    return this.at(this.field(t, HELD + i));
  }
  /** The events thread t holds, oldest first. */
  held(t: number): number[] {
    const from = this.field(t, HELD);
    return this.cells.slice(from, from + this.heldCount(t));
  }
  /** The event thread t acquired last (the next one it releases). */
  topHeld(t: number): number {
    return this.heldAt(t, this.heldCount(t) - 1);
  }
  pushHeld(t: number, obj: number): void {
    const k = this.heldCount(t);
    this.cells[this.field(t, HELD + k)] = obj;
    this.cells[this.field(t, HELD_N)] = k + 1;
  }
  popHeld(t: number): void {
    const k = this.heldCount(t) - 1;
    this.cells[this.field(t, HELD + k)] = -1;
    this.cells[this.field(t, HELD_N)] = k;
  }
}
