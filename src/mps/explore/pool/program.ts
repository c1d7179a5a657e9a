/**
 * Each thread's program: its script of operations expanded into the source's steps (one step = one
 * atomic action), with the source lines each step models and the shared locations it touches.
 */
import type { Footprint } from '../types.ts';
import type { PoolVariant } from './setup.ts';

export type Code =
  | 'lockPool' | 'unlockPool' | 'lockAlloc' | 'unlockAlloc' | 'pop' | 'load' | 'store'
  | 'fetchAdd' | 'create' | 'emplace' | 'check' | 'erase' | 'push';

export interface Instr {
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

export const FOOTPRINT: Record<Code, Footprint> = {
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
/** The footprint of a finished thread. */
export const IDLE: Footprint = { reads: 0, writes: 0 };

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

/** A thread's program: `ops` operations, acquiring and releasing alternately. */
export function program(variant: PoolVariant, direct: boolean, ops: number): Instr[] {
  const out: Instr[] = [];
  for (let op = 0; op < ops; op++) out.push(...operation(variant, direct, op % 2 === 0, op, out.length));
  return out;
}
