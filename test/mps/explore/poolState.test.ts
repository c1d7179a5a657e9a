/**
 * The event-pool model's typed state (src/mps/explore/pool/state.ts): its fields read as the
 * source's initial pool, and the explorer's contract that a step never changes the state it starts
 * from (BFS keeps a whole layer of states and DFS a path of them).
 */
import { describe, expect, it } from 'vitest';
import { eventPoolModel, type Model, type PoolState, READY } from '../../../src/mps/explore/index.ts';

function reachable(m: Model<PoolState>): PoolState[] {
  const seen = new Map<string, PoolState>();
  const stack = [m.initial()];
  while (stack.length > 0) {
    const s = stack.pop()!;
    const k = m.key(s);
    if (seen.has(k)) continue;
    seen.set(k, s);
    for (let t = 0; t < m.threadNames.length; t++) if (m.status(s, t) === READY) stack.push(m.apply(s, t));
  }
  return [...seen.values()];
}

describe('event-pool state', () => {
  it('starts with both mutexes free, m_event_counter at its start and nothing pooled, mapped, created or held', () => {
    const threads = 3;
    const ops = 2;
    const m = eventPoolModel({ variant: 'upstream', threads, ops, counterStart: 5n });
    const s = m.initial();
    expect({ owner: s.mutexOwner, depth: s.mutexDepth, allocator: s.allocatorOwner, counter: s.counter, pool: s.pool() })
      .toEqual({ owner: -1, depth: 0, allocator: -1, counter: 0, pool: [] });
    const events = threads * ops;
    expect(Array.from({ length: events }, (_, obj) => s.idOf(obj))).toEqual(new Array(events).fill(-1));
    expect(Array.from({ length: events + 1 }, (_, id) => s.inUse(id))).toEqual(new Array(events + 1).fill(-1));
    const fresh = { pc: 0, current: -1, popped: false, failed: 0, held: [] };
    expect(Array.from({ length: threads }, (_, t) => ({ pc: s.pc(t), current: s.current(t), popped: s.popped(t), failed: s.failedId(t), held: s.held(t) })))
      .toEqual(new Array(threads).fill(fresh));
    expect((m.view(s) as { counter: string }).counter).toBe('5');
  });

  it('a copy is equal by key and independent of its original', () => {
    const m = eventPoolModel({ variant: 'seed', threads: 2, ops: 2 });
    const s = m.initial();
    const c = s.copy();
    expect(c.key()).toBe(s.key());
    c.pushPool(1);
    c.setCurrent(0, 1);
    expect({ pool: s.pool(), current: s.current(0), same: c.key() === s.key() }).toEqual({ pool: [], current: -1, same: false });
    expect({ top: c.popPool(), after: c.pool(), empty: c.popPool() }).toEqual({ top: 1, after: [], empty: -1 });
  });

  it('a step leaves the state it starts from unchanged, in every reachable state of both variants', () => {
    const changed: string[] = [];
    let steps = 0;
    for (const variant of ['seed', 'upstream'] as const) {
      const m = eventPoolModel({ variant, threads: 3, ops: 2 });
      for (const s of reachable(m)) {
        const key = m.key(s);
        const view = JSON.stringify(m.view(s));
        for (let t = 0; t < 3; t++) {
          if (m.status(s, t) !== READY) continue;
          const step = m.describeStep(s, t);
          m.apply(s, t);
          steps++;
          if (m.key(s) !== key || JSON.stringify(m.view(s)) !== view) changed.push(`${variant} T${t} ${step} from ${m.render(s)}`);
        }
      }
    }
    expect(steps).toBeGreaterThan(1000);
    expect(changed).toEqual([]);
  });
});
