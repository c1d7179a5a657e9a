/**
 * Step model of PyTorch's MPSEventPool for the interleaving explorer. Each thread runs a script of
 * operations, each expanded into the source's steps (one step = one atomic action):
 *
 *   'event' path (by default T0, T2, ...): torch.mps.Event's `id_t acquireEvent(bool)` then
 *     `releaseEvent(id)`, alternating; the ids go through m_in_use_events.
 *   'direct' path (by default T1, T3, ...): `acquireEvent(bool, stream)` called by the allocator
 *     under its own mutex, then dropping the MPSEventPtr (its deleter returns the event to the
 *     pool), alternating.
 *
 * Source (pytorch/pytorch, line numbers of the stored copies):
 *   MPSEvent.mm @0aafd810d15f: deleter 151-154 (lock m_mutex, m_pool.push); acquireEvent(bool,
 *     stream) 161-176 (lock 166, pop 167-170, scope end 173, `++m_event_counter` 174 outside the lock);
 *     id_t acquireEvent(bool) 185-192 (lock 186 around the call, emplace 190); releaseEvent 194-199
 *     (lock 195, TORCH_CHECK 196, erase 198).
 *   MPSEvent.h @09dbde5c7b52: recursive_mutex m_mutex 139, std::stack m_pool 140,
 *     unordered_map<id_t, MPSEventPtr> m_in_use_events 144, `uint64_t m_event_counter = 0` 145.
 *
 * Variants:
 *   upstream: `++m_event_counter` is a plain load then store (two steps, outside the pool mutex on
 *     the direct path), ids truncated to 32-bit id_t, LIFO reuse keeping old ids, emplace that does
 *     not replace an existing key (the new MPSEventPtr dies at return and its event goes back to
 *     the pool).
 *   seed: the hardened variant the seed report reviewed: std::atomic<uint64_t> fetch_add(1) + 1 as
 *     one step, inside the pool mutex, 64-bit ids; pool, map and locks as upstream.
 *
 * Abstracted away: streams, timing, Metal events, record/wait; the allocator's own work (only its
 * mutex around acquire); the refcount of MPSEventPtr beyond "held by one owner"; memory-model
 * effects beyond a load/store split (the model is sequentially consistent).
 *
 * Ids are stored as offsets from the counter's start value (small integers); the printed id is
 * (start + offset) mod 2^bits. Offsets below 2^32 are distinct, so id equality is offset equality.
 */
import { InputRangeError } from '../../errors.ts';
import { BLOCKED, DONE, READY, type Footprint, type Invariant, type Model, type ThreadStatus } from './types.ts';

export const POOL_VARIANTS = ['seed', 'upstream'] as const;
export type PoolVariant = (typeof POOL_VARIANTS)[number];
export const POOL_PATHS = ['event', 'direct'] as const;
export type PoolPath = (typeof POOL_PATHS)[number];

export interface PoolModelOptions {
  readonly variant: PoolVariant;
  /** 2..8 */
  readonly threads: number;
  /** Which path each thread runs; default: event, direct, event, direct, ... */
  readonly paths?: readonly PoolPath[];
  /** Operations per thread, 1..8. */
  readonly ops: number;
  /** Initial m_event_counter (default 0), to look at the id_t wrap. */
  readonly counterStart?: bigint;
}

type Code =
  | 'lockPool' | 'unlockPool' | 'lockAlloc' | 'unlockAlloc' | 'pop' | 'load' | 'store'
  | 'fetchAdd' | 'create' | 'emplace' | 'check' | 'erase' | 'push';

interface Instr {
  readonly code: Code;
  /** Source line(s) modelled. */
  readonly src: string;
  /** Which call this step belongs to. */
  readonly call: string;
  /** Index of the operation in the thread's script. */
  readonly op: number;
  readonly next: number;
  /** Where to go instead when the event came from the pool (skips the counter). */
  readonly ifPopped?: number;
  /** The direct path's last step hands the event to the caller. */
  readonly returnsEvent?: boolean;
}

// Shared locations (footprint bits).
const L_POOL_MUTEX = 1;
const L_ALLOC_MUTEX = 2;
const L_POOL = 4;
const L_COUNTER = 8;
const L_MAP = 16;

