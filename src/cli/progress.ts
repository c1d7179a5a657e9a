/**
 * Progress on stderr for CLI steps that can take more than a couple of seconds, drawn by
 * cli-progress on a terminal and silent otherwise (pipes, CI logs, --quiet), so stdout stays the
 * report and stderr stays free of redraw noise when it is not a terminal.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** cli-progress, loaded with the first bar drawn: most runs (pipes, CI, --quiet, quick commands) draw none. */
const cliProgress = (): typeof import('cli-progress') => require('cli-progress') as typeof import('cli-progress');

export interface Progress {
  /** Sets the count done (and any payload tokens of the format). */
  update(value: number, payload?: Readonly<Record<string, string | number>>): void;
  /** Stops and clears the bar; idempotent. */
  stop(): void;
}

export interface ProgressOptions {
  /**
   * cli-progress format: {bar} {value} {total} {percentage} {eta_formatted} {duration_formatted}
   * and payload keys, e.g. 'diff {bar} {percentage}% | {value}/{total} cases | {op}'.
   */
  readonly format: string;
  /** The count at completion; 0 when unknown (a counter with elapsed time, no bar). */
  readonly total: number;
  /** Payload tokens shown before the first update. */
  readonly payload?: Readonly<Record<string, string | number>>;
  /** --quiet: never draw. */
  readonly quiet?: boolean;
  /** Default process.stderr. */
  readonly stream?: NodeJS.WritableStream & { isTTY?: boolean };
}

const NONE: Progress = { update() {}, stop() {} };
const active = new Set<Progress>();

/** Whether progress would be drawn on `stream` (a terminal, not --quiet). */
export function progressVisible(quiet: boolean | undefined, stream: { isTTY?: boolean } = process.stderr): boolean {
  return quiet !== true && stream.isTTY === true;
}

export function startProgress(o: ProgressOptions): Progress {
  const stream = o.stream ?? process.stderr;
  if (!progressVisible(o.quiet, stream)) return NONE;
  const { Presets, SingleBar } = cliProgress();
  const bar = new SingleBar(
    { format: o.format, stream: stream as NodeJS.WritableStream, hideCursor: true, clearOnComplete: true, gracefulExit: false, etaBuffer: 50 },
    Presets.shades_classic,
  );
  bar.start(o.total, 0, o.payload ?? {});
  let stopped = false;
  const handle: Progress = {
    update(value, payload) {
      if (!stopped) bar.update(value, payload ?? {});
    },
    stop() {
      if (stopped) return;
      stopped = true;
      active.delete(handle);
      bar.stop();
    },
  };
  active.add(handle);
  return handle;
}

/**
 * Shows `label` with the elapsed seconds while `work` runs (for steps whose inner progress is not
 * observable, e.g. a job in the isolated GPU process); stops when it settles.
 */
export async function withElapsed<T>(label: string, work: Promise<T>, opts: Pick<ProgressOptions, 'quiet' | 'stream'> = {}): Promise<T> {
  // cli-progress redraws on its own timer, so the elapsed time moves without updates.
  const p = startProgress({ format: `${label} … {duration_formatted}`, total: 0, ...opts });
  try {
    return await work;
  } finally {
    p.stop();
  }
}

/** Stops every bar still drawn (an error or Ctrl-C ends the command): the cursor comes back, the line is cleared. */
export function stopAllProgress(): void {
  for (const p of [...active]) p.stop();
}
