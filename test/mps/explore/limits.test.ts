/**
 * Bounded search (src/mps/explore/limits.ts): a state budget and a heap guard checked as the
 * search goes, progress snapshots, a clean stop with what was covered, and the async drivers that
 * give the event loop a turn during a long search.
 */
import { describe, expect, it } from 'vitest';
import { InputRangeError } from '../../../src/errors.ts';
import {
  eventPoolModel, exploreBfs, exploreBfsAsync, exploreDfs, exploreDfsAsync, type ExploreProgress, PROGRESS_EVERY, sampleSchedules,
  sampleSchedulesAsync, toyModel,
} from '../../../src/mps/explore/index.ts';

/** Big enough that no test finishes it: 4 threads × 6 ops of the event pool. */
const big = () => eventPoolModel({ variant: 'seed', threads: 4, ops: 6 });

describe('state budget', () => {
  it('BFS stops at --max-states held states, incomplete, with the depth it fully checked', () => {
    const r = exploreBfs(big(), { maxStates: 1000 });
    expect(r).toMatchObject({ complete: false, stopReason: 'max-states' });
    // Held = states discovered (expanded ones plus the layer being built): never above the budget.
    expect(r.states).toBeLessThanOrEqual(1000);
    expect(r.checkedDepth).toBeGreaterThan(0);
    // Every state within checkedDepth steps was checked: a budget that allows more goes deeper.
    expect(exploreBfs(big(), { maxStates: 20_000 }).checkedDepth).toBeGreaterThan(r.checkedDepth);
  });

  it('DFS stops after --max-states visits', () => {
    for (const method of ['plain', 'sleep-sets'] as const) {
      const r = exploreDfs(big(), method, { maxStates: 500 });
      expect(r, method).toMatchObject({ complete: false, stopReason: 'max-states', visits: 500 });
    }
  });

  it('a search that fits its budget is the same search: counts and verdicts unchanged', () => {
    const m = eventPoolModel({ variant: 'upstream', threads: 2, ops: 3 });
    const free = exploreBfs(m);
    const budgeted = exploreBfs(m, { maxStates: free.states * 4 });
    expect(budgeted).toMatchObject({ complete: true, stopReason: 'complete', interleavings: free.interleavings, states: free.states });
    expect(budgeted.violations.map((v) => [v.invariant, v.schedule])).toEqual(free.violations.map((v) => [v.invariant, v.schedule]));
    const dfs = exploreDfs(m, 'plain');
    expect(exploreDfs(m, 'plain', { maxStates: dfs.visits })).toMatchObject({ complete: true, executions: dfs.executions });
  });

  it('the heap guard stops the search cleanly (here: a guard set below what is in use)', () => {
    const r = exploreBfs(big(), { heapFraction: 1e-6 });
    expect(r).toMatchObject({ complete: false, stopReason: 'heap' });
    expect(r.states).toBe(PROGRESS_EVERY);
    expect(exploreDfs(big(), 'plain', { heapFraction: 1e-6 }).stopReason).toBe('heap');
  });

  it('rejects a bad budget with a typed error', () => {
    for (const maxStates of [0, -1, 1.5, NaN]) expect(() => exploreBfs(big(), { maxStates })).toThrow(InputRangeError);
    expect(() => exploreDfs(big(), 'plain', { heapFraction: 2 })).toThrow(InputRangeError);
  });
});

describe('progress and the event loop', () => {
  it('reports states, depth and violations as it goes', () => {
    const seen: ExploreProgress[] = [];
    exploreBfs(big(), { maxStates: 5 * PROGRESS_EVERY * 4, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.map((p) => p.states)).toEqual(seen.map((_, i) => (i + 1) * PROGRESS_EVERY));
    expect(seen.every((p, i) => i === 0 || p.depth >= seen[i - 1]!.depth)).toBe(true);
    expect(seen.every((p) => p.elapsedMs >= 0 && p.violations === 0)).toBe(true);
  });

  it('the async drivers let timers run during a search and return what the sync one returns', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      const r = await exploreBfsAsync(big(), { deadline: performance.now() + 600 });
      expect(r.stopReason).toBe('time-limit');
      expect(ticks).toBeGreaterThan(3);
      const d = await exploreDfsAsync(big(), 'sleep-sets', { deadline: performance.now() + 300 });
      expect(d.stopReason).toBe('time-limit');
    } finally {
      clearInterval(timer);
    }
    const m = toyModel('buggy', 2, 2);
    const a = await exploreBfsAsync(m);
    const s = exploreBfs(m);
    expect([a.interleavings, a.violations]).toEqual([s.interleavings, s.violations]);
    expect((await exploreDfsAsync(m, 'plain')).executions).toBe(exploreDfs(m, 'plain').executions);
  });

  it('sampling stops at its time limit (incomplete) and otherwise agrees with the sync sampler', async () => {
    const long = await sampleSchedulesAsync(big(), { runs: 10_000_000, seed: 3, timeLimitMs: 300 });
    expect(long.complete).toBe(false);
    expect(long.runs).toBeGreaterThan(0);
    expect(long.runs).toBeLessThan(10_000_000);
    const m = toyModel('buggy', 3, 2);
    const a = await sampleSchedulesAsync(m, { runs: 500, seed: 11 });
    const b = sampleSchedules(m, { runs: 500, seed: 11 });
    expect(a.violation).toEqual(b.violation);
    expect(a.violation?.invariant).toBe('no-lost-update');
    expect(a.complete).toBe(true);
  });
});
