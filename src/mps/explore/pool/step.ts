/** What a step does: which threads can step, and the state after one step. */
import { BLOCKED, DONE, READY, type ThreadStatus } from '../types.ts';
import type { PoolSetup } from './setup.ts';
import type { PoolState } from './state.ts';

export function status(setup: PoolSetup, s: PoolState, t: number): ThreadStatus {
  const ins = setup.instrOf(s, t);
  if (ins === undefined) return DONE;
  if (ins.code === 'lockPool') {
    const owner = s.mutexOwner;
    return owner === -1 || owner === t ? READY : BLOCKED;
  }
  if (ins.code === 'lockAlloc') return s.allocatorOwner === -1 ? READY : BLOCKED;
  return READY;
}

/** The state after thread t's next step; `s` is left unchanged. */
export function apply(setup: PoolSetup, s: PoolState, t: number): PoolState {
  const ins = setup.instrOf(s, t);
  const n = s.copy();
  if (ins === undefined) return n;
  let next = ins.next;
  switch (ins.code) {
    case 'lockPool':
      n.mutexOwner = t;
      n.mutexDepth = s.mutexDepth + 1;
      break;
    case 'unlockPool': {
      const d = s.mutexDepth - 1;
      n.mutexDepth = d;
      if (d === 0) n.mutexOwner = -1;
      if (ins.ifPopped !== undefined && s.popped(t)) next = ins.ifPopped;
      break;
    }
    case 'lockAlloc':
      n.allocatorOwner = t;
      break;
    case 'unlockAlloc':
      n.allocatorOwner = -1;
      if (ins.returnsEvent) {
        n.pushHeld(t, s.current(t));
        n.setCurrent(t, -1);
        n.setPopped(t, false);
      }
      break;
    case 'pop': {
      const obj = n.popPool();
      if (obj >= 0) {
        n.setCurrent(t, obj);
        n.setPopped(t, true);
        if (ins.ifPopped !== undefined) next = ins.ifPopped;
      }
      break;
    }
    case 'load':
      n.setRegister(t, s.counter);
      break;
    case 'store': {
      const v = s.register(t) + 1;
      n.counter = v;
      n.setRegister(t, v);
      break;
    }
    case 'fetchAdd': {
      const v = s.counter + 1;
      n.counter = v;
      n.setRegister(t, v);
      break;
    }
    case 'create': {
      const obj = setup.eventOf(t, ins.op);
      n.setIdOf(obj, s.register(t));
      n.setCurrent(t, obj);
      n.setRegister(t, 0);
      break;
    }
    case 'emplace': {
      // emplace does not replace an existing key: the new event goes back to the pool instead.
      const cur = s.current(t);
      const id = s.idOf(cur);
      if (s.inUse(id) === -1) n.setInUse(id, cur);
      else n.pushPool(cur);
      n.pushHeld(t, cur);
      n.setCurrent(t, -1);
      n.setPopped(t, false);
      break;
    }
    case 'check': {
      // A failing TORCH_CHECK throws: the thread stops, and the lock_guard's unwinding unlocks once.
      const id = s.idOf(s.topHeld(t));
      if (s.inUse(id) === -1) {
        n.setFailedId(t, id);
        const d = s.mutexDepth - 1;
        n.mutexDepth = d;
        if (d === 0) n.mutexOwner = -1;
      }
      break;
    }
    case 'erase': {
      const id = s.idOf(s.topHeld(t));
      n.pushPool(s.inUse(id));
      n.setInUse(id, -1);
      n.popHeld(t);
      break;
    }
    case 'push':
      n.pushPool(s.topHeld(t));
      n.popHeld(t);
      break;
  }
  n.setPc(t, next);
  return n;
}
