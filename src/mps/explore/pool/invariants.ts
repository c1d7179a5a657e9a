/** What must hold in every state of the event pool. */
import type { Invariant } from '../types.ts';
import type { PoolSetup } from './setup.ts';
import type { PoolState } from './state.ts';

export function poolInvariants(setup: PoolSetup): Invariant<PoolState>[] {
  const { threads, ids } = setup;
  const events = setup.layout.events;
  // Scratch arrays for the invariants, which run on every state: no allocation per check.
  const inPool = new Uint8Array(events);
  const liveById = new Int32Array(events + 1);
  /** First pair of live events (created, not in the pool) sharing an id, or null. */
  const duplicateLive = (s: PoolState): [number, number] | null => {
    inPool.fill(0);
    liveById.fill(-1);
    const len = s.poolSize;
    for (let i = 0; i < len; i++) inPool[s.poolAt(i)] = 1;
    for (let obj = 0; obj < events; obj++) {
      const id = s.idOf(obj);
      if (id < 0 || inPool[obj] === 1) continue;
      const other = liveById[id] as number;
      if (other >= 0) return [other, obj];
      liveById[id] = obj;
    }
    return null;
  };
  const name = (obj: number): string => setup.eventName(obj);

  return [
    {
      name: 'unique-live-ids',
      description: 'no two live events (created and not in the pool) share an id',
      check(s) {
        const d = duplicateLive(s);
        return d === null ? null : `live events ${name(d[0])} and ${name(d[1])} share id ${ids.id(s.idOf(d[0]))}`;
      },
    },
    {
      name: 'id-names-held-event',
      description: 'the id acquireEvent(bool) returned names, in m_in_use_events, the event that caller acquired',
      check(s) {
        for (let t = 0; t < threads; t++) {
          if (setup.isDirect(t)) continue;
          const k = s.heldCount(t);
          for (let i = 0; i < k; i++) {
            const obj = s.heldAt(t, i);
            const id = s.idOf(obj);
            const named = s.inUse(id);
            if (named !== obj) {
              return `T${t} was given id ${ids.id(id)} for ${name(obj)}, but m_in_use_events[${ids.id(id)}] ${named < 0 ? 'is absent' : `is ${name(named)}`}`;
            }
          }
        }
        return null;
      },
    },
    {
      name: 'release-succeeds',
      description: 'releaseEvent(id) succeeds for every id acquireEvent(bool) gave',
      check(s) {
        for (let t = 0; t < threads; t++) {
          const failed = s.failedId(t);
          if (failed !== 0) return `T${t}: releaseEvent(${ids.id(failed)}) failed TORCH_CHECK: Invalid Event ID: ${ids.id(failed)}`;
        }
        return null;
      },
    },
    {
      name: 'no-id-zero',
      description: 'no event is created with id 0',
      check(s) {
        if (ids.zeroOffset > events) return null;
        for (let obj = 0; obj < events; obj++) {
          if (s.idOf(obj) === ids.zeroOffset) return `${name(obj)} was created with id 0 (counter ${ids.counter(ids.zeroOffset)} as ${ids.bits}-bit id)`;
        }
        return null;
      },
    },
  ];
}
