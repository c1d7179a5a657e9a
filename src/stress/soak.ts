/**
 * The soak (`refsim stress --repeat N`): the same stress run N times with fresh seeds (base seed,
 * base + 1, ...), counted the way jcstress counts outcomes: how many runs ended clean and how many
 * with each kind of finding, plus totals of ops, native crashes, hangs, wrong results and id-check
 * verdicts. The GPU probe runs once for all runs. A native crash in one run ends that run's
 * device process only; the next run starts fresh ones.
 */
import { InputRangeError } from '../errors.ts';
import type { Accuracy } from '../ops/types.ts';
import type { Profile } from '../reference/tensor.ts';
import type { AdapterReport } from '../gpu/types.ts';
import { probeArithmetic } from './accuracy.ts';
import { faultsOfRun } from './fault.ts';
import { outcomeOf, stressExitCode } from './outcome.ts';
import { runStress, validateStressOptions } from './run.ts';
import type { NativeCrash, StressOptions, StressReport } from './types.ts';

export const MAX_REPEAT = 100_000;

export interface SoakRun {
  readonly run: number;
  readonly seed: number;
  readonly outcome: string;
  readonly passed: number;
  readonly completed: number;
  readonly seconds: number;
  readonly startupSeconds: number;
  readonly nativeCrashes: readonly NativeCrash[];
  readonly hangs: number;
  /** Ops whose result violated the verdict rules. */
  readonly wrong: number;
  readonly crashes: number;
  readonly deviceLost: number;
  readonly idsOk: boolean;
  readonly crashSummary: string | null;
  /** Every fixture the run saved. */
  readonly fixtures: readonly string[];
}

export interface SoakTotals {
  readonly runs: number;
  readonly ops: number;
  readonly completed: number;
  readonly passed: number;
  readonly nativeCrashes: number;
  readonly runsWithNativeCrash: number;
  readonly hangs: number;
  readonly wrong: number;
  readonly crashes: number;
  readonly deviceLost: number;
  readonly idsPass: number;
  readonly idsFail: number;
  readonly seconds: number;
}

export interface SoakReport {
  readonly label: string;
  readonly repeat: number;
  readonly baseSeed: number;
  /** The options every run shared (its seed and faults aside). */
  readonly run: Pick<StressReport, 'mode' | 'engine' | 'threads' | 'ops' | 'shape' | 'batch' | 'depth' | 'distinct' | 'isolation' | 'onCrash'> & { readonly timeoutMs: number };
  readonly adapter: AdapterReport | null;
  readonly profile: Profile;
  readonly accuracy: Accuracy;
  readonly accuracySource: string;
  readonly runs: readonly SoakRun[];
  readonly totals: SoakTotals;
  /** jcstress-style: each distinct outcome and the runs that ended with it, most frequent first. */
  readonly outcomes: readonly { readonly outcome: string; readonly runs: number }[];
  readonly ok: boolean;
  /** 0, 1 or 3 as for one run; a finding in any run outranks the environment's failures. */
  readonly exitCode: 0 | 1 | 3;
}

/** Seed of soak run `i`: the base seed plus i, modulo 2^32 (every run reproducible on its own with --seed). */
export const soakSeed = (base: number, i: number): number => (base + i) % 2 ** 32;

export function summarizeRun(run: number, r: StressReport): SoakRun {
  const count = (kind: string): number => r.failures.filter((f) => f.kind === kind).length;
  const nativeCrashes = r.failures.flatMap((f) => (f.crash === undefined ? [] : [f.crash]));
  const fixtures = [
    ...r.failures.flatMap((f) => (f.crash === undefined ? (f.fixture === null ? [] : [f.fixture]) : [])),
    ...nativeCrashes.flatMap((c) => c.inFlight.flatMap((o) => (o.fixture === null ? [] : [o.fixture]))),
  ];
  return {
    run, seed: r.seed, outcome: outcomeOf(r), passed: r.passed, completed: r.completed, seconds: r.seconds, startupSeconds: r.startupSeconds,
    nativeCrashes, hangs: count('hang'), wrong: count('wrong'), crashes: count('crash'), deviceLost: count('device-lost'),
    idsOk: r.ids.ok, crashSummary: r.crashSummary, fixtures,
  };
}

export function soakTotals(runs: readonly SoakRun[], opsPerRun: number): SoakTotals {
  const sum = (f: (r: SoakRun) => number): number => runs.reduce((a, r) => a + f(r), 0);
  return {
    runs: runs.length, ops: runs.length * opsPerRun, completed: sum((r) => r.completed), passed: sum((r) => r.passed),
    nativeCrashes: sum((r) => r.nativeCrashes.length), runsWithNativeCrash: sum((r) => (r.nativeCrashes.length > 0 ? 1 : 0)),
    hangs: sum((r) => r.hangs), wrong: sum((r) => r.wrong), crashes: sum((r) => r.crashes), deviceLost: sum((r) => r.deviceLost),
    idsPass: sum((r) => (r.idsOk ? 1 : 0)), idsFail: sum((r) => (r.idsOk ? 0 : 1)), seconds: sum((r) => r.seconds),
  };
}

export function countOutcomes(runs: readonly SoakRun[]): { outcome: string; runs: number }[] {
  const m = new Map<string, number>();
  for (const r of runs) m.set(r.outcome, (m.get(r.outcome) ?? 0) + 1);
  return [...m].map(([outcome, n]) => ({ outcome, runs: n })).sort((a, b) => b.runs - a.runs || a.outcome.localeCompare(b.outcome));
}

/**
 * Runs the stress run `repeat` times, run i with seed soakSeed(o.seed, i) and the faults meant for
 * it; `onRun` sees each run's summary as it ends (progress).
 */
export async function runSoak(o: StressOptions, repeat: number, onRun: (r: SoakRun) => void = () => undefined): Promise<SoakReport> {
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > MAX_REPEAT) throw new InputRangeError('--repeat', `an integer in [1, ${MAX_REPEAT}]`, repeat);
  validateStressOptions(o);
  let judged: Pick<StressOptions, 'profile' | 'accuracy' | 'accuracySource'> = {};
  if (o.engine === 'gpu' && o.profile === undefined) {
    const m = await probeArithmetic({ ...(o.backend === undefined ? {} : { backend: o.backend }), ...(o.adapter === undefined ? {} : { adapter: o.adapter }) });
    judged = { profile: m.profile, accuracy: o.accuracy ?? m.accuracy, accuracySource: 'GPU probe, once for every run' };
  }
  const runs: SoakRun[] = [];
  let last: StressReport | null = null;
  let exitCode: 0 | 1 | 3 = 0;
  for (let i = 0; i < repeat; i++) {
    const r = await runStress({ ...o, ...judged, seed: soakSeed(o.seed, i), faults: faultsOfRun(o.faults, i) });
    last = r;
    const s = summarizeRun(i, r);
    runs.push(s);
    const code = stressExitCode(r);
    if (code === 1 || (code === 3 && exitCode === 0)) exitCode = code;
    onRun(s);
  }
  const r = last!;
  return {
    label: r.label, repeat, baseSeed: o.seed,
    run: { mode: r.mode, engine: r.engine, threads: r.threads, ops: r.ops, shape: r.shape, batch: r.batch, depth: r.depth, distinct: r.distinct, isolation: r.isolation, onCrash: r.onCrash, timeoutMs: o.timeoutMs },
    adapter: r.adapter, profile: r.profile, accuracy: r.accuracy, accuracySource: r.accuracySource,
    runs, totals: soakTotals(runs, o.ops), outcomes: countOutcomes(runs), ok: exitCode === 0, exitCode,
  };
}