const FOOTPRINT: Record<Code, Footprint> = {
  lockPool: { reads: 0, writes: L_POOL_MUTEX },
  unlockPool: { reads: 0, writes: L_POOL_MUTEX },
  lockAlloc: { reads: 0, writes: L_ALLOC_MUTEX },
  unlockAlloc: { reads: 0, writes: L_ALLOC_MUTEX },
  pop: { reads: 0, writes: L_POOL },
  load: { reads: L_COUNTER, writes: 0 },
  store: { reads: 0, writes: L_COUNTER },
  fetchAdd: { reads: 0, writes: L_COUNTER },
  // The new event is the thread's own until it is emplaced or dropped.
  create: { reads: 0, writes: 0 },
  emplace: { reads: 0, writes: L_MAP | L_POOL },
  // A failing TORCH_CHECK unwinds the lock_guard: it may release the pool mutex.
  check: { reads: L_MAP, writes: L_POOL_MUTEX },
  erase: { reads: 0, writes: L_MAP | L_POOL },
  push: { reads: 0, writes: L_POOL },
};
const IDLE: Footprint = { reads: 0, writes: 0 };

const MM = 'MPSEvent.mm';

/** Steps of one operation, with jump targets relative to `base`. */
function operation(variant: PoolVariant, direct: boolean, acquire: boolean, op: number, base: number): Instr[] {
  const at = (i: number): number => base + i;
  if (!acquire) {
    if (direct) {
      const call = 'drop MPSEventPtr (deleter)';
      return [
        { code: 'lockPool', src: `${MM}:152`, call, op, next: at(1) },
        { code: 'push', src: `${MM}:153`, call, op, next: at(2) },
        { code: 'unlockPool', src: `${MM}:154`, call, op, next: at(3) },
      ];
    }
    const call = 'releaseEvent(id)';
    return [
      { code: 'lockPool', src: `${MM}:195`, call, op, next: at(1) },
      { code: 'check', src: `${MM}:196`, call, op, next: at(2) },
      { code: 'erase', src: `${MM}:198, deleter 151-154`, call, op, next: at(3) },
      { code: 'unlockPool', src: `${MM}:199`, call, op, next: at(4) },
    ];
  }
  const inner = 'acquireEvent(bool, stream)';
  // The body of acquireEvent(bool, stream), starting at index `from` of the operation.
  const body = (from: number, call: string): Instr[] => {
    const b = (i: number): number => at(from + i);
    if (variant === 'upstream') {
      return [
        { code: 'lockPool', src: `${MM}:166`, call, op, next: b(1) },
        { code: 'pop', src: `${MM}:167-170`, call, op, next: b(2) },
        { code: 'unlockPool', src: `${MM}:171/173`, call, op, next: b(3), ifPopped: b(6) },
        { code: 'load', src: `${MM}:174`, call, op, next: b(4) },
        { code: 'store', src: `${MM}:174`, call, op, next: b(5) },
        { code: 'create', src: `${MM}:174`, call, op, next: b(6) },
      ];
    }
    return [
      { code: 'lockPool', src: `${MM}:166`, call, op, next: b(1) },
      { code: 'pop', src: `${MM}:167-170`, call, op, next: b(2), ifPopped: b(4) },
      { code: 'fetchAdd', src: 'seed: fetch_add(1) + 1', call, op, next: b(3) },
      { code: 'create', src: `${MM}:174`, call, op, next: b(4) },
      { code: 'unlockPool', src: 'seed: lock scope end', call, op, next: b(5) },
    ];
  };
  if (direct) {
    const call = `allocator → ${inner}`;
    const steps = body(1, call);
    return [
      { code: 'lockAlloc', src: 'allocator mutex', call, op, next: at(1) },
      ...steps,
      { code: 'unlockAlloc', src: 'allocator mutex', call, op, next: at(steps.length + 2), returnsEvent: true },
    ];
  }
  const call = 'acquireEvent(bool) → id_t';
  const steps = body(1, call);
  return [
    { code: 'lockPool', src: `${MM}:186`, call, op, next: at(1) },
    ...steps,
    { code: 'emplace', src: `${MM}:189-190`, call, op, next: at(steps.length + 2) },
    { code: 'unlockPool', src: `${MM}:192`, call, op, next: at(steps.length + 3) },
  ];
}

function program(variant: PoolVariant, direct: boolean, ops: number): Instr[] {
  const out: Instr[] = [];
  for (let op = 0; op < ops; op++) out.push(...operation(variant, direct, op % 2 === 0, op, out.length));
  return out;
}

/**
 * The whole state as one flat array of small integers (-1 = none). A plain array, not an
 * Int32Array: states are copied on every step, and small typed arrays cost far more to allocate.
 */
export type PoolState = number[];

