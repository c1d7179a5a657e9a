/**
 * Native crashes of device processes as the supervisor collects them. A crash reaches it from each
 * thread that had ops in flight on the dead process (and, in shared mode, once from the owner);
 * the reports of one process (the device and its generation) become one NativeCrash with every op
 * that was in flight, the seed, and the last event id of every thread at the time.
 */
import type { ProgressBoard } from './board.ts';
import type { CrashNotice, InFlightOp, NativeCrash, StressFailure } from './types.ts';

export class CrashLog {
  readonly crashes: NativeCrash[] = [];
  private readonly byKey = new Map<string, NativeCrash>();

  constructor(
    private readonly seed: number,
    private readonly board: ProgressBoard,
  ) {}

  /**
   * Records a report of the process of `device` (a thread's own device, or null: the shared one)
   * and the ops it took with it.
   */
  note(device: number | null, notice: CrashNotice, inFlight: readonly Omit<InFlightOp, 'fixture'>[], stopping: boolean): NativeCrash {
    const key = `${device ?? 'shared'}#${notice.generation}`;
    let crash = this.byKey.get(key);
    if (crash === undefined) {
      crash = {
        process: 'device', thread: device, generation: notice.generation, signal: notice.signal, exitCode: notice.exitCode, seed: this.seed,
        stderrTail: lastLines(notice.stderrTail, 5), inFlight: [], lastIds: this.lastIds(), outcome: stopping ? 'stopped' : 'restarted',
      };
      this.byKey.set(key, crash);
      this.crashes.push(crash);
    }
    crash.inFlight.push(...inFlight.map((o) => ({ ...o, fixture: null })));
    crash.inFlight.sort((a, b) => a.thread - b.thread || a.op - b.op);
    return crash;
  }

  /** The latest crash of a device (to mark a failed restart). */
  latest(device: number | null): NativeCrash | undefined {
    return this.crashes.findLast((c) => c.thread === device);
  }

  private lastIds(): (string | null)[] {
    return Array.from({ length: this.board.threads }, (_, t) => {
      const n = this.board.started(t);
      const id = n === 0 ? null : this.board.id(t, n - 1);
      return id === null ? null : String(id);
    });
  }

  /** One failure per crash, at its device (thread -1: the shared device) and its first op in flight. */
  failures(): StressFailure[] {
    return this.crashes.map((c) => {
      const first = c.inFlight[0];
      const sameThread = c.thread !== null && first !== undefined;
      return {
        thread: c.thread ?? -1, op: sameThread ? first.op : null, id: sameThread ? first.id : null, kind: 'native-crash',
        message: `${describeEnd(c)}; ${c.inFlight.length} op(s) in flight; ${OUTCOME_TEXT[c.outcome]}`,
        fixture: first?.fixture ?? null, crash: c,
      };
    });
  }
}

const OUTCOME_TEXT: Record<NativeCrash['outcome'], string> = {
  restarted: 'a fresh device process took over',
  stopped: 'its threads stopped (--on-crash stop)',
  'restart-failed': 'the fresh device process did not start; its threads stopped',
  'run-ended': "the run's process ended with it (in flight: as of its last progress report)",
};

/**
 * The last n lines a dead process wrote, without Dawn's start-up notices about limits it lowered
 * (written by every device at creation, they would push the crash's own last words out).
 */
export const lastLines = (text: string, n: number): string =>
  text.split('\n').filter((l) => l.trim() !== '' && !/^Warning: .*artificially reduced/.test(l)).slice(-n).join('\n');

export const describeEnd = (c: Pick<NativeCrash, 'signal' | 'exitCode'>): string => c.signal ?? `exit code ${c.exitCode}`;

function opsText(c: NativeCrash): string {
  if (c.inFlight.length === 0) return 'with no op in flight';
  // Of a whole run's process only its last progress report is known.
  if (c.process === 'run') return `with ${c.inFlight.map((o) => `thread ${o.thread} op ${o.op}`).slice(0, 4).join(', ')}${c.inFlight.length > 4 ? ` (+${c.inFlight.length - 4} more)` : ''} in flight`;
  const shown = c.inFlight.slice(0, 4).map((o) => (c.thread === null ? `thread ${o.thread} op ${o.op}` : String(o.op)));
  const more = c.inFlight.length > shown.length ? ` (+${c.inFlight.length - shown.length} more)` : '';
  if (c.thread === null) return `during ${shown.join(', ')}${more}`;
  return `during op${c.inFlight.length > 1 ? 's' : ''} ${shown.join(', ')}${more}`;
}

function oneCrash(c: NativeCrash): string {
  const where = c.process === 'run' ? "the run's process (devices in its threads)" : c.thread === null ? 'the shared device' : `thread ${c.thread}`;
  return `${where} (${describeEnd(c)}) ${opsText(c)}`;
}

/** "1 native crash in thread 2 (SIGSEGV) during op 57"; null when there was none. */
export function crashSummary(crashes: readonly NativeCrash[]): string | null {
  if (crashes.length === 0) return null;
  if (crashes.length === 1) return `1 native crash in ${oneCrash(crashes[0]!)}`;
  const shown = crashes.slice(0, 3).map(oneCrash);
  return `${crashes.length} native crashes: ${shown.join('; ')}${crashes.length > 3 ? '; …' : ''}`;
}
