/** What the exhaustive searches (BFS and DFS) share: their result's common part and the violation log. */
import type { StopReason } from './limits.ts';
import type { Model, Violation } from './types.ts';

/** The pseudo-invariant a state breaks when no thread can step but not all have finished. */
export const DEADLOCK = 'deadlock';
export const DEADLOCK_MESSAGE = 'no thread can step, but not all have finished';

export interface SearchResult {
  /** False when a limit cut the search (counts are then lower bounds). */
  readonly complete: boolean;
  /** Why the search ended ('complete' when it ran out of states or branches). */
  readonly stopReason: StopReason;
  /** First violation of each invariant met; 'deadlock' when threads remain blocked. */
  readonly violations: readonly Violation[];
  /** Every reachable state's key, when ExploreLimits.collectKeys asked for them. */
  readonly keys?: ReadonlySet<string>;
  readonly elapsedMs: number;
}

/**
 * The first violation of each invariant a search meets. `scheduleOf` turns the search's handle on
 * a state (BFS: its parent-pointer id) into the schedule reaching it, asked only for a violation.
 */
export class ViolationLog<W> {
  readonly violations: Violation[] = [];
  private readonly violated = new Set<string>();

  constructor(private readonly scheduleOf: (where: W) => number[]) {}

  get size(): number {
    return this.violations.length;
  }

  /** Checks every invariant not yet violated in state `s`. */
  checkInvariants<S>(model: Model<S>, s: S, terminal: boolean, where: W): void {
    for (const inv of model.invariants) {
      if (this.violated.has(inv.name)) continue;
      const msg = inv.check(s, terminal);
      if (msg !== null) this.note(inv.name, msg, where);
    }
  }

  /** Notes a terminal state in which not every thread has finished. */
  deadlock(where: W): void {
    this.note(DEADLOCK, DEADLOCK_MESSAGE, where);
  }

  private note(invariant: string, message: string, where: W): void {
    if (this.violated.has(invariant)) return;
    this.violated.add(invariant);
    this.violations.push({ invariant, message, schedule: this.scheduleOf(where) });
  }
}

/** The common part of a search's result once it has stopped for `stopReason`. */
export function searchEnd(stopReason: StopReason, violations: readonly Violation[], keys: ReadonlySet<string> | undefined, start: number): SearchResult {
  return {
    complete: stopReason === 'complete',
    stopReason,
    violations,
    ...(keys ? { keys } : {}),
    elapsedMs: performance.now() - start,
  };
}
