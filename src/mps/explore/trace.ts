/** Replays a schedule into a printable trace: every step, and the state and broken invariants after it. */
import { DEADLOCK } from './search.ts';
import { DONE, READY, type Model } from './types.ts';
import { RefsimError } from '../../errors.ts';

export interface TraceStep {
  /** 1-based step number. */
  readonly n: number;
  readonly thread: string;
  readonly step: string;
  readonly state: string;
  readonly view: unknown;
  /** Names of the invariants that fail in the state after this step. */
  readonly violated: readonly string[];
}

export interface Trace {
  readonly initial: string;
  readonly initialView: unknown;
  readonly steps: readonly TraceStep[];
}

export function replay<S>(model: Model<S>, schedule: readonly number[]): Trace {
  let s = model.initial();
  const steps: TraceStep[] = [];
  for (const [i, t] of schedule.entries()) {
    if (model.status(s, t) !== READY) {
      throw new RefsimError('E_SCHEDULE', `step ${i + 1}: thread ${model.threadNames[t] ?? t} cannot step`);
    }
    const step = model.describeStep(s, t);
    s = model.apply(s, t);
    steps.push({
      n: i + 1,
      thread: model.threadNames[t] ?? String(t),
      step,
      state: model.render(s),
      view: model.view(s),
      violated: brokenInvariants(model, s),
    });
  }
  const init = model.initial();
  return { initial: model.render(init), initialView: model.view(init), steps };
}

export function brokenInvariants<S>(model: Model<S>, s: S): string[] {
  let terminal = true;
  for (let t = 0; t < model.threadNames.length; t++) if (model.status(s, t) === READY) terminal = false;
  const out = model.invariants.filter((inv) => inv.check(s, terminal) !== null).map((inv) => inv.name);
  if (terminal && model.threadNames.some((_, t) => model.status(s, t) !== DONE)) out.push(DEADLOCK);
  return out;
}
