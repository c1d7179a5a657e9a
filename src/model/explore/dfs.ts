/**
 * Stateless depth-first exploration: `plain` runs every interleaving one by one (the baseline the
 * reductions are checked against); `sleep-sets` is partial-order reduction with sleep sets
 * (Godefroid): after exploring thread t from a state, t sleeps in the siblings' subtrees until a step
 * dependent on t's next step runs, so of schedules that differ only by swapping adjacent independent
 * steps one is explored. Sleep sets prune transitions, not states: every reachable state is still
 * visited, which is what checking state invariants needs (the tests compare the reachable sets).
 */
import type { ExploreLimits } from './bfs.ts';
import { DONE, independent, READY, type Model, type Violation } from './types.ts';

export type DfsMethod = 'plain' | 'sleep-sets';

export interface DfsResult {
  readonly method: DfsMethod;
  readonly complete: boolean;
  /** Nodes of the search tree (states visited, with repetition). */
  readonly visits: number;
  /** Maximal schedules run to the end. For `plain` this is the number of interleavings. */
  readonly executions: number;
  /** Sleep-sets only: branches cut because every ready thread was asleep. */
  readonly sleepBlocked: number;
  readonly deadlockedExecutions: number;
  /** First violation of each invariant met, in search order (not necessarily shortest). */
  readonly violations: readonly Violation[];
  readonly keys?: ReadonlySet<string>;
  readonly elapsedMs: number;
}

class Deadline extends Error {}

export function exploreDfs<S>(model: Model<S>, method: DfsMethod, limits: ExploreLimits = {}): DfsResult {
  const start = performance.now();
  const n = model.threadNames.length;
  const reduce = method === 'sleep-sets';
  const violations: Violation[] = [];
  const violated = new Set<string>();
  const keys = limits.collectKeys ? new Set<string>() : undefined;
  const schedule: number[] = [];
  let visits = 0;
  let executions = 0;
  let sleepBlocked = 0;
  let deadlocked = 0;

  const note = (name: string, message: string): void => {
    if (violated.has(name)) return;
    violated.add(name);
    violations.push({ invariant: name, message, schedule: [...schedule] });
  };

  const visit = (s: S, sleep: number): void => {
    if ((++visits & 4095) === 0 && limits.deadline !== undefined && performance.now() > limits.deadline) throw new Deadline();
    if (keys) keys.add(model.key(s));
    let readyMask = 0;
    let allDone = true;
    for (let t = 0; t < n; t++) {
      const st = model.status(s, t);
      if (st !== DONE) allDone = false;
      if (st === READY) readyMask |= 1 << t;
    }
    const terminal = readyMask === 0;
    for (const inv of model.invariants) {
      if (violated.has(inv.name)) continue;
      const msg = inv.check(s, terminal);
      if (msg !== null) note(inv.name, msg);
    }
    if (terminal) {
      executions++;
      if (!allDone) {
        deadlocked++;
        note('deadlock', 'no thread can step, but not all have finished');
      }
      return;
    }
    if ((readyMask & ~sleep) === 0) {
      sleepBlocked++;
      return;
    }
    let asleep = sleep;
    for (let t = 0; t < n; t++) {
      if ((readyMask & (1 << t)) === 0 || (asleep & (1 << t)) !== 0) continue;
      let childSleep = 0;
      if (reduce && asleep !== 0) {
        const fp = model.footprint(s, t);
        for (let u = 0; u < n; u++) {
          if ((asleep & (1 << u)) !== 0 && independent(model.footprint(s, u), fp)) childSleep |= 1 << u;
        }
      }
      schedule.push(t);
      visit(model.apply(s, t), childSleep);
      schedule.pop();
      if (reduce) asleep |= 1 << t;
    }
  };

  let complete = true;
  try {
    visit(model.initial(), 0);
  } catch (e) {
    if (!(e instanceof Deadline)) throw e;
    complete = false;
  }
  return {
    method,
    complete,
    visits,
    executions,
    sleepBlocked,
    deadlockedExecutions: deadlocked,
    violations,
    ...(keys ? { keys } : {}),
    elapsedMs: performance.now() - start,
  };
}
