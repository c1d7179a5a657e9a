/**
 * Random sampling of schedules for bounds too large to enumerate. fast-check draws a list of choices;
 * at step i the schedule runs the (choice_i mod #ready)-th ready thread (the first ready thread once
 * the list runs out). A violating schedule is shrunk by fast-check (fewer, smaller choices), which
 * usually gives a short trace, though not necessarily a shortest one (that is what BFS is for).
 */
import fc from 'fast-check';
import { DONE, READY, type Model, type Violation } from './types.ts';

export interface SampleOptions {
  readonly runs: number;
  readonly seed: number;
}

export interface SampleResult {
  readonly method: 'sample';
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
        : { schedule, broken: 'deadlock', message: 'no thread can step, but not all have finished' };
    }
    const t = ready[(choices[i] ?? 0) % ready.length] as number;
    schedule.push(t);
    s = model.apply(s, t);
  }
}

export function sampleSchedules<S>(model: Model<S>, opts: SampleOptions): SampleResult {
  const start = performance.now();
  let steps = 0;
  const property = fc.property(fc.array(fc.nat(), { maxLength: 512 }), (choices) => {
    const r = runChoices(model, choices);
    steps += r.schedule.length;
    return r.broken === null;
  });
  const details = fc.check(property, { numRuns: opts.runs, seed: opts.seed });
  let violation: Violation | null = null;
  if (details.failed && details.counterexample) {
    const r = runChoices(model, details.counterexample[0]);
    if (r.broken !== null) violation = { invariant: r.broken, message: r.message, schedule: r.schedule };
  }
  return { method: 'sample', runs: details.numRuns, seed: opts.seed, steps, violation, elapsedMs: performance.now() - start };
}
