/**
 * Soundness of the reductions: on small bounds, sleep-set POR and BFS with state hashing must reach
 * exactly the states plain enumeration reaches, give the same verdicts, and (BFS) count the same
 * number of interleavings.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventPoolModel, exploreBfs, exploreDfs, type Model, toyModel } from '../../../src/mps/explore/index.ts';
import { fcParams } from '../../support/seed.ts';
import { randomModel, randomProgram } from './randomModel.ts';

function compare<S>(model: Model<S>): { plain: number; reduced: number } {
  const plain = exploreDfs(model, 'plain', { collectKeys: true });
  const por = exploreDfs(model, 'sleep-sets', { collectKeys: true });
  const bfs = exploreBfs(model, { collectKeys: true });
  const verdict = (vs: readonly { invariant: string }[]): string[] => vs.map((v) => v.invariant).sort();
  expect(por.keys).toEqual(plain.keys);
  expect(bfs.keys).toEqual(plain.keys);
  expect(verdict(por.violations)).toEqual(verdict(plain.violations));
  expect(verdict(bfs.violations)).toEqual(verdict(plain.violations));
  expect(bfs.interleavings).toBe(BigInt(plain.executions));
  expect(por.executions).toBeLessThanOrEqual(plain.executions);
  // BFS's violations are shortest: none longer than the one plain enumeration met first.
  for (const v of bfs.violations) {
    const p = plain.violations.find((x) => x.invariant === v.invariant)!;
    expect(v.schedule.length).toBeLessThanOrEqual(p.schedule.length);
  }
  return { plain: plain.executions, reduced: por.executions };
}

describe('partial-order reduction and state hashing agree with plain enumeration', () => {
  it('on random programs with shared variables and two mutexes (deadlocks included)', () => {
    fc.assert(fc.property(randomProgram, (threads) => { compare(randomModel(threads)); }), fcParams(100));
  });

  it('on the toy models', () => {
    for (const kind of ['buggy', 'correct'] as const) {
      for (const [t, o] of [[2, 1], [2, 2], [3, 1], [3, 2]] as const) compare(toyModel(kind, t, o));
    }
  });

  it('on the event pool model, both variants, up to the issue bound (2 threads × 3 ops)', () => {
    let saved = 0;
    for (const variant of ['seed', 'upstream'] as const) {
      for (const [threads, ops] of [[2, 1], [2, 2], [2, 3], [3, 1]] as const) {
        const { plain, reduced } = compare(eventPoolModel({ variant, threads, ops }));
        saved += plain - reduced;
      }
    }
    // The reduction has to reduce something on this model, or it is not doing its job.
    expect(saved).toBeGreaterThan(0);
  });

  it('beyond plain enumeration (3 threads, where releaseEvent can fail): sleep sets reach what BFS reaches', () => {
    // BFS is no reduction: it expands every ready thread of every state, so its key set is the
    // reachable set (and it was checked against plain enumeration above).
    for (const variant of ['seed', 'upstream'] as const) {
      const m = eventPoolModel({ variant, threads: 3, ops: 2 });
      const bfs = exploreBfs(m, { collectKeys: true });
      const por = exploreDfs(m, 'sleep-sets', { collectKeys: true });
      expect(por.keys).toEqual(bfs.keys);
      expect(por.violations.map((v) => v.invariant).sort()).toEqual(bfs.violations.map((v) => v.invariant).sort());
    }
  });

  it('a planted reduction bug is caught: calling dependent steps independent loses states', () => {
    const m = toyModel('buggy', 2, 1);
    const lying: Model<Int32Array> = { ...m, footprint: () => ({ reads: 0, writes: 0 }) };
    const plain = exploreDfs(lying, 'plain', { collectKeys: true });
    const por = exploreDfs(lying, 'sleep-sets', { collectKeys: true });
    expect(por.keys!.size).toBeLessThan(plain.keys!.size);
    expect(por.violations).toEqual([]);
  });
});
