/**
 * One stress run in a child process, for soaks of --isolation thread: with the devices in the
 * run's own threads a native crash ends the run's process, and running it as a child keeps the
 * soak alive to count it. What was in flight is known from the child's last progress report.
 */
import { fork } from 'node:child_process';
import { reviveError, type SerializedError } from '../gpu/isolate.ts';
import { entryPath, loaderArgs } from '../util/entry.ts';
import type { ProgressSnapshot, StressOptions, StressReport } from './types.ts';

export type RunParentMessage = { readonly type: 'run'; readonly options: StressOptions };
export type RunChildMessage =
  | { readonly type: 'progress'; readonly progress: ProgressSnapshot }
  | { readonly type: 'report'; readonly report: StressReport }
  | { readonly type: 'error'; readonly error: SerializedError };

/** The run ended without a report: its process died, or (hung) showed no sign of life and was killed. */
export interface RunDied {
  readonly type: 'died';
  readonly signal: string | null;
  readonly exitCode: number | null;
  readonly stderrTail: string;
  /** The last progress report; null when the process died before its threads ran. */
  readonly last: ProgressSnapshot | null;
  readonly hung: boolean;
}

const childEntry = entryPath('./runChild.ts', import.meta.url);
/** A run's process that has reported is given this long to exit before it is killed (a thread left behind in a native call). */
const EXIT_GRACE_MS = 10_000;

/**
 * Runs `o` in a child process. Silence (no progress, no report) for longer than the run's own
 * startup allowance plus its watchdog's timeout means the run's own supervisor is stuck too: the
 * process is killed and the run reported as hung.
 */
export function runStressInProcess(o: StressOptions): Promise<{ readonly type: 'report'; readonly report: StressReport } | RunDied> {
  const silenceMs = 180_000 + 2 * o.timeoutMs;
  return new Promise((resolve, reject) => {
    const child = fork(childEntry, [], { execArgv: loaderArgs(childEntry), serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: process.env });
    let stderr = '';
    let last: ProgressSnapshot | null = null;
    let settled = false;
    let hung = false;
    const kill = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    let silence = setTimeout(() => { hung = true; kill(); }, silenceMs);
    const settle = (f: () => void): void => {
      clearTimeout(silence);
      if (settled) return;
      settled = true;
      f();
    };
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    child.on('message', (m: RunChildMessage) => {
      clearTimeout(silence);
      silence = setTimeout(() => { hung = true; kill(); }, silenceMs);
      if (m.type === 'progress') {
        last = m.progress;
        return;
      }
      settle(() => (m.type === 'report' ? resolve({ type: 'report', report: m.report }) : reject(reviveError(m.error))));
      setTimeout(kill, EXIT_GRACE_MS).unref();
    });
    child.on('exit', (code, signal) => {
      settle(() => resolve({ type: 'died', signal, exitCode: code, stderrTail: stderr, last, hung }));
    });
    child.send({ type: 'run', options: o } satisfies RunParentMessage);
  });
}
