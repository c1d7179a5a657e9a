import { describe, expect, it } from 'vitest';
import { DONE, exploreBfs, exploreDfs, type Model, READY, replay, sampleSchedules, toyModel } from '../../../src/mps/explore/index.ts';
import { pinnedSeed } from '../../support/seed.ts';

describe('explorer on the toy models', () => {
  it('finds the planted lost update with every method, and a shortest trace of 4 steps', () => {
    const m = toyModel('buggy', 2, 1);
    const bfs = exploreBfs(m);
    expect(bfs.violations.map((v) => v.invariant)).toEqual(['no-lost-update']);
    const v = bfs.violations[0]!;
    // load, load, store, store: both threads must load before either stores, so 4 is the minimum.
    expect(v.schedule).toHaveLength(4);
    const trace = replay(m, v.schedule);
    expect(trace.steps.slice(0, 2).map((s) => s.step)).toEqual(['load counter (0)', 'load counter (0)']);
    expect(trace.steps.at(-1)!.violated).toEqual(['no-lost-update']);
    for (const method of ['plain', 'sleep-sets'] as const) {
      expect(exploreDfs(m, method).violations.map((x) => x.invariant)).toEqual(['no-lost-update']);
    }
  });

  it('counts interleavings exactly: 2 threads of k steps give C(2k, k) schedules', () => {
    const binom = (n: number, k: number): number => (k === 0 ? 1 : (binom(n - 1, k - 1) * n) / k);
    for (const ops of [1, 2, 3]) {
      const m = toyModel('buggy', 2, ops);
      expect(exploreBfs(m).interleavings).toBe(BigInt(binom(4 * ops, 2 * ops)));
      expect(exploreDfs(m, 'plain').executions).toBe(binom(4 * ops, 2 * ops));
    }
  });

  it('stays exact past 2^53 interleavings (the counts switch to BigInt)', () => {
    const fact = (n: bigint): bigint => (n <= 1n ? 1n : n * fact(n - 1n));
    // 3 threads of 14 independent steps each: (42)! / (14!)^3 ≈ 5.4e18 schedules over 15^3 states.
    const k = 14;
    const free: Model<number[]> = {
      title: 'independent steps', threadNames: ['T0', 'T1', 'T2'], threadRoles: ['', '', ''], invariants: [],
      initial: () => [0, 0, 0],
      status: (s, t) => ((s[t] as number) < k ? READY : DONE),
      apply: (s, t) => s.map((v, i) => (i === t ? v + 1 : v)),
      footprint: () => ({ reads: 0, writes: 0 }),
      describeStep: () => 'step', key: (s) => s.join(','), render: (s) => s.join(','), view: (s) => s,
    };
    const r = exploreBfs(free);
    expect(r.states).toBe((k + 1) ** 3);
    expect(r.interleavings).toBe(fact(3n * BigInt(k)) / fact(BigInt(k)) ** 3n);
    expect(r.interleavings > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it('finds no violation in the correct toy model, whose lock serialises the increments', () => {
    for (const [threads, ops] of [[2, 1], [2, 3], [3, 2]] as const) {
      const m = toyModel('correct', threads, ops);
      const bfs = exploreBfs(m);
      expect(bfs.violations).toEqual([]);
      expect(bfs.complete).toBe(true);
      // Critical sections run whole, so the schedules are the orders of threads×ops sections.
      const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
      expect(bfs.interleavings).toBe(BigInt(fact(threads * ops) / fact(ops) ** threads));
      expect(exploreDfs(m, 'sleep-sets').violations).toEqual([]);
    }
  });

  it('sampling with fast-check finds the lost update too, and not in the correct model', () => {
    const seed = pinnedSeed ?? Date.now() % 2 ** 31;
    const found = sampleSchedules(toyModel('buggy', 3, 2), { runs: 500, seed });
    expect(found.violation?.invariant, `seed ${seed}`).toBe('no-lost-update');
    expect(sampleSchedules(toyModel('correct', 3, 2), { runs: 200, seed }).violation).toBeNull();
  });
});
