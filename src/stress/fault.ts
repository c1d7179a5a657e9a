/**
 * Test-only fault injection for the stress run: REFSIM_STRESS_FAULT=<kind>:<thread>:<op>[,...].
 * It exists so the failure paths (a worker that crashes, hangs, returns a wrong result or loses its
 * device) are exercised by tests against the real orchestration, not by mocks.
 *   crash  the worker throws an uncaught error when it reaches that op
 *   hang   the worker stops making progress at that op (a busy loop; only the watchdog ends it)
 *   wrong  one bit of that op's GPU output is flipped before verification
 *   lost   the worker's device is destroyed under that op (shared mode: the one shared device)
 */
import { InputRangeError } from '../errors.ts';

export const FAULT_KINDS = ['crash', 'hang', 'wrong', 'lost'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  readonly kind: FaultKind;
  readonly thread: number;
  /** Index of the op within the thread (0-based). */
  readonly op: number;
}

export const FAULT_ENV = 'REFSIM_STRESS_FAULT';

const ALLOWED = `a comma-separated list of <${FAULT_KINDS.join('|')}>:<thread>:<op> (thread and op 0-based integers)`;

export function parseFaults(text: string | undefined): Fault[] {
  if (text === undefined || text.trim() === '') return [];
  return text.split(',').map((item) => {
    const m = /^\s*(\w+):(\d{1,6}):(\d{1,9})\s*$/.exec(item);
    const kind = m?.[1];
    if (m === null || kind === undefined || !(FAULT_KINDS as readonly string[]).includes(kind)) {
      throw new InputRangeError(FAULT_ENV, ALLOWED, text);
    }
    return { kind: kind as FaultKind, thread: Number(m[2]), op: Number(m[3]) };
  });
}

/** The fault planned for op `op` of `thread`, if any. */
export function faultAt(faults: readonly Fault[], thread: number, op: number): FaultKind | null {
  for (const f of faults) if (f.thread === thread && f.op === op) return f.kind;
  return null;
}
