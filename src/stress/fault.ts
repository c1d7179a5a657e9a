/**
 * Test-only fault injection for the stress run: REFSIM_STRESS_FAULT=<kind>:<thread>:<op>[@<run>][,...].
 * It exists so the failure paths (a worker that crashes, hangs, returns a wrong result or loses its
 * device, a device process that dies natively) are exercised by tests against the real
 * orchestration, not by mocks.
 *   crash  the worker throws an uncaught error when it reaches that op
 *   hang   the worker stops making progress at that op (a busy loop; only the watchdog ends it)
 *   wrong  one bit of that op's GPU output is flipped before verification
 *   lost   the worker's device is destroyed under that op (shared mode: the one shared device)
 *   segv   the process holding the device kills itself with SIGSEGV while that op is in flight, as
 *          a native Dawn or driver crash would end it (shared mode: the shared device's process;
 *          --isolation thread: the process of the whole run, after the op has been visibly in
 *          flight for 200 ms, so a soak's progress report names it)
 * `@<run>` limits a fault to one run of a soak (`--repeat`, runs numbered from 0); without it the
 * fault applies to every run.
 */
import { InputRangeError } from '../errors.ts';

export const FAULT_KINDS = ['crash', 'hang', 'wrong', 'lost', 'segv'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  readonly kind: FaultKind;
  readonly thread: number;
  /** Index of the op within the thread (0-based). */
  readonly op: number;
  /** The soak run it applies to (0-based); undefined: every run. */
  readonly run?: number;
}

export const FAULT_ENV = 'REFSIM_STRESS_FAULT';

const ALLOWED = `a comma-separated list of <${FAULT_KINDS.join('|')}>:<thread>:<op>[@<run>] (thread, op and run 0-based integers)`;

export function parseFaults(text: string | undefined): Fault[] {
  if (text === undefined || text.trim() === '') return [];
  return text.split(',').map((item) => {
    const m = /^\s*(\w+):(\d{1,6}):(\d{1,9})(?:@(\d{1,6}))?\s*$/.exec(item);
    const kind = m?.[1];
    if (m === null || kind === undefined || !(FAULT_KINDS as readonly string[]).includes(kind)) {
      throw new InputRangeError(FAULT_ENV, ALLOWED, text);
    }
    return { kind: kind as FaultKind, thread: Number(m[2]), op: Number(m[3]), ...(m[4] === undefined ? {} : { run: Number(m[4]) }) };
  });
}

/** The faults of soak run `run`: those without a run and those for that run. */
export function faultsOfRun(faults: readonly Fault[], run: number): Fault[] {
  return faults.filter((f) => f.run === undefined || f.run === run);
}

/** The fault planned for op `op` of `thread`, if any. */
export function faultAt(faults: readonly Fault[], thread: number, op: number): FaultKind | null {
  for (const f of faults) if (f.thread === thread && f.op === op) return f.kind;
  return null;
}
