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
import { probeArithmetic, WGSL_SPEC_ACCURACY } from './accuracy.ts';
import { crashSummary, lastLines } from './crashes.ts';
import { faultsOfRun } from './fault.ts';
import { saveOpInputs } from './fixtures.ts';
import { outcomeOf, stressExitCode } from './outcome.ts';
import { runStress, STRESS_LABEL, validateStressOptions } from './run.ts';
import { type RunDied, runStressInProcess } from './runProcess.ts';
import { type InFlightOp, MAX_REPEAT, type NativeCrash, type StressOptions, type StressReport } from './types.ts';

export { MAX_REPEAT };

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
  /** null: not checked (the run's process died with its ids). */
  readonly idsOk: boolean | null;
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
  /** Runs whose process died with their ids (--isolation thread). */
  readonly idsUnchecked: number;
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
    idsPass: sum((r) => (r.idsOk === true ? 1 : 0)), idsFail: sum((r) => (r.idsOk === false ? 1 : 0)), idsUnchecked: sum((r) => (r.idsOk === null ? 1 : 0)),
    seconds: sum((r) => r.seconds),
  };
}

export function countOutcomes(runs: readonly SoakRun[]): { outcome: string; runs: number }[] {
  const m = new Map<string, number>();
  for (const r of runs) m.set(r.outcome, (m.get(r.outcome) ?? 0) + 1);
  return [...m].map(([outcome, n]) => ({ outcome, runs: n })).sort((a, b) => b.runs - a.runs || a.outcome.localeCompare(b.outcome));
}

type Judged = Required<Pick<StressOptions, 'profile' | 'accuracy'>> & Pick<StressOptions, 'accuracySource'> & { readonly adapter: AdapterReport | null };

/**
 * A run of --isolation thread whose process died: one native crash of the whole run, with the ops
 * of its last progress report in flight (each saved as a fixture, as a device crash's are); or,
 * when it was killed for silence, a hang with those ops.
 */
export function diedRun(run: number, o: StressOptions, d: RunDied, judged: Judged): SoakRun {
  const threads = d.last?.threads ?? [];
  const inFlight: InFlightOp[] = threads.flatMap((t, thread) => t.inFlight.map((f) => ({ thread, op: f.op, id: f.id, submission: Math.floor(f.op / o.batch), fixture: null })));
  const adapter = d.last?.adapter ?? judged.adapter;
  if (adapter !== null) {
    for (const f of inFlight) f.fixture = saveOpInputs(o, { seed: o.seed, adapter, profile: judged.profile, accuracy: judged.accuracy }, f.thread, f.op);
  }
  const crash: NativeCrash = {
    process: 'run', thread: null, generation: 1, signal: d.signal, exitCode: d.exitCode, seed: o.seed, stderrTail: lastLines(d.stderrTail, 5),
    inFlight, lastIds: threads.map((t) => t.lastId), outcome: 'run-ended',
  };
  const sum = (f: (t: (typeof threads)[number]) => number): number => threads.reduce((a, t) => a + f(t), 0);
  return {
    run, seed: o.seed, outcome: d.hung ? 'hang' : 'native-crash', passed: sum((t) => t.passed), completed: sum((t) => t.finished), seconds: d.last?.seconds ?? 0,
    startupSeconds: 0, nativeCrashes: d.hung ? [] : [crash], hangs: d.hung ? 1 : 0, wrong: 0, crashes: 0, deviceLost: 0, idsOk: null,
    crashSummary: d.hung ? null : crashSummary([crash]), fixtures: inFlight.flatMap((f) => (f.fixture === null ? [] : [f.fixture])),
  };
}

/**
 * Runs the stress run `repeat` times, run i with seed soakSeed(o.seed, i) and the faults meant for
 * it; `onRun` sees each run's summary as it ends (progress). Runs of --isolation thread run in a
 * child process each (runProcess.ts), so a native crash ends that run only.
 */
export async function runSoak(o: StressOptions, repeat: number, onRun: (r: SoakRun) => void = () => undefined): Promise<SoakReport> {
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > MAX_REPEAT) throw new InputRangeError('--repeat', `an integer in [1, ${MAX_REPEAT}]`, repeat);
  validateStressOptions(o);
  // What a run is judged by (given, else the WGSL limits runStress would take, else probed once here).
  let judged: Judged = {
    profile: o.profile ?? 'strict', accuracy: o.accuracy ?? WGSL_SPEC_ACCURACY, adapter: null,
    ...(o.accuracySource === undefined ? {} : { accuracySource: o.accuracySource }),
  };
  let probed: Pick<StressOptions, 'profile' | 'accuracy' | 'accuracySource'> = {};
  if (o.engine === 'gpu' && o.profile === undefined) {
    const m = await probeArithmetic({ ...(o.backend === undefined ? {} : { backend: o.backend }), ...(o.adapter === undefined ? {} : { adapter: o.adapter }) });
    probed = { profile: m.profile, accuracy: o.accuracy ?? m.accuracy, accuracySource: 'GPU probe, once for every run' };
    judged = { profile: m.profile, accuracy: o.accuracy ?? m.accuracy, accuracySource: 'GPU probe, once for every run', adapter: m.adapter };
  }
  const inProcess = o.engine === 'gpu' && o.isolation === 'thread';
  const runs: SoakRun[] = [];
  let last: StressReport | null = null;
  let exitCode: 0 | 1 | 3 = 0;
  for (let i = 0; i < repeat; i++) {
    const ro: StressOptions = { ...o, ...probed, seed: soakSeed(o.seed, i), faults: faultsOfRun(o.faults, i) };
    const r = inProcess ? await runStressInProcess(ro) : { type: 'report' as const, report: await runStress(ro) };
    const s = r.type === 'report' ? summarizeRun(i, r.report) : diedRun(i, ro, r, judged);
    if (r.type === 'report') last = r.report;
    runs.push(s);
    const code = r.type === 'report' ? stressExitCode(r.report) : 1;
    if (code === 1 || (code === 3 && exitCode === 0)) exitCode = code;
    onRun(s);
  }
  return {
    label: STRESS_LABEL, repeat, baseSeed: o.seed,
    run: {
      mode: o.mode, engine: o.engine, threads: o.threads, ops: o.ops, shape: o.shape, batch: o.batch, depth: o.depth, distinct: o.distinct,
      isolation: o.isolation ?? 'process', onCrash: o.onCrash ?? 'continue', timeoutMs: o.timeoutMs,
    },
    adapter: last?.adapter ?? judged.adapter, profile: last?.profile ?? judged.profile, accuracy: last?.accuracy ?? judged.accuracy,
    accuracySource: last?.accuracySource ?? judged.accuracySource ?? 'given',
    runs, totals: soakTotals(runs, o.ops), outcomes: countOutcomes(runs), ok: exitCode === 0, exitCode,
  };
}
