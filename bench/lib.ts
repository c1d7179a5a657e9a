/**
 * Shared benchmark plumbing: every suite returns rows, each figure next to the comparison measured
 * in the same run, and the runner prints one table and writes bench/RESULTS.md (never by hand; a
 * filtered run replaces only its own suites' rows).
 */
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../src/util/atomicWrite.ts';
import { mergeResults } from './results.ts';

export interface BenchRow {
  /** Which suite produced the row, e.g. 'counter', 'reference ops'. */
  readonly suite: string;
  /** What was measured, e.g. 'Atomics counter, 4 workers'. */
  readonly name: string;
  /** The measured figure, formatted with its unit, e.g. '41.2 M ids/s (±3.1%)'. */
  readonly value: string;
  /** The comparison measured in the same run, e.g. 'C++ std::atomic: 80.1 M ids/s'. */
  readonly baseline: string;
  /** value / baseline in the direction stated by `ratioLabel`; null where not applicable. */
  readonly ratio: number | null;
  /** e.g. 'TS / C++ throughput'. */
  readonly ratioLabel: string;
  /** The goal, if the issue sets one, e.g. '≥ 0.5'. */
  readonly goal?: string;
  /** Whether the goal was met (undefined without a goal). */
  readonly met?: boolean;
}

export type BenchSuite = () => Promise<BenchRow[]>;

export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['suite', 'measurement', 'value', 'baseline (same run)', 'ratio', 'goal'];
  const body = rows.map((r) => [
    r.suite,
    r.name,
    r.value,
    r.baseline,
    r.ratio === null ? '–' : `${r.ratio.toFixed(2)}× (${r.ratioLabel})`,
    r.goal === undefined ? '' : `${r.goal} ${r.met ? 'met' : 'NOT met'}`,
  ]);
  const lines = [header, header.map(() => '---'), ...body].map((cells) => `| ${cells.join(' | ')} |`);
  return lines.join('\n');
}

export function machineDescription(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, node ${process.version}`;
}

/**
 * Writes a RESULTS file (atomically): this run's table and notes under its machine, date, command
 * and commit. With keepOthers (a filtered run), the rows of suites it did not measure stay, each
 * with the run it came from (bench/results.ts); sections other tools generated into the file stay
 * either way.
 */
export function writeResults(file: string, title: string, command: string, rows: readonly BenchRow[], extra = '', opts: { keepOthers?: boolean } = {}): void {
  // REFSIM_COMMIT: a run on a copy of the tree without usable git metadata (the GPU machine).
  let commit = process.env['REFSIM_COMMIT'] ?? 'unknown';
  if (process.env['REFSIM_COMMIT'] === undefined) try {
    commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // not a git checkout: leave 'unknown'
  }
  const old = existsSync(file) ? readFileSync(file, 'utf8') : null;
  writeFileAtomic(file, mergeResults(old, {
    title, run: { machine: machineDescription(), date: new Date().toISOString(), command, commit }, table: formatTable(rows), notes: extra, keepOthers: opts.keepOthers === true,
  }));
}

export const benchDir = fileURLToPath(new URL('.', import.meta.url));

/** The median of `xs` (the upper one of an even count), or `empty` when there is none. */
export function median(xs: readonly number[], empty = Number.NaN): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? empty;
}

/**
 * Process CPU time in ms, the `now` of the CPU suites' tinybench runs: other load on a shared
 * machine then stretches neither side of a ratio (C measures CLOCK_PROCESS_CPUTIME_ID alike).
 */
export function cpuNowMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
