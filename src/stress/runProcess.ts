/**
 * One stress run in a child process, for soaks of --isolation thread: with the devices in the
 * run's own threads a native crash ends the run's process, and running it as a child keeps the
 * soak alive to count it. What was in flight is known from the child's last progress report.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { reviveError, type SerializedError } from '../gpu/isolate.ts';
import type { ProgressSnapshot, StressOptions, StressReport } from './types.ts';

export type RunParentMessage = { readonly type: 'run'; readonly options: StressOptions };
export type RunChildMessage =
  | { readonly type: 'progress'; readonly progress: ProgressSnapshot }
  | { readonly type: 'report'; readonly report: StressReport }
  | { readonly type: 'error'; readonly error: SerializedError };

/** The run ended without a report: its process died. */
export interface RunDied {
  readonly type: 'died';
  readonly signal: string | null;
  readonly exitCode: number | null;
  readonly stderrTail: string;
  /** The last progress report; null when the process died before its threads ran. */
  readonly last: ProgressSnapshot | null;
}

const childEntry = fileURLToPath(new URL('./runChild.ts', import.meta.url));
const tsxLoader = import.meta.resolve('tsx');

export function runStressInProcess(o: StressOptions): Promise<{ readonly type: 'report'; readonly report: StressReport } | RunDied> {
  return new Promise((resolve, reject) => {
    const child = fork(childEntry, [], { execArgv: ['--import', tsxLoader], serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: process.env });
    let stderr = '';
    let last: ProgressSnapshot | null = null;
    let outcome: { type: 'report'; report: StressReport } | { type: 'error'; error: Error } | null = null;
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    child.on('message', (m: RunChildMessage) => {
      if (m.type === 'progress') last = m.progress;
      else if (m.type === 'report') outcome = { type: 'report', report: m.report };
      else outcome = { type: 'error', error: reviveError(m.error) };
    });
    child.on('exit', (code, signal) => {
      const o2 = outcome as typeof outcome;
      if (o2?.type === 'report') resolve(o2);
      else if (o2?.type === 'error') reject(o2.error);
      else resolve({ type: 'died', signal, exitCode: code, stderrTail: stderr, last });
    });
    child.send({ type: 'run', options: o } satisfies RunParentMessage);
  });
}
