/**
 * Breadth-first exploration with state hashing. Each BFS layer holds the states reachable in
 * exactly d steps, deduplicated by key; a state remembers one parent, so the first layer in which an
 * invariant fails gives a shortest violating schedule. Every state also carries the number of
 * distinct schedules that reach it, so the total number of interleavings (maximal schedules) is
 * counted exactly without enumerating them: the state graph is acyclic (every step advances a
 * program counter) and a schedule is a path in it.
 */
import { checkLimits, type ExploreLimits, type ExploreProgress, overLimit, PROGRESS_EVERY, runAsync, runSync, type StopReason } from './limits.ts';
import { searchEnd, type SearchResult, ViolationLog } from './search.ts';
import { DONE, READY, type Model, type Violation } from './types.ts';

export type { ExploreLimits } from './limits.ts';

export interface BfsResult extends SearchResult {
  readonly method: 'bfs';
  /** Distinct (state, depth) pairs expanded. */
  readonly states: number;
  readonly transitions: number;
  /** Exact number of maximal schedules (interleavings). */
  readonly interleavings: bigint;
  readonly terminalStates: number;
  readonly deadlockedStates: number;
  readonly maxDepth: number;
  /**
   * Every state reachable in at most this many steps was checked. Equals maxDepth for a complete
   * search; after a limit it still says what was covered: all schedules' first N steps.
   */
  readonly checkedDepth: number;
  /** First violation of each invariant, shortest first; 'deadlock' when threads remain blocked. */
  readonly violations: readonly Violation[];
}

/** Growable Int32 storage for parent pointers (millions of states without boxed arrays). */
class IntList {
  private buf = new Int32Array(1024);
  length = 0;
  push(v: number): number {
    if (this.length === this.buf.length) {
      const bigger = new Int32Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.length] = v;
    return this.length++;
  }
  get(i: number): number {
    return this.buf[i] ?? -1;
  }
}

export function exploreBfs<S>(model: Model<S>, limits: ExploreLimits = {}): BfsResult {
  return runSync(bfsSearch(model, limits), limits);
}

/** exploreBfs that gives the event loop a turn during a long search (the CLI: Ctrl-C, progress). */
export function exploreBfsAsync<S>(model: Model<S>, limits: ExploreLimits = {}): Promise<BfsResult> {
  return runAsync(bfsSearch(model, limits), limits);
}

function* bfsSearch<S>(model: Model<S>, limits: ExploreLimits): Generator<ExploreProgress, BfsResult> {
  checkLimits(limits);
  const start = performance.now();
  const maxStates = limits.maxStates ?? Infinity;
  const n = model.threadNames.length;
  const parent = new IntList();
  const via = new IntList();
  const keys = limits.collectKeys ? new Set<string>() : undefined;

  const scheduleOf = (id: number): number[] => {
    const out: number[] = [];
    for (let i = id; parent.get(i) >= 0; i = parent.get(i)) out.push(via.get(i));
    return out.reverse();
  };
  const log = new ViolationLog(scheduleOf);

  // Path counts are doubles while they stay exact (below 2^53) and BigInts from the first layer
  // that would pass that: exact either way, and the common case allocates nothing.
  let big = false;
  let layer: S[] = [model.initial()];
  let counts: (number | bigint)[] = [1];
  let ids: number[] = [parent.push(-1)];
  via.push(-1);
  if (keys) keys.add(model.key(layer[0] as S));

  let states = 0;
  let transitions = 0;
  let interleavings = 0n;
  let terminalStates = 0;
  let deadlockedStates = 0;
  let depth = 0;
  let stopReason: StopReason = 'complete';
  let checkedDepth = -1;

  search: while (layer.length > 0) {
    const nextIndex = new Map<string, number>();
    const next: S[] = [];
    let nextCounts: (number | bigint)[] = [];
    const nextIds: number[] = [];
    for (let i = 0; i < layer.length; i++) {
      if ((states & (PROGRESS_EVERY - 1)) === 0 && states > 0) {
        yield { states, depth, violations: log.size, elapsedMs: performance.now() - start };
        const over = overLimit(limits);
        if (over !== null) {
          stopReason = over;
          break search;
        }
      }
      const s = layer[i] as S;
      const c = counts[i] as number | bigint;
      const id = ids[i] as number;
      states++;
      let ready = 0;
      let allDone = true;
      for (let t = 0; t < n; t++) {
        const st = model.status(s, t);
        if (st !== DONE) allDone = false;
        if (st !== READY) continue;
        ready++;
        transitions++;
        const s2 = model.apply(s, t);
        const k = model.key(s2);
        const j = nextIndex.get(k);
        if (j === undefined) {
          if (parent.length >= maxStates) {
            // The budget is states held; the layer being built is not checked, so the covered
            // depth stays the last finished layer.
            stopReason = 'max-states';
            break search;
          }
          nextIndex.set(k, next.length);
          next.push(s2);
          nextCounts.push(big ? BigInt(c) : c);
          nextIds.push(parent.push(id));
          via.push(t);
          if (keys) keys.add(k);
        } else if (big) {
          nextCounts[j] = (nextCounts[j] as bigint) + BigInt(c);
        } else {
          const sum = (nextCounts[j] as number) + (c as number);
          if (sum <= Number.MAX_SAFE_INTEGER) nextCounts[j] = sum;
          else {
            // Switch this layer, and all later ones, to BigInt.
            big = true;
            nextCounts = nextCounts.map((x) => BigInt(x));
            counts = counts.map((x) => BigInt(x));
            nextCounts[j] = BigInt(nextCounts[j] as bigint) + BigInt(c);
          }
        }
      }
      const terminal = ready === 0;
      if (terminal) {
        interleavings += BigInt(c);
        terminalStates++;
        if (!allDone) {
          deadlockedStates++;
          log.deadlock(id);
        }
      }
      log.checkInvariants(model, s, terminal, id);
    }
    checkedDepth = depth;
    if (limits.stopAtFirstViolation && log.size > 0) {
      stopReason = 'first-violation';
      break;
    }
    if (next.length > 0) depth++;
    layer = next;
    counts = nextCounts;
    ids = nextIds;
  }
  return {
    method: 'bfs',
    ...searchEnd(stopReason, log.violations, keys, start),
    states,
    transitions,
    interleavings,
    terminalStates,
    deadlockedStates,
    maxDepth: depth,
    checkedDepth,
  };
}
