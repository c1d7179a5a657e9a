/** The model in words: each step with its source line, a state as one line, and a state as JSON. */
import type { PoolSetup } from './setup.ts';
import type { PoolState } from './state.ts';

export function describeStep(setup: PoolSetup, s: PoolState, t: number): string {
  const ins = setup.instrOf(s, t);
  if (ins === undefined) return 'finished';
  const { ids } = setup;
  const name = (obj: number): string => setup.eventName(obj);
  const withId = (obj: number): string => setup.eventWithId(s, obj);
  const reg = s.register(t);
  const cur = s.current(t);
  const text = ((): string => {
    switch (ins.code) {
      case 'lockPool': {
        const d = s.mutexDepth;
        return `lock m_mutex (recursive, depth ${d}→${d + 1})`;
      }
      case 'unlockPool': {
        const d = s.mutexDepth;
        return `unlock m_mutex (depth ${d}→${d - 1})`;
      }
      case 'lockAlloc': return 'lock the allocator mutex';
      case 'unlockAlloc': return `unlock the allocator mutex; caller holds ${cur >= 0 ? withId(cur) : '?'}`;
      case 'pop': {
        const top = s.poolTop();
        if (top < 0) return 'm_pool empty: nothing to pop';
        return `pop ${withId(top)} from m_pool (LIFO; keeps its id)`;
      }
      case 'load': return `++m_event_counter, load: r = ${ids.counter(s.counter)}`;
      case 'store': return `++m_event_counter, store: m_event_counter = ${ids.counter(reg + 1)}`;
      case 'fetchAdd': return `m_event_counter.fetch_add(1) + 1 = ${ids.counter(s.counter + 1)} (atomic)`;
      case 'create': {
        const obj = setup.eventOf(t, ins.op);
        return `new MPSEvent ${name(obj)} with id (id_t)${ids.counter(reg)} = ${ids.id(reg)}`;
      }
      case 'emplace': {
        const id = s.idOf(cur);
        const there = s.inUse(id);
        return there < 0
          ? `m_in_use_events.emplace(${ids.id(id)}, ${name(cur)}): inserted; returns ${ids.id(id)}`
          : `m_in_use_events.emplace(${ids.id(id)}, ${name(cur)}): key held by ${name(there)}, not replaced; ${name(cur)} back to m_pool; returns ${ids.id(id)}`;
      }
      case 'check': {
        const id = s.idOf(s.topHeld(t));
        return s.inUse(id) < 0
          ? `TORCH_CHECK(m_in_use_events.count(${ids.id(id)}) > 0) FAILS: "Invalid Event ID: ${ids.id(id)}" (throws, lock released)`
          : `TORCH_CHECK(m_in_use_events.count(${ids.id(id)}) > 0) passes`;
      }
      case 'erase': {
        const id = s.idOf(s.topHeld(t));
        return `m_in_use_events.erase(${ids.id(id)}): ${name(s.inUse(id))} back to m_pool`;
      }
      case 'push': return `deleter: m_pool.push(${withId(s.topHeld(t))})`;
    }
  })();
  return `${ins.call}: ${text}  [${ins.src}]`;
}

/** m_in_use_events as [id offset, event] pairs, by id. */
function inUseEntries(setup: PoolSetup, s: PoolState): [number, number][] {
  const out: [number, number][] = [];
  for (let id = 0; id <= setup.layout.events; id++) {
    const o = s.inUse(id);
    if (o >= 0) out.push([id, o]);
  }
  return out;
}

export function render(setup: PoolSetup, s: PoolState): string {
  const { ids, threads } = setup;
  const owner = s.mutexOwner;
  const mutex = owner < 0 ? 'm_mutex=free' : `m_mutex=T${owner}×${s.mutexDepth}`;
  const alloc = s.allocatorOwner;
  const parts = [
    mutex,
    ...(threads > 1 ? [`alloc=${alloc < 0 ? 'free' : `T${alloc}`}`] : []),
    `counter=${ids.counter(s.counter)}`,
    `pool=[${s.pool().map((o) => setup.eventWithId(s, o)).join(',')}]`,
    `map={${inUseEntries(setup, s).map(([id, o]) => `${ids.id(id)}:${setup.eventName(o)}`).join(',')}}`,
  ];
  const ts = Array.from({ length: threads }, (_, t) => {
    const bits: string[] = [];
    const ins = setup.instrOf(s, t);
    if (ins && (ins.code === 'store' || ins.code === 'create')) bits.push(`r=${ids.counter(s.register(t))}`);
    const cur = s.current(t);
    if (cur >= 0) bits.push(`has ${setup.eventWithId(s, cur)}`);
    const h = s.held(t);
    if (h.length > 0) bits.push(!setup.isDirect(t) ? `ids=[${h.map((o) => ids.id(s.idOf(o))).join(',')}]` : `holds=[${h.map((o) => setup.eventWithId(s, o)).join(',')}]`);
    if (s.failedId(t) !== 0) bits.push('threw');
    else if (ins === undefined) bits.push('done');
    return `T${t}{${bits.join(' ')}}`;
  });
  return `${parts.join(' ')} | ${ts.join(' ')}`;
}

export function view(setup: PoolSetup, s: PoolState): unknown {
  const { ids } = setup;
  const event = (o: number): { event: string; id: string } => ({ event: setup.eventName(o), id: String(ids.id(s.idOf(o))) });
  return {
    mutex: { owner: s.mutexOwner < 0 ? null : `T${s.mutexOwner}`, depth: s.mutexDepth },
    allocatorMutex: s.allocatorOwner < 0 ? null : `T${s.allocatorOwner}`,
    counter: String(ids.counter(s.counter)),
    pool: s.pool().map(event),
    inUse: Object.fromEntries(inUseEntries(setup, s).map(([id, o]) => [String(ids.id(id)), setup.eventName(o)])),
    threads: Array.from({ length: setup.threads }, (_, t) => {
      const cur = s.current(t);
      return {
        thread: `T${t}`,
        next: setup.instrOf(s, t)?.code ?? (s.failedId(t) !== 0 ? 'threw' : 'done'),
        register: String(ids.counter(s.register(t))),
        local: cur < 0 ? null : event(cur),
        held: s.held(t).map(event),
      };
    }),
  };
}

/** What each thread runs, in words. */
export function threadRoles(setup: PoolSetup): string[] {
  return Array.from({ length: setup.threads }, (_, t) => {
    const direct = setup.isDirect(t);
    const script = Array.from({ length: setup.ops }, (_, op) =>
      op % 2 === 0 ? (direct ? 'acquireEvent(bool, stream)' : 'acquireEvent(bool)') : direct ? 'drop' : 'releaseEvent(id)');
    return `${direct ? 'direct path (allocator)' : 'torch.mps.Event path'}: ${script.join(', ')}`;
  });
}

export function title(setup: PoolSetup): string {
  const { variant, start } = setup;
  const what = variant === 'upstream' ? 'plain ++ outside the lock, 32-bit id_t' : 'atomic fetch_add inside the lock, 64-bit ids';
  return `event pool, variant=${variant} (${what}), threads=${setup.threads}${setup.pathsGiven ? ` (${setup.paths.join(',')})` : ''}, ops=${setup.ops}${start === 0n ? '' : `, counter start=${start}`}`;
}
