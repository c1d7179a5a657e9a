/**
 * The explorer's view of a concurrent program: threads are sequences of atomic steps over one
 * shared state. The explorer only asks a model which threads can step, what a step does, and which
 * shared locations a step touches (for partial-order reduction); it knows nothing of event pools.
 */

/** Where a thread is: finished, waiting (e.g. on a mutex another thread holds), or able to step. */
export const DONE = 0;
export const BLOCKED = 1;
export const READY = 2;
export type ThreadStatus = typeof DONE | typeof BLOCKED | typeof READY;

/**
 * Shared locations a step reads and writes, as bitmasks (bit i = location i of the model). Two
 * steps of different threads are independent when neither writes what the other reads or writes;
 * a mutex counts as a location both locking and unlocking write, so enabling/disabling is covered.
 */
export interface Footprint {
  readonly reads: number;
  readonly writes: number;
}

export function independent(a: Footprint, b: Footprint): boolean {
  return (a.writes & (b.reads | b.writes)) === 0 && (b.writes & a.reads) === 0;
}

export interface Invariant<S> {
  /** Stable, kebab-case name used by the CLI and the tests. */
  readonly name: string;
  /** What must hold, in words. */
  readonly description: string;
  /**
   * Null when the invariant holds in `s`, else what is wrong. `terminal` is true when no thread can
   * step any more (all finished, or deadlocked), for properties of final states.
   */
  check(s: S, terminal: boolean): string | null;
}

export interface Model<S> {
  /** One line naming the model and its parameters (variant, bound). */
  readonly title: string;
  /** Short name of each thread, in index order (e.g. 'T0'). */
  readonly threadNames: readonly string[];
  /** What each thread runs, in words. */
  readonly threadRoles: readonly string[];
  readonly invariants: readonly Invariant<S>[];
  initial(): S;
  status(s: S, thread: number): ThreadStatus;
  /** The state after `thread` takes its next step; `s` is left unchanged. Only for READY threads. */
  apply(s: S, thread: number): S;
  /**
   * Shared locations `thread`'s next step touches. Must depend only on the thread's own local state
   * (its program counter), not on other threads' steps: a sleeping thread keeps its footprint.
   */
  footprint(s: S, thread: number): Footprint;
  /** Words for `thread`'s next step from `s`, with the source line it models (before applying). */
  describeStep(s: S, thread: number): string;
  /** Canonical key: equal keys ⇔ equal states. */
  key(s: S): string;
  /** One-line rendering of a state for traces. */
  render(s: S): string;
  /** JSON rendering of a state for --json. */
  view(s: S): unknown;
}

export interface Violation {
  readonly invariant: string;
  readonly message: string;
  /** Thread chosen at each step, from the initial state to the violating state. */
  readonly schedule: readonly number[];
}
