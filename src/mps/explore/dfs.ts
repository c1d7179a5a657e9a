/**
 * Stateless depth-first exploration: `plain` runs every interleaving one by one (the baseline the
 * reductions are checked against); `sleep-sets` is partial-order reduction with sleep sets
 * (Godefroid): after exploring thread t from a state, t sleeps in the siblings' subtrees until a step
 * dependent on t's next step runs, so of schedules that differ only by swapping adjacent independent
 * steps one is explored. Sleep sets prune transitions, not states: every reachable state is still
 * visited, which is what checking state invariants needs (the tests compare the reachable sets).
 */
import { checkLimits, type ExploreLimits, type ExploreProgress, overLimit, PROGRESS_EVERY, runAsync, runSync, type StopReason } from './limits.ts';
import { searchEnd, type SearchResult, ViolationLog } from './search.ts';
import { DONE, independent, READY, type Model, type Violation } from './types.ts';

export type DfsMethod = 'plain' | 'sleep-sets';

export interface DfsResult extends SearchResult {
  readonly method: DfsMethod;
  /** Nodes of the search tree (states visited, with repetition). */
  readonly visits: number;
  /** Maximal schedules run to the end. For `plain` this is the number of interleavings. */
  readonly executions: number;
  /** Sleep-sets only: branches cut because every ready thread was asleep. */
  readonly sleepBlocked: number;
  readonly deadlockedExecutions: number;
  /** First violation of each invariant met, in search order (not necessarily shortest). */
  readonly violations: readonly Violation[];
}

export function exploreDfs<S>(model: Model<S>, method: DfsMethod, limits: ExploreLimits = {}): DfsResult {
  return runSync(dfsSearch(model, method, limits), limits);
}

/** exploreDfs that gives the event loop a turn during a long search (the CLI: Ctrl-C, progress). */
export function exploreDfsAsync<S>(model: Model<S>, method: DfsMethod, limits: ExploreLimits = {}): Promise<DfsResult> {
  return runAsync(dfsSearch(model, method, limits), limits);
}

/** One node of the search path: a state, the threads still to try from it, and the one being tried. */
interface Frame<S> {
  readonly s: S;
  readonly readyMask: number;
  /** Threads asleep here: the sleep set on entry plus (sleep sets) the siblings already explored. */
  asleep: number;
  /** Next thread index to consider. */
  next: number;
  /** Thread whose subtree is being explored, or -1. */
  current: number;
}

/**
 * The depth-first search with an explicit stack (no recursion, so it can pause between nodes).
 * Entering a node checks the invariants; a node with ready, awake threads gets a frame, whose
 * threads are tried in index order; after thread t's subtree, t joins the frame's sleep set
 * (sleep sets only), so siblings' subtrees skip t until a step dependent on it runs.
 */
function* dfsSearch<S>(model: Model<S>, method: DfsMethod, limits: ExploreLimits): Generator<ExploreProgress, DfsResult> {
  checkLimits(limits);
  const start = performance.now();
  const n = model.threadNames.length;
  const reduce = method === 'sleep-sets';
  const maxStates = limits.maxStates ?? Infinity;
  const keys = limits.collectKeys ? new Set<string>() : undefined;
  const schedule: number[] = [];
  const log = new ViolationLog<undefined>(() => [...schedule]);
  let visits = 0;
  let executions = 0;
  let sleepBlocked = 0;
  let deadlocked = 0;

  /** Visits `s`: its checks, and a frame when it has threads to try (null for a leaf). */
  const enter = (s: S, sleep: number): Frame<S> | null => {
    visits++;
    if (keys) keys.add(model.key(s));
    let readyMask = 0;
    let allDone = true;
    for (let t = 0; t < n; t++) {
      const st = model.status(s, t);
      if (st !== DONE) allDone = false;
      if (st === READY) readyMask |= 1 << t;
    }
    const terminal = readyMask === 0;
    log.checkInvariants(model, s, terminal, undefined);
    if (terminal) {
      executions++;
      if (!allDone) {
        deadlocked++;
        log.deadlock(undefined);
      }
      return null;
    }
    if ((readyMask & ~sleep) === 0) {
      sleepBlocked++;
      return null;
    }
    return { s, readyMask, asleep: sleep, next: 0, current: -1 };
  };

  let stopReason: StopReason = 'complete';
  const stack: Frame<S>[] = [];
  const root = enter(model.initial(), 0);
  if (root !== null) stack.push(root);
  let checkedAt = 0;
  while (stack.length > 0) {
    if (visits - checkedAt >= PROGRESS_EVERY) {
      checkedAt = visits;
      yield { states: visits, depth: stack.length, violations: log.size, elapsedMs: performance.now() - start };
      const over = overLimit(limits);
      if (over !== null) {
        stopReason = over;
        break;
      }
    }
    const f = stack[stack.length - 1]!;
    if (f.current >= 0) {
      // Back from thread `current`'s subtree.
      schedule.pop();
      if (reduce) f.asleep |= 1 << f.current;
      f.next = f.current + 1;
      f.current = -1;
    }
    let t = f.next;
    while (t < n && ((f.readyMask & (1 << t)) === 0 || (f.asleep & (1 << t)) !== 0)) t++;
    if (t >= n) {
      stack.pop();
      continue;
    }
    if (visits >= maxStates) {
      stopReason = 'max-states';
      break;
    }
    let childSleep = 0;
    if (reduce && f.asleep !== 0) {
      const fp = model.footprint(f.s, t);
      for (let u = 0; u < n; u++) {
        if ((f.asleep & (1 << u)) !== 0 && independent(model.footprint(f.s, u), fp)) childSleep |= 1 << u;
      }
    }
    f.current = t;
    schedule.push(t);
    const child = enter(model.apply(f.s, t), childSleep);
    if (child !== null) stack.push(child);
  }
  return {
    method,
    ...searchEnd(stopReason, log.violations, keys, start),
    visits,
    executions,
    sleepBlocked,
    deadlockedExecutions: deadlocked,
  };
}
