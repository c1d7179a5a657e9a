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
 * The parts, in pool/: the programs (program.ts), the state's fields (state.ts), the bound and the
 * id arithmetic (setup.ts), the steps (step.ts), the invariants (invariants.ts) and the words
 * (text.ts).
 */
import type { Model } from './types.ts';
import { poolInvariants } from './pool/invariants.ts';
import { FOOTPRINT, IDLE } from './pool/program.ts';
import { type PoolModelOptions, PoolSetup } from './pool/setup.ts';
import { PoolState } from './pool/state.ts';
import { apply, status } from './pool/step.ts';
import { describeStep, render, threadRoles, title, view } from './pool/text.ts';

export { POOL_PATHS, POOL_VARIANTS, type PoolModelOptions, type PoolPath, type PoolVariant } from './pool/setup.ts';
export type { PoolState } from './pool/state.ts';

export function eventPoolModel(opts: PoolModelOptions): Model<PoolState> {
  const setup = new PoolSetup(opts);
  return {
    title: title(setup),
    threadNames: Array.from({ length: setup.threads }, (_, t) => `T${t}`),
    threadRoles: threadRoles(setup),
    invariants: poolInvariants(setup),
    initial: () => PoolState.initial(setup.layout),
    status: (s, t) => status(setup, s, t),
    apply: (s, t) => apply(setup, s, t),
    footprint: (s, t) => {
      const ins = setup.instrOf(s, t);
      return ins === undefined ? IDLE : FOOTPRINT[ins.code];
    },
    describeStep: (s, t) => describeStep(setup, s, t),
    key: (s) => s.key(),
    render: (s) => render(setup, s),
    view: (s) => view(setup, s),
  };
}
