/**
 * Random sampling of schedules for bounds too large to enumerate. fast-check draws a list of choices;
 * at step i the schedule runs the (choice_i mod #ready)-th ready thread (the first ready thread once
 * the list runs out). A violating schedule is shrunk by fast-check (fewer, smaller choices), which
 * usually gives a short trace, though not necessarily a shortest one (that is what BFS is for).
 */
import fc from 'fast-check';
import { type ExploreProgress, PROGRESS_EVERY } from './limits.ts';
import { DEADLOCK, DEADLOCK_MESSAGE } from './search.ts';
import { DONE, READY, type Model, type Violation } from './types.ts';

export interface SampleOptions {
  readonly runs: number;
  readonly seed: number;
  /** Stop drawing schedules after this long (the runs so far count; a violation found is still shrunk). */
  readonly timeLimitMs?: number;
  /** Called about every PROGRESS_EVERY steps with the runs done (as `states`). */
  readonly onProgress?: (p: ExploreProgress) => void;
}

export interface SampleResult {
  readonly method: 'sample';
  /** False when the time limit stopped sampling before `runs` schedules. */
  readonly complete: boolean;
  /** Schedules run. */
  readonly runs: number;
  readonly seed: number;
  /** Steps run over all sampled schedules. */
  readonly steps: number;
  readonly violation: Violation | null;
  readonly elapsedMs: number;
}

/** Runs one schedule driven by `choices`; returns the threads run and the first broken invariant. */
export function runChoices<S>(model: Model<S>, choices: readonly number[]): { schedule: number[]; broken: string | null; message: string } {
  let s = model.initial();
  const schedule: number[] = [];
  for (let i = 0; ; i++) {
    const ready: number[] = [];
    let allDone = true;
    for (let t = 0; t < model.threadNames.length; t++) {
      const st = model.status(s, t);
      if (st === READY) ready.push(t);
      if (st !== DONE) allDone = false;
    }
    const terminal = ready.length === 0;
    for (const inv of model.invariants) {
      const message = inv.check(s, terminal);
      if (message !== null) return { schedule, broken: inv.name, message };
    }
    if (terminal) {
      return allDone
        ? { schedule, broken: null, message: '' }
        : { schedule, broken: DEADLOCK, message: DEADLOCK_MESSAGE };
    }
    const t = ready[(choices[i] ?? 0) % ready.length] as number;
    schedule.push(t);
    s = model.apply(s, t);
  }
}

export function sampleSchedules<S>(model: Model<S>, opts: SampleOptions): SampleResult {
  const start = performance.now();
  const counter = progressCounter(opts, start);
  const property = fc.property(fc.array(fc.nat(), { maxLength: 512 }), (choices) => counter.ran(runChoices(model, choices)));
  return finish(model, opts, start, counter, fc.check(property, checkParams(opts)));
}

/** sampleSchedules that gives the event loop a turn about every 50 ms (the CLI: Ctrl-C, progress). */
export async function sampleSchedulesAsync<S>(model: Model<S>, opts: SampleOptions): Promise<SampleResult> {
  const start = performance.now();
  const counter = progressCounter(opts, start);
  let last = start;
  const property = fc.asyncProperty(fc.array(fc.nat(), { maxLength: 512 }), async (choices) => {
    if (performance.now() - last >= 50) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      last = performance.now();
    }
    return counter.ran(runChoices(model, choices));
  });
  return finish(model, opts, start, counter, await fc.check(property, checkParams(opts)));
}

function checkParams(opts: SampleOptions): fc.Parameters<[number[]]> {
  return {
    numRuns: opts.runs, seed: opts.seed,
    ...(opts.timeLimitMs === undefined ? {} : { interruptAfterTimeLimit: opts.timeLimitMs, markInterruptAsFailure: false }),
  };
}

function progressCounter(opts: SampleOptions, start: number) {
  let steps = 0;
  let runs = 0;
  let reported = 0;
  return {
    get steps() {
      return steps;
    },
    ran(r: { schedule: readonly number[]; broken: string | null }): boolean {
      steps += r.schedule.length;
      runs++;
      if (opts.onProgress !== undefined && steps - reported >= PROGRESS_EVERY) {
        reported = steps;
        opts.onProgress({ states: runs, depth: r.schedule.length, violations: 0, elapsedMs: performance.now() - start });
      }
      return r.broken === null;
    },
  };
}

function finish<S>(model: Model<S>, opts: SampleOptions, start: number, counter: { steps: number }, details: fc.RunDetails<[number[]]>): SampleResult {
  let violation: Violation | null = null;
  if (details.failed && details.counterexample) {
    const r = runChoices(model, details.counterexample[0]);
    if (r.broken !== null) violation = { invariant: r.broken, message: r.message, schedule: r.schedule };
  }
  return {
    method: 'sample', complete: !details.interrupted || violation !== null, runs: details.numRuns, seed: opts.seed,
    steps: counter.steps, violation, elapsedMs: performance.now() - start,
  };
}
