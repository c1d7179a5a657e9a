/**
 * Random small concurrent programs for checking the reductions: threads read and write two shared
 * variables through a register and take two mutexes (nested in any order, so deadlocks happen).
 */
import fc from 'fast-check';
import { BLOCKED, DONE, READY, type Model } from '../../../src/mps/explore/index.ts';

export type RInstr =
  | { readonly op: 'read'; readonly v: number }
  | { readonly op: 'write'; readonly v: number; readonly c: number }
  | { readonly op: 'lock' | 'unlock'; readonly m: number };

const plainInstr: fc.Arbitrary<RInstr> = fc.oneof(
  fc.record({ op: fc.constant('read' as const), v: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ op: fc.constant('write' as const), v: fc.integer({ min: 0, max: 1 }), c: fc.integer({ min: 0, max: 2 }) }),
);

/** A thread: plain steps, some wrapped in lock m … unlock m (possibly nested with the other mutex). */
const block: fc.Arbitrary<RInstr[]> = fc.letrec<{ b: RInstr[] }>((tie) => ({
  b: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    plainInstr.map((i) => [i]),
    fc.tuple(fc.integer({ min: 0, max: 1 }), fc.array(tie('b'), { maxLength: 2 })).map(([m, inner]) => [
      { op: 'lock' as const, m },
      ...inner.flat().filter((i) => !('m' in i && i.m === m)),
      { op: 'unlock' as const, m },
    ]),
  ),
})).b;

export const randomProgram: fc.Arbitrary<RInstr[][]> = fc.array(
  fc.array(block, { minLength: 1, maxLength: 3 }).map((bs) => bs.flat().slice(0, 5)).map(balance),
  { minLength: 2, maxLength: 3 },
);

/** Truncation can cut an unlock off: drop unlocks of unheld mutexes and close what is still held. */
function balance(code: RInstr[]): RInstr[] {
  const held: number[] = [];
  const out: RInstr[] = [];
  for (const i of code) {
    if (i.op === 'lock') held.push(i.m);
    if (i.op === 'unlock') {
      const k = held.lastIndexOf(i.m);
      if (k < 0) continue;
      held.splice(k, 1);
    }
    out.push(i);
  }
  for (const m of held.reverse()) out.push({ op: 'unlock', m });
  return out;
}

// State: [x0, x1, owner m0, owner m1, then per thread pc, reg].
export function randomModel(threads: RInstr[][]): Model<Int32Array> {
  const n = threads.length;
  const at = (s: Int32Array, t: number): RInstr | undefined => threads[t]?.[s[4 + 2 * t] as number];
  return {
    title: 'random program',
    threadNames: threads.map((_, t) => `T${t}`),
    threadRoles: threads.map((c) => c.map((i) => i.op).join(',')),
    invariants: [
      { name: 'x0-not-3', description: 'x0 ≠ 3', check: (s) => (s[0] === 3 ? 'x0 = 3' : null) },
      { name: 'final-sum-even', description: 'x0 + x1 even at the end', check: (s, end) => (end && ((s[0] as number) + (s[1] as number)) % 2 !== 0 ? 'odd' : null) },
    ],
    initial: () => {
      const s = new Int32Array(4 + 2 * n);
      s[2] = -1;
      s[3] = -1;
      return s;
    },
    status(s, t) {
      const i = at(s, t);
      if (i === undefined) return DONE;
      if (i.op === 'lock' && s[2 + i.m] !== -1) return BLOCKED;
      return READY;
    },
    apply(s, t) {
      const i = at(s, t)!;
      const x = s.slice();
      if (i.op === 'read') x[5 + 2 * t] = s[i.v] as number;
      if (i.op === 'write') x[i.v] = (s[5 + 2 * t] as number) + i.c;
      if (i.op === 'lock') x[2 + i.m] = t;
      if (i.op === 'unlock') x[2 + i.m] = -1;
      x[4 + 2 * t] = (s[4 + 2 * t] as number) + 1;
      return x;
    },
    footprint(s, t) {
      const i = at(s, t);
      if (i === undefined) return { reads: 0, writes: 0 };
      if (i.op === 'read') return { reads: 1 << i.v, writes: 0 };
      if (i.op === 'write') return { reads: 0, writes: 1 << i.v };
      return { reads: 0, writes: 4 << i.m };
    },
    describeStep: (s, t) => JSON.stringify(at(s, t)),
    key: (s) => Array.from(s).join(','),
    render: (s) => Array.from(s).join(','),
    view: (s) => Array.from(s),
  };
}
