/**
 * Toy models that check the explorer itself: each thread increments a shared counter `ops` times.
 * `buggy` does the increment as a separate load and store (a lost update is possible); `correct`
 * wraps the same load and store in a mutex. The invariant: once every thread has finished, the
 * counter equals threads × ops.
 */
import { BLOCKED, DONE, READY, type Footprint, type Invariant, type Model, type ThreadStatus } from './types.ts';

export const TOY_MODELS = ['buggy', 'correct'] as const;
export type ToyModelName = (typeof TOY_MODELS)[number];

const MUTEX = 1;
const COUNTER = 2;
const NONE: Footprint = { reads: 0, writes: 0 };

type Instr = 'lock' | 'load' | 'store' | 'unlock';

/** State: [mutex owner or -1, counter, then per thread: pc, register]. */
type ToyState = Int32Array;

export function toyModel(kind: ToyModelName, threads = 2, ops = 1): Model<ToyState> {
  const body: Instr[] = kind === 'buggy' ? ['load', 'store'] : ['lock', 'load', 'store', 'unlock'];
  const program: Instr[] = Array.from({ length: ops }, () => body).flat();
  const pcAt = (t: number): number => 2 + 2 * t;
  const regAt = (t: number): number => 3 + 2 * t;
  const instr = (s: ToyState, t: number): Instr | undefined => program[s[pcAt(t)] as number];
  const expected = threads * ops;

  const lostUpdate: Invariant<ToyState> = {
    name: 'no-lost-update',
    description: `when all threads have finished, counter = ${expected}`,
    check: (s, terminal) => (terminal && s[1] !== expected ? `counter is ${s[1]} after ${expected} increments` : null),
  };

  return {
    title: `toy model ${kind}: ${threads} threads × ${ops} increment${ops === 1 ? '' : 's'} (${kind === 'buggy' ? 'load; store' : 'lock; load; store; unlock'})`,
    threadNames: Array.from({ length: threads }, (_, t) => `T${t}`),
    threadRoles: Array.from({ length: threads }, () => `${ops} × counter++ ${kind === 'buggy' ? 'without a lock' : 'under the mutex'}`),
    invariants: [lostUpdate],
    initial: () => {
      const s = new Int32Array(2 + 2 * threads);
      s[0] = -1;
      return s;
    },
    status(s, t): ThreadStatus {
      const i = instr(s, t);
      if (i === undefined) return DONE;
      if (i === 'lock' && s[0] !== -1) return BLOCKED;
      return READY;
    },
    apply(s, t) {
      const n = s.slice();
      switch (instr(s, t)) {
        case 'lock': n[0] = t; break;
        case 'unlock': n[0] = -1; break;
        case 'load': n[regAt(t)] = s[1] as number; break;
        case 'store': n[1] = (s[regAt(t)] as number) + 1; break;
        case undefined: break;
      }
      n[pcAt(t)] = (s[pcAt(t)] as number) + 1;
      return n;
    },
    footprint(s, t) {
      switch (instr(s, t)) {
        case 'lock': case 'unlock': return { reads: 0, writes: MUTEX };
        case 'load': return { reads: COUNTER, writes: 0 };
        case 'store': return { reads: 0, writes: COUNTER };
        case undefined: return NONE;
      }
    },
    describeStep(s, t) {
      switch (instr(s, t)) {
        case 'lock': return 'lock mutex';
        case 'unlock': return 'unlock mutex';
        case 'load': return `load counter (${s[1]})`;
        case 'store': return `store counter = ${(s[regAt(t)] as number) + 1}`;
        case undefined: return 'finished';
      }
    },
    key: (s) => String.fromCharCode.apply(null, s as unknown as number[]),
    render: (s) => {
      const owner = s[0] === -1 ? '–' : `T${s[0]}`;
      const regs = Array.from({ length: threads }, (_, t) => `T${t}.r=${s[regAt(t)]}`).join(' ');
      return `${kind === 'correct' ? `mutex=${owner} ` : ''}counter=${s[1]} ${regs}`;
    },
    view: (s) => ({
      ...(kind === 'correct' ? { mutex: s[0] === -1 ? null : `T${s[0]}` } : {}),
      counter: s[1],
      registers: Array.from({ length: threads }, (_, t) => s[regAt(t)]),
    }),
  };
}