export function eventPoolModel(opts: PoolModelOptions): Model<PoolState> {
  const { variant, threads, ops } = opts;
  const start = opts.counterStart ?? 0n;
  if (!Number.isInteger(threads) || threads < 2 || threads > 8) throw new InputRangeError('threads', 'an integer in 2..8', threads);
  if (!Number.isInteger(ops) || ops < 1 || ops > 8) throw new InputRangeError('ops', 'an integer in 1..8', ops);
  if (start < 0n || start >= 2n ** 64n) throw new InputRangeError('counterStart', 'an integer in 0..2^64-1', start);
  const bits = variant === 'upstream' ? 32 : 64;
  const idMod = 1n << BigInt(bits);
  const counterMod = 2n ** 64n;

  const paths: readonly PoolPath[] = opts.paths ?? Array.from({ length: threads }, (_, t) => (t % 2 === 0 ? 'event' : 'direct'));
  if (paths.length !== threads) throw new InputRangeError('paths', `a list of ${threads} paths (one per thread)`, paths);
  const isDirect = (t: number): boolean => paths[t] === 'direct';
  const O = threads * ops; // event objects: one per (thread, op), named e<thread>.<op+1>
  const P_OWNER = 0;
  const P_DEPTH = 1;
  const A_OWNER = 2;
  const COUNTER = 3;
  const POOL_LEN = 4;
  const POOL = 5;
  const OBJ_ID = POOL + O;
  const MAP = OBJ_ID + O; // indexed by id offset 0..O
  const THREADS = MAP + O + 1;
  const PC = 0;
  const REG = 1;
  const CUR = 2;
  const POPPED = 3;
  const FAILED = 4;
  const HELD_N = 5;
  const HELD = 6;
  const F = HELD + ops;
  const size = THREADS + threads * F;
  const tf = (t: number, field: number): number => THREADS + t * F + field;

  const programs = Array.from({ length: threads }, (_, t) => program(variant, isDirect(t), ops));
  const instrOf = (s: PoolState, t: number): Instr | undefined => {
    if (s[tf(t, FAILED)] !== 0) return undefined;
    return programs[t]?.[s[tf(t, PC)] as number];
  };

  const idValue = (offset: number): bigint => ((start + BigInt(offset)) % counterMod) % idMod;
  // The offset whose id is 0 (if the counter can reach it within this bound).
  const zeroOffset = Number((idMod - (start % idMod)) % idMod || idMod);
  const counterValue = (offset: number): bigint => (start + BigInt(offset)) % counterMod;
  const evName = (obj: number): string => `e${Math.floor(obj / ops)}.${(obj % ops) + 1}`;
  const evWithId = (s: PoolState, obj: number): string => `${evName(obj)}[id ${idValue(s[OBJ_ID + obj] as number)}]`;
  const poolList = (s: PoolState): number[] => s.slice(POOL, POOL + (s[POOL_LEN] as number));
  const held = (s: PoolState, t: number): number[] => s.slice(tf(t, HELD), tf(t, HELD) + (s[tf(t, HELD_N)] as number));

  const pushPool = (n: PoolState, obj: number): void => {
    const len = n[POOL_LEN] as number;
    n[POOL + len] = obj;
    n[POOL_LEN] = len + 1;
  };
  const pushHeld = (n: PoolState, t: number, obj: number): void => {
    const k = n[tf(t, HELD_N)] as number;
    n[tf(t, HELD + k)] = obj;
    n[tf(t, HELD_N)] = k + 1;
  };
  const popHeld = (n: PoolState, t: number): void => {
    const k = (n[tf(t, HELD_N)] as number) - 1;
    n[tf(t, HELD + k)] = -1;
    n[tf(t, HELD_N)] = k;
  };
  const topHeld = (s: PoolState, t: number): number => s[tf(t, HELD + (s[tf(t, HELD_N)] as number) - 1)] as number;

  // Scratch arrays for the invariants, which run on every state: no allocation per check.
  const inPool = new Uint8Array(O);
  const liveById = new Int32Array(O + 1);
  /** First pair of live events (created, not in the pool) sharing an id, or null. */
  const duplicateLive = (s: PoolState): [number, number] | null => {
    inPool.fill(0);
    liveById.fill(-1);
    const len = s[POOL_LEN] as number;
    for (let i = 0; i < len; i++) inPool[s[POOL + i] as number] = 1;
    for (let obj = 0; obj < O; obj++) {
      const id = s[OBJ_ID + obj] as number;
      if (id < 0 || inPool[obj] === 1) continue;
      const other = liveById[id] as number;
      if (other >= 0) return [other, obj];
      liveById[id] = obj;
    }
    return null;
  };

  const invariants: Invariant<PoolState>[] = [
    {
      name: 'unique-live-ids',
      description: 'no two live events (created and not in the pool) share an id',
      check(s) {
        const d = duplicateLive(s);
        return d === null ? null : `live events ${evName(d[0])} and ${evName(d[1])} share id ${idValue(s[OBJ_ID + d[0]] as number)}`;
      },
    },
    {
      name: 'id-names-held-event',
      description: 'the id acquireEvent(bool) returned names, in m_in_use_events, the event that caller acquired',
      check(s) {
        for (let t = 0; t < threads; t++) {
          if (isDirect(t)) continue;
          const k = s[tf(t, HELD_N)] as number;
          for (let i = 0; i < k; i++) {
            const obj = s[tf(t, HELD + i)] as number;
            const id = s[OBJ_ID + obj] as number;
            const named = s[MAP + id] as number;
            if (named !== obj) {
              return `T${t} was given id ${idValue(id)} for ${evName(obj)}, but m_in_use_events[${idValue(id)}] ${named < 0 ? 'is absent' : `is ${evName(named)}`}`;
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
          const failed = s[tf(t, FAILED)] as number;
          if (failed !== 0) return `T${t}: releaseEvent(${idValue(failed)}) failed TORCH_CHECK: Invalid Event ID: ${idValue(failed)}`;
        }
        return null;
      },
    },
    {
      name: 'no-id-zero',
      description: 'no event is created with id 0',
      check(s) {
        if (zeroOffset > O) return null;
        for (let obj = 0; obj < O; obj++) {
          if (s[OBJ_ID + obj] === zeroOffset) return `${evName(obj)} was created with id 0 (counter ${counterValue(zeroOffset)} as ${bits}-bit id)`;
        }
        return null;
      },
    },
  ];

  const describe = (s: PoolState, t: number): string => {
    const ins = instrOf(s, t);
    if (ins === undefined) return 'finished';
    const reg = s[tf(t, REG)] as number;
    const cur = s[tf(t, CUR)] as number;
    const text = ((): string => {
      switch (ins.code) {
        case 'lockPool': {
          const d = s[P_DEPTH] as number;
          return `lock m_mutex (recursive, depth ${d}→${d + 1})`;
        }
        case 'unlockPool': {
          const d = s[P_DEPTH] as number;
          return `unlock m_mutex (depth ${d}→${d - 1})`;
        }
        case 'lockAlloc': return 'lock the allocator mutex';
        case 'unlockAlloc': return `unlock the allocator mutex; caller holds ${cur >= 0 ? evWithId(s, cur) : '?'}`;
        case 'pop': {
          const len = s[POOL_LEN] as number;
          if (len === 0) return 'm_pool empty: nothing to pop';
          return `pop ${evWithId(s, s[POOL + len - 1] as number)} from m_pool (LIFO; keeps its id)`;
        }
        case 'load': return `++m_event_counter, load: r = ${counterValue(s[COUNTER] as number)}`;
        case 'store': return `++m_event_counter, store: m_event_counter = ${counterValue(reg + 1)}`;
        case 'fetchAdd': return `m_event_counter.fetch_add(1) + 1 = ${counterValue((s[COUNTER] as number) + 1)} (atomic)`;
        case 'create': {
          const obj = t * ops + ins.op;
          return `new MPSEvent ${evName(obj)} with id (id_t)${counterValue(reg)} = ${idValue(reg)}`;
        }
        case 'emplace': {
          const id = s[OBJ_ID + cur] as number;
          const there = s[MAP + id] as number;
          return there < 0
            ? `m_in_use_events.emplace(${idValue(id)}, ${evName(cur)}): inserted; returns ${idValue(id)}`
            : `m_in_use_events.emplace(${idValue(id)}, ${evName(cur)}): key held by ${evName(there)}, not replaced; ${evName(cur)} back to m_pool; returns ${idValue(id)}`;
        }
        case 'check': {
          const id = s[OBJ_ID + topHeld(s, t)] as number;
          return (s[MAP + id] as number) < 0
            ? `TORCH_CHECK(m_in_use_events.count(${idValue(id)}) > 0) FAILS: "Invalid Event ID: ${idValue(id)}" (throws, lock released)`
            : `TORCH_CHECK(m_in_use_events.count(${idValue(id)}) > 0) passes`;
        }
        case 'erase': {
          const id = s[OBJ_ID + topHeld(s, t)] as number;
          return `m_in_use_events.erase(${idValue(id)}): ${evName(s[MAP + id] as number)} back to m_pool`;
        }
        case 'push': return `deleter: m_pool.push(${evWithId(s, topHeld(s, t))})`;
      }
    })();
    return `${ins.call}: ${text}  [${ins.src}]`;
  };

  const apply = (s: PoolState, t: number): PoolState => {
    const ins = instrOf(s, t);
    const n = s.slice();
    if (ins === undefined) return n;
    let next = ins.next;
    switch (ins.code) {
      case 'lockPool':
        n[P_OWNER] = t;
        n[P_DEPTH] = (s[P_DEPTH] as number) + 1;
        break;
      case 'unlockPool': {
        const d = (s[P_DEPTH] as number) - 1;
        n[P_DEPTH] = d;
        if (d === 0) n[P_OWNER] = -1;
        if (ins.ifPopped !== undefined && s[tf(t, POPPED)] === 1) next = ins.ifPopped;
        break;
      }
      case 'lockAlloc':
        n[A_OWNER] = t;
        break;
      case 'unlockAlloc':
        n[A_OWNER] = -1;
        if (ins.returnsEvent) {
          pushHeld(n, t, s[tf(t, CUR)] as number);
          n[tf(t, CUR)] = -1;
          n[tf(t, POPPED)] = 0;
        }
        break;
      case 'pop': {
        const len = s[POOL_LEN] as number;
        if (len > 0) {
          n[tf(t, CUR)] = s[POOL + len - 1] as number;
          n[POOL + len - 1] = -1;
          n[POOL_LEN] = len - 1;
          n[tf(t, POPPED)] = 1;
          if (ins.ifPopped !== undefined) next = ins.ifPopped;
        }
        break;
      }
      case 'load':
        n[tf(t, REG)] = s[COUNTER] as number;
        break;
      case 'store': {
        const v = (s[tf(t, REG)] as number) + 1;
        n[COUNTER] = v;
        n[tf(t, REG)] = v;
        break;
      }
      case 'fetchAdd': {
        const v = (s[COUNTER] as number) + 1;
        n[COUNTER] = v;
        n[tf(t, REG)] = v;
        break;
      }
      case 'create': {
        const obj = t * ops + ins.op;
        n[OBJ_ID + obj] = s[tf(t, REG)] as number;
        n[tf(t, CUR)] = obj;
        n[tf(t, REG)] = 0;
        break;
      }
      case 'emplace': {
        const cur = s[tf(t, CUR)] as number;
        const id = s[OBJ_ID + cur] as number;
        if (s[MAP + id] === -1) n[MAP + id] = cur;
        else pushPool(n, cur);
        pushHeld(n, t, cur);
        n[tf(t, CUR)] = -1;
        n[tf(t, POPPED)] = 0;
        break;
      }
      case 'check': {
        const id = s[OBJ_ID + topHeld(s, t)] as number;
        if (s[MAP + id] === -1) {
          n[tf(t, FAILED)] = id;
          const d = (s[P_DEPTH] as number) - 1;
          n[P_DEPTH] = d;
          if (d === 0) n[P_OWNER] = -1;
        }
        break;
      }
      case 'erase': {
        const id = s[OBJ_ID + topHeld(s, t)] as number;
        pushPool(n, s[MAP + id] as number);
        n[MAP + id] = -1;
        popHeld(n, t);
        break;
      }
      case 'push':
        pushPool(n, topHeld(s, t));
        popHeld(n, t);
        break;
    }
    n[tf(t, PC)] = next;
    return n;
  };

  const status = (s: PoolState, t: number): ThreadStatus => {
    const ins = instrOf(s, t);
    if (ins === undefined) return DONE;
    if (ins.code === 'lockPool') {
      const owner = s[P_OWNER] as number;
      return owner === -1 || owner === t ? READY : BLOCKED;
    }
    if (ins.code === 'lockAlloc') return s[A_OWNER] === -1 ? READY : BLOCKED;
    return READY;
  };

  const render = (s: PoolState): string => {
    const owner = s[P_OWNER] as number;
    const mutex = owner < 0 ? 'm_mutex=free' : `m_mutex=T${owner}×${s[P_DEPTH]}`;
    const alloc = s[A_OWNER] as number;
    const parts = [
      mutex,
      ...(threads > 1 ? [`alloc=${alloc < 0 ? 'free' : `T${alloc}`}`] : []),
      `counter=${counterValue(s[COUNTER] as number)}`,
      `pool=[${poolList(s).map((o) => evWithId(s, o)).join(',')}]`,
      `map={${mapEntries(s).map(([id, o]) => `${idValue(id)}:${evName(o)}`).join(',')}}`,
    ];
    const ts = Array.from({ length: threads }, (_, t) => {
      const bits: string[] = [];
      const ins = instrOf(s, t);
      if (ins && (ins.code === 'store' || ins.code === 'create')) bits.push(`r=${counterValue(s[tf(t, REG)] as number)}`);
      const cur = s[tf(t, CUR)] as number;
      if (cur >= 0) bits.push(`has ${evWithId(s, cur)}`);
      const h = held(s, t);
      if (h.length > 0) bits.push(!isDirect(t) ? `ids=[${h.map((o) => idValue(s[OBJ_ID + o] as number)).join(',')}]` : `holds=[${h.map((o) => evWithId(s, o)).join(',')}]`);
      if (s[tf(t, FAILED)] !== 0) bits.push('threw');
      else if (ins === undefined) bits.push('done');
      return `T${t}{${bits.join(' ')}}`;
    });
    return `${parts.join(' ')} | ${ts.join(' ')}`;
  };

  const mapEntries = (s: PoolState): [number, number][] => {
    const out: [number, number][] = [];
    for (let id = 0; id <= O; id++) {
      const o = s[MAP + id] as number;
      if (o >= 0) out.push([id, o]);
    }
    return out;
  };

  const view = (s: PoolState): unknown => ({
    mutex: { owner: (s[P_OWNER] as number) < 0 ? null : `T${s[P_OWNER]}`, depth: s[P_DEPTH] },
    allocatorMutex: (s[A_OWNER] as number) < 0 ? null : `T${s[A_OWNER]}`,
    counter: String(counterValue(s[COUNTER] as number)),
    pool: poolList(s).map((o) => ({ event: evName(o), id: String(idValue(s[OBJ_ID + o] as number)) })),
    inUse: Object.fromEntries(mapEntries(s).map(([id, o]) => [String(idValue(id)), evName(o)])),
    threads: Array.from({ length: threads }, (_, t) => {
      const cur = s[tf(t, CUR)] as number;
      return {
        thread: `T${t}`,
        next: instrOf(s, t)?.code ?? (s[tf(t, FAILED)] !== 0 ? 'threw' : 'done'),
        register: String(counterValue(s[tf(t, REG)] as number)),
        local: cur < 0 ? null : { event: evName(cur), id: String(idValue(s[OBJ_ID + cur] as number)) },
        held: held(s, t).map((o) => ({ event: evName(o), id: String(idValue(s[OBJ_ID + o] as number)) })),
      };
    }),
  });

  const roles = Array.from({ length: threads }, (_, t) => {
    const direct = isDirect(t);
    const script = Array.from({ length: ops }, (_, op) =>
      op % 2 === 0 ? (direct ? 'acquireEvent(bool, stream)' : 'acquireEvent(bool)') : direct ? 'drop' : 'releaseEvent(id)');
    return `${direct ? 'direct path (allocator)' : 'torch.mps.Event path'}: ${script.join(', ')}`;
  });

  return {
    title: `event pool, variant=${variant} (${variant === 'upstream' ? 'plain ++ outside the lock, 32-bit id_t' : 'atomic fetch_add inside the lock, 64-bit ids'}), threads=${threads}${opts.paths ? ` (${paths.join(',')})` : ''}, ops=${ops}${start === 0n ? '' : `, counter start=${start}`}`,
    threadNames: Array.from({ length: threads }, (_, t) => `T${t}`),
    threadRoles: roles,
    invariants,
    initial: () => {
      const s: PoolState = new Array<number>(size).fill(-1);
      s[P_DEPTH] = 0;
      s[COUNTER] = 0;
      s[POOL_LEN] = 0;
      for (let t = 0; t < threads; t++) {
        for (const f of [PC, REG, POPPED, FAILED, HELD_N]) s[tf(t, f)] = 0;
      }
      return s;
    },
    status,
    apply,
    footprint: (s, t) => {
      const ins = instrOf(s, t);
      return ins === undefined ? IDLE : FOOTPRINT[ins.code];
    },
    describeStep: describe,
    key: (s) => String.fromCharCode.apply(null, s),
    render,
    view,
  };
}
