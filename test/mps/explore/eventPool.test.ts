import { describe, expect, it } from 'vitest';
import { eventPoolModel, exploreBfs, exploreDfs, replay, type Trace } from '../../../src/mps/explore/index.ts';

const live = (t: Trace): unknown => t.steps.at(-1)!.view;
type View = { pool: { event: string; id: string }[]; inUse: Record<string, string>; threads: { local: { event: string; id: string } | null; held: { event: string; id: string }[] }[] };

describe('event pool model at the issue bound (2 threads, 3 ops)', () => {
  it('upstream: a shortest violation is a duplicate live id 1 from the lost ++m_event_counter', () => {
    const m = eventPoolModel({ variant: 'upstream', threads: 2, ops: 3 });
    const r = exploreBfs(m);
    expect(r.complete).toBe(true);
    const v = r.violations[0]!;
    expect(v.invariant).toBe('unique-live-ids');
    // Lower bound: a duplicate needs two created events (a pooled one is not live), and each
    // thread's path to its first `new MPSEvent` is 7 steps: T0 lock, lock, pop, unlock, load, store,
    // create; T1 lock allocator, lock, pop, unlock, load, store, create. BFS must meet it.
    expect(v.schedule).toHaveLength(14);
    const trace = replay(m, v.schedule);
    const view = live(trace) as View;
    const ids = view.threads.map((t) => t.local?.id);
    expect(ids).toEqual(['1', '1']);
    expect(view.threads.map((t) => t.local?.event)).toEqual(['e0.1', 'e1.1']);
    // The lost update: both loads see 0 before either store.
    const loads = trace.steps.filter((s) => s.step.includes('load: r = 0')).map((s) => s.n);
    const stores = trace.steps.filter((s) => s.step.includes('store: m_event_counter = 1')).map((s) => s.n);
    expect(loads).toHaveLength(2);
    expect(stores).toHaveLength(2);
    expect(Math.max(...loads)).toBeLessThan(Math.min(...stores));
    expect(trace.steps.slice(0, -1).every((s) => s.violated.length === 0)).toBe(true);
    expect(v.message).toBe('live events e0.1 and e1.1 share id 1');
  });

  it('seed: no violation in any interleaving; the exact count agrees with plain enumeration', () => {
    const m = eventPoolModel({ variant: 'seed', threads: 2, ops: 3 });
    const r = exploreBfs(m);
    expect(r.complete).toBe(true);
    expect(r.violations).toEqual([]);
    const plain = exploreDfs(m, 'plain');
    expect(plain.violations).toEqual([]);
    expect(BigInt(plain.executions)).toBe(r.interleavings);
  });
});

describe('event pool model with 3 threads (two torch.mps.Event threads, one allocator thread)', () => {
  const m = eventPoolModel({ variant: 'upstream', threads: 3, ops: 2 });
  const r = exploreBfs(m);

  it('upstream breaks the id map and releaseEvent too, in that order', () => {
    expect(r.violations.map((v) => v.invariant)).toEqual(['unique-live-ids', 'id-names-held-event', 'release-succeeds']);
    const lens = r.violations.map((v) => v.schedule.length);
    expect([...lens].sort((a, b) => a - b)).toEqual(lens);
  });

  it('the id-map violation is an emplace that did not replace: a pooled event reused with id 1', () => {
    const v = r.violations.find((x) => x.invariant === 'id-names-held-event')!;
    const trace = replay(m, v.schedule);
    const last = trace.steps.at(-1)!;
    expect(last.step).toMatch(/emplace\(1, e1\.1\): key held by e0\.1, not replaced/);
    expect(trace.steps.some((s) => /pop e1\.1\[id 1\]/.test(s.step))).toBe(true);
    const view = last.view as View;
    expect(view.inUse).toEqual({ 1: 'e0.1' });
    expect(view.pool).toContainEqual({ event: 'e1.1', id: '1' });
  });

  it('releaseEvent fails with Invalid Event ID 1 after the other thread released the shared id', () => {
    const v = r.violations.find((x) => x.invariant === 'release-succeeds')!;
    expect(v.message).toMatch(/releaseEvent\(1\) failed TORCH_CHECK: Invalid Event ID: 1/);
    const trace = replay(m, v.schedule);
    const erases = trace.steps.filter((s) => /erase\(1\)/.test(s.step));
    expect(erases).toHaveLength(1);
    expect(trace.steps.at(-1)!.step).toMatch(/FAILS/);
    expect(trace.steps.at(-1)!.thread).not.toBe(erases[0]!.thread);
  });

  it('seed at the same bound: no violation', () => {
    expect(exploreBfs(eventPoolModel({ variant: 'seed', threads: 3, ops: 2 })).violations).toEqual([]);
  });
});

describe('which paths race', () => {
  it('upstream: two torch.mps.Event threads alone never collide (the outer lock covers the ++); event with direct does', () => {
    for (const variant of ['seed', 'upstream'] as const) {
      expect(exploreBfs(eventPoolModel({ variant, threads: 2, ops: 3, paths: ['event', 'event'] })).violations).toEqual([]);
      // Under the model's assumption that the allocator holds its own mutex around acquireEvent.
      expect(exploreBfs(eventPoolModel({ variant, threads: 2, ops: 3, paths: ['direct', 'direct'] })).violations).toEqual([]);
    }
    const mixed = exploreBfs(eventPoolModel({ variant: 'upstream', threads: 3, ops: 1, paths: ['direct', 'direct', 'event'] }));
    expect(mixed.violations.map((v) => v.invariant)).toEqual(['unique-live-ids']);
  });
});

describe('id width', () => {
  it('upstream hands out id 0 when the counter passes 2^32; seed does not, until 2^64', () => {
    const up = exploreBfs(eventPoolModel({ variant: 'upstream', threads: 2, ops: 1, counterStart: 2n ** 32n - 1n }));
    expect(up.violations.map((v) => v.invariant)).toContain('no-id-zero');
    const seed = exploreBfs(eventPoolModel({ variant: 'seed', threads: 2, ops: 1, counterStart: 2n ** 32n - 1n }));
    expect(seed.violations).toEqual([]);
    const seedWrap = exploreBfs(eventPoolModel({ variant: 'seed', threads: 2, ops: 1, counterStart: 2n ** 64n - 1n }));
    expect(seedWrap.violations.map((v) => v.invariant)).toEqual(['no-id-zero']);
  });

  it('rejects bounds outside the model with a typed error', () => {
    expect(() => eventPoolModel({ variant: 'seed', threads: 1, ops: 3 })).toThrow(/threads must be an integer in 2\.\.8/);
    expect(() => eventPoolModel({ variant: 'seed', threads: 2, ops: 0 })).toThrow(/ops must be/);
  });
});
